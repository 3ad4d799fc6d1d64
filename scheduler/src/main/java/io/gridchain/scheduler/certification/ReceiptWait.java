package io.gridchain.scheduler.certification;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits for a batch transaction's answer at most the receipt timeout. A transaction left unanswered (a node that
 * dropped it, a stuck receipt poll) would otherwise hold its tasks FINALIZING until the scheduler restarts.
 */
final class ReceiptWait {
    /** The chain did not answer in time; the transaction may still be mined later. */
    static final class Unanswered extends RuntimeException {
        Unanswered(String message) {
            super(message);
        }
    }

    private final long timeoutMillis;
    private final ExecutorService calls = Executors.newCachedThreadPool(daemon("gridchain-receipts"));

    ReceiptWait(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** The call's answer, or its exception as it was thrown; {@link Unanswered} after the timeout. */
    <T> T submit(Supplier<T> call) {
        Future<T> answer = calls.submit(call::get);
        try {
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new Unanswered("no answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new Unanswered("interrupted while waiting for the chain");
        }
    }

    void close() {
        calls.shutdownNow();
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
