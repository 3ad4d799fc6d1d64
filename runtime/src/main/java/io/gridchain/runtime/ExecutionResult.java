package io.gridchain.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Outcome of one execution. On failure the result still carries the captured stdout/stderr, and whatever the
 * app had written under {@code /out} (capped at the output limit): in the request's output directory, or in
 * {@link #output()} when the request named none.
 *
 * @param status      SUCCEEDED or FAILED
 * @param exitCode    the app's exit code (0 on success; -1 when the app did not exit: trap, timeout, limit)
 * @param stdout      captured standard output, at most {@link WasmRuntime#CONSOLE_CAPTURE_BYTES} bytes
 * @param stderr      captured standard error, at most {@link WasmRuntime#CONSOLE_CAPTURE_BYTES} bytes
 * @param failure     why it failed; null on success
 * @param outputBytes total size of the files the app left under {@code /out} (may exceed the limit when the
 *                    failure is OUTPUT_LIMIT: it is what the app wrote before it was stopped)
 * @param elapsed     wall time of the execution (sandbox setup and copy-out included, compilation excluded)
 * @param output      when the request named no output directory: the {@link ResultArchive} of what the app left
 *                    under {@code /out}, capped like a copy-out; null when the request named one (the files are
 *                    there) or when the run failed before the app started
 */
public record ExecutionResult(
        Status status,
        int exitCode,
        byte[] stdout,
        byte[] stderr,
        Failure failure,
        long outputBytes,
        Duration elapsed,
        byte[] output) {

    public enum Status {
        SUCCEEDED,
        FAILED
    }

    public ExecutionResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
        if ((status == Status.SUCCEEDED) != (failure == null)) {
            throw new IllegalArgumentException("failure must be null exactly when status is SUCCEEDED");
        }
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ExecutionResult[" + status + (failure == null ? "" : " " + failure) + ", exitCode=" + exitCode
                + ", stdout=" + stdout.length + " B, stderr=" + stderr.length + " B, outputBytes=" + outputBytes
                + ", elapsed=" + elapsed.toMillis() + " ms]";
    }
}
