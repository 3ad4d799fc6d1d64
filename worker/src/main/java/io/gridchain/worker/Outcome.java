package io.gridchain.worker;

/** What came of running one replicate, before anything is sent to the scheduler. */
sealed interface Outcome {

    /** A result to commit: {@code bytes} are what the scheduler's store keeps under {@code digest}. */
    record Succeeded(String digest, byte[] bytes) implements Outcome {}

    /**
     * A failure every honest worker reproduces (the app exited non-zero, trapped, hit a limit, wrote no callback
     * data): committed and revealed like a result, under the failure's digest, so that the pool certifies it and the
     * requester pays for the run it asked for. {@code record} is what the store keeps under {@code digest}.
     */
    record Reproducible(String digest, byte[] record, String cause, String message) implements Outcome {}

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
