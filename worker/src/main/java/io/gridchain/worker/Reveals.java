package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reveals the digests of committed results when the scheduler asks (in a commit or heartbeat answer): uploads the
 * results its store lacks, then reveals them in one request. What could not be sent waits to be asked again.
 */
final class Reveals {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    private final SchedulerPort scheduler;
    private final SlotLedger ledger;
    private final Uploader uploader;
    private final BatchSigner signer;
    private final BooleanSupplier closed;
    private final AtomicLong revealed = new AtomicLong();

    Reveals(SchedulerPort scheduler, SlotLedger ledger, Uploader uploader, BatchSigner signer,
            BooleanSupplier closed) {
        this.scheduler = scheduler;
        this.ledger = ledger;
        this.uploader = uploader;
        this.signer = signer;
        this.closed = closed;
    }

    long revealed() {
        return revealed.get();
    }

    /** Reveals the named replicates this worker committed; the others are ignored. */
    void reveal(List<String> ids) {
        List<Pending> batch = new ArrayList<>();
        for (String id : ids) {
            Pending p = ledger.takeForReveal(id);
            if (p == null) {
                log.debug("asked to reveal {}, which this worker does not hold (already revealed?)", id);
                continue;
            }
            if (uploaded(p)) {
                batch.add(p);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        for (Pending p : batch) {
            signer.remember(p.assignment().taskId(), p.digest());
        }
        SplitOnRefusal.send(batch, request);
    }

    /** Whether the store holds the result; if not, the result is dropped or put back for the next ask. */
    private boolean uploaded(Pending p) {
        String id = p.replicateId();
        try {
            if (uploader.upload(p)) {
                return true;
            }
        } catch (SchedulerException e) {
            if (e.isTransient() && !closed.getAsBoolean()) {
                log.warn("replicate {}: upload failed, will retry when asked again: {}", id, e.getMessage());
                ledger.revealLater(p);
                return false;
            }
            log.warn("replicate {}: upload refused: {}", id, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("replicate {}: cannot reveal: {}", id, e.toString());
        }
        ledger.finish(id);
        return false;
    }

    private final SplitOnRefusal.Request<Pending, WorkerApi.Ack> request = new SplitOnRefusal.Request<>() {
        @Override
        public WorkerApi.Ack send(List<Pending> batch) {
            return scheduler.reveal(new WorkerApi.RevealRequest(
                    batch.stream().map(p -> new WorkerApi.Reveal(p.replicateId(), p.digest())).toList()));
        }

        @Override
        public boolean later(List<Pending> batch, SchedulerException e) {
            if (closed.getAsBoolean()) {
                return false;
            }
            log.warn("{} reveal(s) failed, will retry when asked again: {}", batch.size(), e.getMessage());
            for (Pending p : batch) {
                ledger.revealLater(p);
            }
            return true;
        }

        @Override
        public void refused(Pending p, RuntimeException e) {
            log.warn("replicate {}: reveal refused: {}", p.replicateId(), e.getMessage());
            ledger.finish(p.replicateId());
        }

        @Override
        public void sent(List<Pending> batch, WorkerApi.Ack ack) {
            revealed.addAndGet(batch.size());
            for (Pending p : batch) {
                log.debug("replicate {} (task {}) revealed {}", p.replicateId(), p.assignment().taskId(),
                        p.digest());
                ledger.finish(p.replicateId());
            }
        }
    };
}
