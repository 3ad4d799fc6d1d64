package io.gridchain.runtime;

import java.util.Objects;

/**
 * Why an execution failed: a typed cause the scheduler can act on, and a message a requester can read.
 *
 * @param cause   the kind of failure
 * @param message one human sentence, e.g. "app trapped: out of bounds memory access ..." or
 *                "app exceeded its wall time of 5 s"
 */
public record Failure(Cause cause, String message) {

    public enum Cause {
        /** The app executed a WebAssembly trap (out-of-bounds access, unreachable, divide by zero, stack exhausted). */
        TRAP,
        /** The app ran past its wall time and was stopped. */
        TIMEOUT,
        /** The app needed more linear memory than its limit allows. */
        MEMORY_LIMIT,
        /** The app wrote more output (files under /out, or stdout/stderr) than its limit allows. */
        OUTPUT_LIMIT,
        /** The module is not valid WebAssembly, does not match its checksum, or is not a WASI command. */
        INVALID_MODULE,
        /** The app exited with a non-zero exit code. */
        EXIT_NONZERO,
        /** The runtime itself failed (I/O error on the host, unsupported WASI call, internal error). */
        HOST_ERROR
    }

    public Failure {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return cause + ": " + message;
    }
}
