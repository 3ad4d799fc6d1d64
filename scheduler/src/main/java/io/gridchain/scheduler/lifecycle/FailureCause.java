package io.gridchain.scheduler.lifecycle;

/** Why a replicate or a task failed: typed, and always shown with a human message. */
public enum FailureCause {
    /** The app trapped (out of bounds access, unreachable, division by zero...). */
    TRAP,
    /** The app ran past its wall time. */
    TIMEOUT,
    /** The app needed more memory than allowed. */
    MEMORY_LIMIT,
    /** The app wrote more output than allowed. */
    OUTPUT_LIMIT,
    /** The module is not valid WebAssembly. */
    INVALID_MODULE,
    /** The app exited with a non-zero code. */
    EXIT_NONZERO,
    /** The app or an input did not match its checksum. */
    CHECKSUM_MISMATCH,
    /** The app of a callback deal wrote no callback data (its /out/callback.bin). */
    NO_CALLBACK_DATA,
    /** The app of a callback deal wrote more callback data than a callback carries (WorkerApi.MAX_CALLBACK_BYTES). */
    CALLBACK_DATA_TOO_LARGE,
    /** The app or an input could not be downloaded. */
    FETCH_FAILED,
    /**
     * A secret management service refused this worker a dataset's key or a secret (not allowlisted, say): another
     * worker may be allowed, so the replicate is retried elsewhere.
     */
    SECRETS_REFUSED,
    /** The worker's host failed (not the app's fault): the replicate is retried elsewhere. */
    HOST_ERROR,
    /** The worker stopped answering. */
    WORKER_LOST,
    /** Workers disagreed and no result could reach the trust before the deadline. */
    NO_CONSENSUS,
    /** The deal's deadline passed before the task was certified. */
    DEADLINE,
    /** A chain reorganisation removed the block that created the deal: there is nothing left to run or pay. */
    DEAL_REMOVED;

    /** Failures caused by the app or its inputs: replicas will fail the same way, so retrying does not help. */
    public boolean deterministic() {
        return switch (this) {
            case TRAP, TIMEOUT, MEMORY_LIMIT, OUTPUT_LIMIT, INVALID_MODULE, EXIT_NONZERO, CHECKSUM_MISMATCH,
                    NO_CALLBACK_DATA, CALLBACK_DATA_TOO_LARGE, FETCH_FAILED -> true;
            case SECRETS_REFUSED, HOST_ERROR, WORKER_LOST, NO_CONSENSUS, DEADLINE, DEAL_REMOVED -> false;
        };
    }

    public static FailureCause parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase());
        } catch (IllegalArgumentException | NullPointerException e) {
            return HOST_ERROR;
        }
    }
}
