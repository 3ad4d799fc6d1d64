package io.gridchain.worker;

import java.util.Objects;

/** An app or input could not be obtained: the replicate fails with {@link #cause()} and this message. */
public class FetchFailure extends Exception {

    /** The failure causes reported to the scheduler (the names are the wire values). */
    public enum Cause {
        /** The bytes do not have the sha256 the assignment names. */
        CHECKSUM_MISMATCH,
        /** The URI cannot be read: unreachable, 404, unknown scheme, too large, ... */
        FETCH_FAILED,
        /** A secret management service refused this worker (or could not be reached), or a sealed input has no key. */
        SECRETS_REFUSED
    }

    private final Cause cause;

    public FetchFailure(Cause cause, String message) {
        this(cause, message, null);
    }

    public FetchFailure(Cause cause, String message, Throwable throwable) {
        super(message, throwable);
        this.cause = Objects.requireNonNull(cause, "cause");
    }

    /** Why: CHECKSUM_MISMATCH, FETCH_FAILED or SECRETS_REFUSED. */
    public Cause cause() {
        return cause;
    }

    @Override
    public String toString() {
        return cause + ": " + getMessage();
    }
}
