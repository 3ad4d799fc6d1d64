package io.gridchain.cli.discovery;

import io.gridchain.cli.UserError;
import java.io.PrintStream;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Asks a service until it answers, waiting out its restarts and network cuts with {@link Backoff}, until the
 * deal's deadline in chain time; says on stderr what it waits for and why, and gives up with a one-line error
 * naming the service. One waiter per command: the failures it counts are those in a row, whatever the request.
 */
public final class Waiter {
    /** One request to the service: its answer, or {@link Unanswered} (any other failure is the caller's). */
    @FunctionalInterface
    public interface Request<T> {
        T send() throws Unanswered;
    }

    private final String tag;
    private final Backoff backoff;
    private final LongSupplier chainNow;
    private final long deadline;
    private final String afterDeadline;
    private final PrintStream err;
    private int failures;
    /** The last chain time read, and when (wall clock): chain time when the chain cannot be read either. */
    private long lastChainTime = -1;
    private long lastChainRead;

    /**
     * @param tag           the prefix of the waiting lines, e.g. "watch"
     * @param chainNow      the chain's latest block time (unix seconds)
     * @param deadline      the deal's deadline (unix seconds, chain time)
     * @param afterDeadline what the user can do once it passed, appended to the error (e.g. claim a refund)
     */
    public Waiter(String tag, Backoff backoff, LongSupplier chainNow, long deadline, String afterDeadline,
            PrintStream err) {
        this.tag = tag;
        this.backoff = backoff;
        this.chainNow = chainNow;
        this.deadline = deadline;
        this.afterDeadline = afterDeadline;
        this.err = err;
    }

    /** Sends {@code request} to {@code service} at {@code url} until it answers, the answer is final, or the deadline. */
    public <T> T call(String service, String url, Request<T> request) throws InterruptedException {
        while (true) {
            try {
                T answer = request.send();
                if (failures > 0) err.println("[" + tag + "] the " + service + " at " + url + " answers again");
                failures = 0;
                return answer;
            } catch (Unanswered e) {
                failures++;
                Backoff.Decision d = backoff.decide(e.status(), failures, now(), deadline);
                if (d instanceof Backoff.GiveUp g) {
                    throw new UserError("the " + service + " at " + url + " " + what(e) + (g.deadlinePassed()
                            ? ", and the deal's deadline " + when(deadline) + " has passed" + afterDeadline : ""),
                            UserError.UNREACHABLE);
                }
                long millis = ((Backoff.Retry) d).millis();
                err.println("[" + tag + "] the " + service + " at " + url + " " + what(e) + "; retrying in "
                        + seconds(millis) + ", until the deal's deadline " + when(deadline));
                Thread.sleep(millis);
            }
        }
    }

    private static String what(Unanswered e) {
        return e.status() == 0 ? "is unreachable (" + e.reason() + ")" : "answered " + e.status() + " ("
                + e.reason() + ")";
    }

    /** Chain time; while the chain cannot be read either (a cut of this host), the last read plus the time since. */
    private long now() {
        try {
            lastChainTime = chainNow.getAsLong();
            lastChainRead = System.currentTimeMillis();
            return lastChainTime;
        } catch (RuntimeException e) {
            if (lastChainTime < 0) return Instant.now().getEpochSecond();
            return lastChainTime + (System.currentTimeMillis() - lastChainRead) / 1000;
        }
    }

    static String when(long unixSeconds) {
        return Instant.ofEpochSecond(unixSeconds).toString();
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
