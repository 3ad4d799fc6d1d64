package io.gridchain.scheduler.certification;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.lifecycle.BatchStatus;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.BatchSplit;
import io.gridchain.scheduler.planning.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * Owns the batches' lifecycle ({@link BatchStatus}): lays out the planner's batches, collects the workers'
 * signatures, sends each batch once its tasks are saved FINALIZING (so a restart reconciles them with the chain),
 * and takes in the chain's answer. A batch that cannot be signed in time, or that the hub refuses, has its tasks
 * tried again each in a batch of its own ({@link BatchSplit}), so one faulty entry does not hold back the others.
 * Chain calls are made without the scheduler's lock.
 *
 * <p>With confirmations, a mined batch is MINED until its transaction is deep enough ({@link ConfirmationWait}),
 * and sent again if a reorganisation removed it.
 *
 * <p>About 370 lines: every way a batch ends is here, beside the sets of batched and solo tasks each end
 * changes; split, those sets would have to be shared.
 */
public final class CertificationRoom {
    private static final Logger log = LoggerFactory.getLogger(CertificationRoom.class);

    private final Applier applier;
    private final LiveState live;
    private final BatchLayout layout;
    private final CertificationChain chain;
    private final Lifecycle lifecycle;
    private final long signTimeoutMillis;
    private final BiConsumer<Task, List<Replicate>> onCertified;
    private final ReceiptWait receipts;
    private final int confirmations;
    private final ConfirmationWait deep;
    private final ExecutorService submitter =
            Executors.newSingleThreadExecutor(ReceiptWait.daemon("gridchain-certifier"));

    /** Batches waiting for their workers' signatures, by id (under the lock). */
    private final Map<String, PreparedBatch> awaiting = new LinkedHashMap<>();
    /** Tasks in a batch that has not ended: the planner does not batch them again (under the lock). */
    private final Set<String> batching = new HashSet<>();
    /** Tasks whose last batch could not be signed or was refused: each goes alone next time (under the lock). */
    private final Set<String> solo = new HashSet<>();

    /** {@code onCertified} hears of each certified task, with its replicates, under the lock. */
    public CertificationRoom(Applier applier, BatchLayout layout, CertificationChain chain, Lifecycle lifecycle,
            long signTimeoutMillis, BiConsumer<Task, List<Replicate>> onCertified) {
        this(applier, layout, chain, lifecycle, signTimeoutMillis, onCertified, 0, 100);
    }

    /**
     * A batch counts as certified once its transaction is {@code confirmations} blocks deep on the canonical chain
     * (checked every {@code pollMillis}); one a reorganisation removed is sent again.
     */
    public CertificationRoom(Applier applier, BatchLayout layout, CertificationChain chain, Lifecycle lifecycle,
            long signTimeoutMillis, BiConsumer<Task, List<Replicate>> onCertified, int confirmations,
            long pollMillis) {
        this.confirmations = confirmations;
        this.deep = new ConfirmationWait(chain, confirmations, pollMillis);
        this.applier = applier;
        this.live = applier.live();
        this.layout = layout;
        this.chain = chain;
        this.lifecycle = lifecycle;
        this.signTimeoutMillis = signTimeoutMillis;
        this.onCertified = onCertified;
        this.receipts = new ReceiptWait(lifecycle.batchTimeout(BatchStatus.SENT, signTimeoutMillis));
    }

    /** Hears of each batch the chain accepted: its number of tasks and the gas it used (metrics). */
    public interface Landed {
        void landed(int tasks, long gasUsed);
    }

    private volatile Landed landed = (tasks, gas) -> { };

    /** {@code listener} hears of each batch the chain accepts, on the certifier's thread, outside the lock. */
    public void onLanded(Landed listener) {
        this.landed = listener;
    }

    /** Tasks already in a batch. Read under the lock. */
    public Set<String> batching() {
        return batching;
    }

    /**
     * Lays out the planner's batches, and returns those whose signatures are all in, their tasks now FINALIZING;
     * send them with {@link #send} once those changes are saved. Call under the lock.
     */
    public List<PreparedBatch> take(List<Plan.BatchPlan> planned, long now) {
        solo.removeIf(id -> live.task(id) == null);
        for (Plan.BatchPlan b : planned) {
            List<Task> fresh = b.tasks().stream().filter(t -> !batching.contains(t.taskId())).toList();
            for (List<Task> part : BatchSplit.split(fresh, solo)) {
                PreparedBatch p;
                try {
                    p = layout.prepare(live.deals().get(b.dealId()), part, live::replicatesOf, now);
                } catch (BatchLayout.MissingCallbackData e) {
                    // This batch waits (its winner's upload is missing); the other deals' batches go on.
                    log.warn("batch of deal {} not certified yet: {}", b.dealId(), e.getMessage());
                    continue;
                }
                awaiting.put(p.id(), p);
                part.forEach(t -> batching.add(t.taskId()));
            }
        }
        List<PreparedBatch> ready = new ArrayList<>();
        long signTimeout = lifecycle.batchTimeout(BatchStatus.AWAITING_SIGNATURES, signTimeoutMillis);
        for (PreparedBatch p : List.copyOf(awaiting.values())) {
            if (p.ready() && stillInConsensus(p)) {
                awaiting.remove(p.id());
                p.moveTo(BatchStatus.PREPARED);
                List<Task> sending = new ArrayList<>();
                for (Task t : p.tasks()) sending.add(live.task(t.taskId()).inBatch(p.id(), now));
                applier.applyTasks(sending);
                ready.add(p);
            } else if (p.ready()) {
                split(p);
            } else if (now - p.created() > signTimeout && alone(p)) {
                dropNonSigners(p, now);
            } else if (now - p.created() > signTimeout) {
                // Workers did not sign the batch in time: its tasks go again, each in a batch of its own.
                log.warn("batch {} of {} task(s) not signed by its workers in time; its tasks go again one by one",
                        p.id(), p.tasks().size());
                split(p);
            }
        }
        return ready;
    }

    /** A batch of one task that was already tried alone: its signers are the task's alone. */
    private boolean alone(PreparedBatch p) {
        return p.tasks().size() == 1 && solo.contains(p.tasks().get(0).taskId());
    }

    /**
     * A task tried alone whose result some contributors still do not sign: they cannot (a worker restarted without
     * its state no longer knows what it revealed) or will not (one withholding to stall the pool). Waiting for them
     * would hold the task until its deadline, so their results are dropped (LOST) and the task runs again: the planner
     * counts the results left and asks for more where they fall short of the trust.
     */
    private void dropNonSigners(PreparedBatch p, long now) {
        awaiting.remove(p.id());
        p.moveTo(BatchStatus.SPLIT);
        Task task = live.task(p.tasks().get(0).taskId());
        if (task == null) return;
        batching.remove(task.taskId());
        solo.remove(task.taskId());
        Set<String> silent = p.nonSigners();
        List<Replicate> dropped = new ArrayList<>();
        for (Replicate r : live.replicatesOf(task.taskId())) {
            if (r.status() == ReplicateStatus.REVEALED && silent.contains(r.worker())) {
                dropped.add(r.ended(ReplicateStatus.LOST, FailureCause.WORKER_LOST,
                        "its worker did not sign its result in a batch of its own", now));
            }
        }
        log.warn("task {}: {} contributor(s) did not sign its result alone in time ({}); their results are dropped"
                + " and the task runs again", task.taskId(), dropped.size(), silent);
        applier.applyReplicates(dropped);
        if (task.status() == TaskStatus.CONSENSUS) applier.applyTasks(List.of(task.moveTo(TaskStatus.RUNNING, now)));
    }

    private void split(PreparedBatch p) {
        awaiting.remove(p.id());
        p.moveTo(BatchStatus.SPLIT);
        p.tasks().forEach(t -> {
            batching.remove(t.taskId());
            solo.add(t.taskId());
        });
    }

    /** Hands PREPARED batches to the sending thread, which sends each once {@code finalizingSaved} is saved. */
    public void dispatch(List<PreparedBatch> ready, long finalizingSaved) {
        for (PreparedBatch p : ready) submitter.submit(() -> send(p, finalizingSaved));
    }

    /**
     * A task of a signed batch may have failed meanwhile (its deal's deadline passed): the batch is then split, and
     * the tasks still in consensus go on alone.
     */
    private boolean stillInConsensus(PreparedBatch p) {
        for (Task t : p.tasks()) {
            Task current = live.task(t.taskId());
            if (current == null || current.status() != TaskStatus.CONSENSUS) return false;
        }
        return true;
    }

    /**
     * Sends a PREPARED batch once the change numbered {@code finalizingSaved} (its tasks FINALIZING) is saved, and
     * takes in the chain's answer. Call without the lock: it waits for the store and for the chain.
     */
    public void send(PreparedBatch p, long finalizingSaved) {
        try {
            applier.saved(finalizingSaved);
        } catch (Rejected e) {
            log.warn("batch {} not sent: {}", p.id(), e.getMessage());
            long now = System.currentTimeMillis();
            synchronized (applier.lock()) {
                p.moveTo(BatchStatus.DROPPED);
                List<Task> back = new ArrayList<>();
                for (Task t : p.tasks()) back.add(live.task(t.taskId()).moveTo(TaskStatus.CONSENSUS, now));
                end(p, back);
            }
            return;
        }
        synchronized (applier.lock()) {
            p.moveTo(BatchStatus.SENT);
        }
        transmit(p);
    }

    /** Sends a SENT batch and takes in the chain's answer. */
    private void transmit(PreparedBatch p) {
        TxResult tx;
        try {
            tx = receipts.submit(() -> chain.submit(p));
        } catch (ReceiptWait.Unanswered e) {
            unanswered(p);
            return;
        } catch (RuntimeException e) {
            refused(p, e);
            return;
        }
        if (confirmations == 0) {
            certified(p, tx);
            return;
        }
        synchronized (applier.lock()) {
            p.moveTo(BatchStatus.MINED);
        }
        deep.watch(tx, () -> certified(p, tx), () -> resend(p, tx));
    }

    /**
     * A reorganisation removed the batch's transaction: it is sent again. The hub refuses a second finalization of
     * a task, so a resend is safe, and one whose tasks the chain finalized meanwhile (the old transaction mined
     * again) ends in {@link #refused}, which counts those tasks FINALIZED.
     */
    private void resend(PreparedBatch p, TxResult removed) {
        log.warn("batch {} of deal {}: its transaction {} was removed by a chain reorganisation; sending it again",
                p.id(), p.deal().dealId(), removed.hash());
        synchronized (applier.lock()) {
            p.moveTo(BatchStatus.SENT);
        }
        submitter.submit(() -> {
            chain.reorganised();
            transmit(p);
        });
    }

    private void certified(PreparedBatch p, TxResult tx) {
        long now = System.currentTimeMillis();
        synchronized (applier.lock()) {
            p.moveTo(BatchStatus.CERTIFIED);
            List<Task> done = new ArrayList<>();
            for (Task t : p.tasks()) {
                Task current = live.task(t.taskId());
                done.add(current.certified(tx.hash(), now));
                onCertified.accept(current, live.replicatesOf(current.taskId()));
            }
            end(p, done);
        }
        log.info("certified {} task(s) of deal {} in {} ({} gas)", p.tasks().size(), p.deal().dealId(), tx.hash(),
                tx.gasUsed());
        landed.landed(p.tasks().size(), tx.gasUsed());
    }

    /**
     * The hub refused the batch. A task it finalized all the same (an earlier transaction landed) is FINALIZED; a
     * lone task fails; the tasks of a larger batch go again, each alone, so the faulty one is found.
     */
    private void refused(PreparedBatch p, RuntimeException e) {
        String reason = e instanceof RevertException ? e.getMessage() : e.toString();
        log.warn("batch of {} task(s) of deal {} refused: {}", p.tasks().size(), p.deal().dealId(), reason);
        settle(p, BatchStatus.REFUSED, (current, now) -> {
            if (p.tasks().size() == 1) {
                return current.moveTo(TaskStatus.CONSENSUS, now)
                        .failed(FailureCause.NO_CONSENSUS, "the hub refused the result: " + reason, now);
            }
            solo.add(current.taskId());
            return current.moveTo(TaskStatus.CONSENSUS, now);
        });
    }

    /** No receipt in time: the chain says which tasks it finalized; the others go back to CONSENSUS. */
    private void unanswered(PreparedBatch p) {
        log.warn("batch {} of {} task(s) of deal {} not answered by the chain within {} ms; asking the chain",
                p.id(), p.tasks().size(), p.deal().dealId(), lifecycle.batchTimeout(BatchStatus.SENT, 0));
        settle(p, BatchStatus.UNANSWERED, (current, now) -> current.moveTo(TaskStatus.CONSENSUS, now));
    }

    /** What becomes of a task of a batch whose outcome is in doubt, when the chain did not finalize it. */
    private interface NotFinalized {
        Task next(Task current, long now);
    }

    /**
     * Ends a SENT batch whose outcome the chain's answer did not say: asks the chain (without the lock) which of
     * its tasks it finalized; the others become what {@code otherwise} decides.
     */
    private void settle(PreparedBatch p, BatchStatus outcome, NotFinalized otherwise) {
        Map<String, GridClient.TaskStatus> onChain = onChain(p);
        long now = System.currentTimeMillis();
        synchronized (applier.lock()) {
            p.moveTo(outcome);
            List<Task> back = new ArrayList<>();
            for (Task t : p.tasks()) {
                Task current = live.task(t.taskId());
                back.add(onChain.get(t.taskId()) == GridClient.TaskStatus.FINALIZED
                        ? current.moveTo(TaskStatus.FINALIZED, now) : otherwise.next(current, now));
            }
            end(p, back);
        }
    }

    private Map<String, GridClient.TaskStatus> onChain(PreparedBatch p) {
        Map<String, GridClient.TaskStatus> out = new LinkedHashMap<>();
        for (Task t : p.tasks()) out.put(t.taskId(), chain.taskStatus(t.taskId()));
        return out;
    }

    private void end(PreparedBatch p, List<Task> changed) {
        applier.applyTasks(changed);
        p.tasks().forEach(t -> batching.remove(t.taskId()));
    }

    /**
     * A batch sent before a crash may or may not have been mined: its tasks, saved FINALIZING, are FINALIZED if the
     * chain says so, else back in CONSENSUS. Call once, before anything else runs.
     */
    public void recover() {
        List<Task> finalizing;
        synchronized (applier.lock()) {
            finalizing = live.tasks().stream().filter(t -> t.status() == TaskStatus.FINALIZING).toList();
        }
        List<Task> reconciled = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Task t : finalizing) {
            GridClient.TaskStatus onChain = chain.taskStatus(t.taskId());
            reconciled.add(t.moveTo(onChain == GridClient.TaskStatus.FINALIZED ? TaskStatus.FINALIZED
                    : TaskStatus.CONSENSUS, now));
        }
        if (reconciled.isEmpty()) return;
        log.info("recovered {} task(s) that were being finalized when the scheduler stopped", reconciled.size());
        synchronized (applier.lock()) {
            applier.applyTasks(reconciled);
        }
    }

    /** The open signature requests of batches waiting for {@code worker}. Call under the lock. */
    public List<WorkerApi.SignRequest> signRequests(String worker, long now) {
        if (awaiting.isEmpty()) return List.of();
        List<WorkerApi.SignRequest> sign = new ArrayList<>();
        for (PreparedBatch p : awaiting.values()) {
            WorkerApi.SignRequest req = p.request(worker, now);
            if (req != null) sign.add(req);
        }
        return sign;
    }

    /** A worker's signature over its entries of a batch; checked without the lock (recovering a key is slow). */
    public WorkerApi.Ack sign(String worker, WorkerApi.SignResponse response) {
        PreparedBatch p;
        List<WorkerApi.Entry> entries;
        synchronized (applier.lock()) {
            p = awaiting.get(response.batchId());
            if (p == null) return new WorkerApi.Ack(0);
            entries = p.entriesOf(worker);
        }
        byte[] signature = Numeric.hexStringToByteArray(response.signature());
        if (entries == null || !chain.signs(worker, entries, signature)) {
            throw new Rejected(400, "the signature for batch " + response.batchId() + " does not cover "
                    + "exactly your entries");
        }
        synchronized (applier.lock()) {
            // the batch may have been split meanwhile (sign timeout): then the signature is no longer needed
            if (awaiting.get(response.batchId()) != p) return new WorkerApi.Ack(0);
            p.signed(worker, signature);
            return new WorkerApi.Ack(1);
        }
    }

    /** Lets the batches being sent get their answer (30 s at most), then stops. */
    public void close() {
        submitter.shutdown();
        try {
            submitter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        receipts.close();
        deep.close();
    }
}
