package io.gridchain.cli.discovery;

/**
 * When a service does not answer, whether to wait and ask again or give up, and how long to wait: a pure decision,
 * so it is tested without network or chain. A client waits out what a restart or a network cut looks like (no
 * answer, a timeout, a 5xx such as 503 while a scheduler starts) until the deal's deadline, past which the tasks
 * can only be refunded; any other answer (a 4xx: bad request, authentication refused) is the client's to fix, and
 * waiting would not change it.
 *
 * @param firstMillis the pause after the first failure
 * @param maxMillis   the longest pause; each failure doubles the previous one up to it
 */
public record Backoff(long firstMillis, long maxMillis) {
    /** 0.5 s doubling to 10 s: a restart is seen within seconds, a long outage costs a request every 10 s. */
    public static final Backoff DEFAULT = new Backoff(500, 10_000);

    /** What to do after a failure. */
    public sealed interface Decision {}

    /** Ask again after {@code millis}. */
    public record Retry(long millis) implements Decision {}

    /** Stop: {@code deadlinePassed} tells whether waiting ran out, or the answer is not one waiting can change. */
    public record GiveUp(boolean deadlinePassed) implements Decision {}

    /** Whether a failure with HTTP status {@code status} (0: no answer at all) may pass by itself. */
    public static boolean transientStatus(int status) {
        return status == 0 || status == 408 || status == 429 || status / 100 == 5;
    }

    /** The pause after the {@code failures}-th failure in a row (from 1). */
    public long pause(int failures) {
        long p = firstMillis;
        for (int i = 1; i < failures && p < maxMillis; i++) p *= 2;
        return Math.min(p, maxMillis);
    }

    /**
     * After the {@code failures}-th failure in a row, answered with {@code status}, at chain time {@code now} for a
     * deal whose deadline is {@code deadline} (both unix seconds).
     */
    public Decision decide(int status, int failures, long now, long deadline) {
        if (!transientStatus(status)) return new GiveUp(false);
        if (now >= deadline) return new GiveUp(true);
        // no use sleeping far beyond the deadline: wake at it, to give up on time
        return new Retry(Math.max(1, Math.min(pause(failures), (deadline - now) * 1000)));
    }
}
