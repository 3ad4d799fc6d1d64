package io.gridchain.cli.discovery;

/**
 * A service gave no usable answer: no answer at all ({@link #status()} 0: refused, timed out, cut) or an HTTP
 * status that may pass ({@link Backoff#transientStatus}). {@link #reason()} is a readable reason, never null.
 */
public final class Unanswered extends Exception {
    private final int status;
    private final String reason;

    public Unanswered(int status, String reason) {
        super(reason);
        this.status = status;
        this.reason = reason;
    }

    /** No answer at all, with the reason {@link io.gridchain.worker.SchedulerClient#reason} reads from {@code e}. */
    public static Unanswered of(Throwable e) {
        return new Unanswered(0, io.gridchain.worker.SchedulerClient.reason(e));
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
