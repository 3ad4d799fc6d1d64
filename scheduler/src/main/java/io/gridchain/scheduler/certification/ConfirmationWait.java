package io.gridchain.scheduler.certification;

import io.gridchain.protocol.TxResult;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches mined batch transactions until they are {@code confirmations} deep on the canonical chain, or removed by a
 * reorganisation. One timer thread polls every watched transaction, so that batches waiting for their confirmations
 * never hold back the sending of the next ones.
 */
final class ConfirmationWait {
    private static final Logger log = LoggerFactory.getLogger(ConfirmationWait.class);

    private final CertificationChain chain;
    private final int confirmations;
    private final long pollMillis;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(ReceiptWait.daemon("gridchain-confirmations"));

    ConfirmationWait(CertificationChain chain, int confirmations, long pollMillis) {
        this.chain = chain;
        this.confirmations = confirmations;
        this.pollMillis = pollMillis;
    }

    /** Runs {@code confirmed} once {@code tx} is deep enough, {@code removed} if a reorganisation removed it. */
    void watch(TxResult tx, Runnable confirmed, Runnable removed) {
        timer.schedule(() -> check(tx, confirmed, removed), pollMillis, TimeUnit.MILLISECONDS);
    }

    private void check(TxResult tx, Runnable confirmed, Runnable removed) {
        CertificationChain.Depth depth;
        try {
            depth = chain.depth(tx, confirmations);
        } catch (RuntimeException e) {
            log.debug("cannot read the depth of {} yet: {}", tx.hash(), e.toString());
            depth = CertificationChain.Depth.PENDING;
        }
        switch (depth) {
            case CONFIRMED -> confirmed.run();
            case REMOVED -> removed.run();
            case PENDING -> watch(tx, confirmed, removed);
        }
    }

    /** Stops watching: batches still MINED keep their tasks FINALIZING, which a restart reconciles with the chain. */
    void close() {
        timer.shutdownNow();
    }
}
