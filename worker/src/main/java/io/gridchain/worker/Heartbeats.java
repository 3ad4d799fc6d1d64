package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One heartbeat: tells the scheduler which replicates hold this worker's slots and which placed inputs it caches (for
 * the planner's affinity), then acts on its answer (cancel, reveal, sign) on the actions executor, so uploads and
 * reveals do not delay the next heartbeat.
 */
final class Heartbeats implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    private final SchedulerPort scheduler;
    private final Session session;
    private final SlotLedger ledger;
    private final Reveals reveals;
    private final BatchSigner signer;
    private final Executor actions;
    private final BooleanSupplier closed;
    private final Supplier<List<String>> cached;

    Heartbeats(SchedulerPort scheduler, Session session, SlotLedger ledger, Reveals reveals, BatchSigner signer,
            Executor actions, BooleanSupplier closed, Supplier<List<String>> cached) {
        this.cached = cached;
        this.scheduler = scheduler;
        this.session = session;
        this.ledger = ledger;
        this.reveals = reveals;
        this.signer = signer;
        this.actions = actions;
        this.closed = closed;
    }

    @Override
    public void run() {
        if (closed.getAsBoolean() || session.registration() == null) {
            return;
        }
        WorkerApi.HeartbeatResponse response;
        try {
            // every replicate holding a slot: running, committed, or with a commit or failure report still to send
            response = scheduler.heartbeat(new WorkerApi.Heartbeat(ledger.heldIds(), cached.get()));
        } catch (SchedulerException e) {
            if (Session.forgotUs(e)) {
                session.forget();
            }
            log.warn("heartbeat: {}", e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("heartbeat: {}", e.toString());
            return;
        }
        try {
            actions.execute(() -> {
                try {
                    handle(response);
                } catch (RuntimeException e) {
                    log.warn("heartbeat response: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Acts on a heartbeat answer: cancel, reveal, sign. */
    void handle(WorkerApi.HeartbeatResponse response) {
        if (response == null) {
            return;
        }
        if (response.cancel() != null) {
            for (String id : response.cancel()) {
                SlotLedger.Cancelled c = ledger.cancel(id);
                if (c.interrupted()) {
                    log.info("replicate {} cancelled by the scheduler", id);
                }
                if (c.dropped()) {
                    log.info("committed replicate {} cancelled by the scheduler; its result is dropped", id);
                }
            }
        }
        if (response.reveal() != null && !response.reveal().isEmpty()) {
            reveals.reveal(response.reveal());
        }
        signer.signNow(response.sign());
    }
}
