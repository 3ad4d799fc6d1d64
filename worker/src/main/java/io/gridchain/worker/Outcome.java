package io.gridchain.worker;

/** What came of running one replicate, before anything is sent to the scheduler. */
sealed interface Outcome {

    /**
     * A result to commit: {@code bytes} are what the scheduler's store keeps under {@code digest}; {@code stdout} and
     * {@code stderr} what the app printed, kept for the requester.
     */
    record Succeeded(String digest, byte[] bytes, byte[] stdout, byte[] stderr) implements Outcome {
        Succeeded(String digest, byte[] bytes) {
            this(digest, bytes, null, null);
        }
    }

    /**
     * A failure every honest worker reproduces (the app exited non-zero, trapped, hit a limit, wrote no callback
     * data): committed and revealed like a result, under the failure's digest, so that the pool certifies it and the
     * requester pays for the run it asked for. {@code record} is what the store keeps under {@code digest}.
     */
    record Reproducible(String digest, byte[] record, String cause, String message, byte[] stdout, byte[] stderr)
            implements Outcome {
        Reproducible(String digest, byte[] record, String cause, String message) {
            this(digest, record, cause, message, null, null);
        }
    }

    /** A failure to report, with the app's output streams and partial output when it ran. */
    record Failed(String cause, String message, byte[] stdout, byte[] stderr, byte[] partial) implements Outcome {

        static Failed before(String cause, String message) {
            return new Failed(cause, message, null, null, null);
        }
    }

    /** Cancelled by the scheduler or by closing: nothing is sent. */
    record Cancelled() implements Outcome {}

    Cancelled CANCELLED = new Cancelled();
}
