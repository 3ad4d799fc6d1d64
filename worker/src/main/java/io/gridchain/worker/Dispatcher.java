package io.gridchain.worker;

import io.gridchain.api.ResultEncryption;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.poco.Contributions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * Starts assignments on slots the caller holds, one job per replicate on a replicate thread, and turns each job's
 * {@link Outcome} into a commit or failure report in the outbox (which frees the slot once the scheduler has it).
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    private final SlotLedger ledger;
    private final Executor executor;
    private final ReplicateRunner runner;
    private final Uploader uploader;
    private final Outbox outbox;
    private final BatchSigner signer;
    private final String address;
    private final BooleanSupplier closed;

    Dispatcher(SlotLedger ledger, Executor executor, ReplicateRunner runner, Uploader uploader, Outbox outbox,
            BatchSigner signer, String address, BooleanSupplier closed) {
        this.ledger = ledger;
        this.executor = executor;
        this.runner = runner;
        this.uploader = uploader;
        this.outbox = outbox;
        this.signer = signer;
        this.address = address;
        this.closed = closed;
    }

    /**
     * Starts the assignments on the {@code permits} slot permits the caller holds, counting in {@code used[0]}
     * the permits they took (the caller releases the rest, also when this throws). An assignment beyond the
     * permits is refused: the scheduler gave more than was asked for.
     */
    void start(List<WorkerApi.Assignment> assignments, int permits, int[] used) {
        if (assignments == null) {
            return;
        }
        for (WorkerApi.Assignment a : assignments) {
            if (a == null || a.replicateId() == null) {
                continue;
            }
            if (ledger.holds(a.replicateId())) {
                log.debug("replicate {} is already being handled; ignoring the repeated assignment", a.replicateId());
                continue;
            }
            if (used[0] >= permits) {
                log.warn("the scheduler assigned more replicates than the {} asked for; refusing {}", permits,
                        a.replicateId());
                report(a, new Outcome.Failed("HOST_ERROR", "the worker had no free slot for this replicate (it"
                        + " claimed " + permits + ")", null, null, null));
                continue;
            }
            Job job = new Job(a);
            job.held = ledger.start(a.replicateId(), job);
            if (job.held == null) {
                continue; // the claim loop and the outbox both start work: the other one took it just now
            }
            try {
                executor.execute(job);
                used[0]++;
            } catch (RejectedExecutionException e) {
                ledger.unstart(a.replicateId());
                if (!closed.getAsBoolean()) {
                    throw e;
                }
            }
        }
    }

    /**
     * One replicate in flight; it can be interrupted only while its own thread runs it. It answers the runner's
     * "cancelled?" itself, so a replicate costs no extra object for it.
     */
    private final class Job implements Runnable, SlotLedger.Cancellable, BooleanSupplier {
        final WorkerApi.Assignment assignment;
        SlotLedger.Held held;
        volatile boolean cancelled;
        private Thread thread;

        Job(WorkerApi.Assignment assignment) {
            this.assignment = assignment;
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public boolean getAsBoolean() {
            return cancelled || closed.getAsBoolean();
        }

        @Override
        public void run() {
            synchronized (this) {
                thread = Thread.currentThread();
            }
            boolean handedOff = false;
            try {
                Outcome outcome = runner.run(assignment, this);
                handedOff = handOff(assignment, outcome);
            } catch (RuntimeException | Error e) {
                log.warn("replicate {}: {}", assignment.replicateId(), e.toString());
            } finally {
                synchronized (this) {
                    thread = null;
                    Thread.interrupted(); // a late cancel must not leak into the pool thread's next replicate
                }
                ledger.detach(held);
                if (!handedOff) {
                    ledger.finish(assignment.replicateId());
                }
            }
        }
    }

    /** Queues the outcome's commit or failure report; false when there is nothing to send (cancelled). */
    private boolean handOff(WorkerApi.Assignment a, Outcome outcome) {
        if (outcome instanceof Outcome.Succeeded s) {
            // The result goes to the scheduler's store before the commit, so the commit can reveal its digest too.
            // If the upload fails, the commit goes without it and the bytes are kept for a later reveal.
            byte[] stored = Uploader.sealsAtSource(a) ? ResultEncryption.seal(s.bytes(), a.confidential().encryptTo())
                    : s.bytes();
            boolean inStore = !Uploader.sealsAtSource(a) && uploader.tryPut(a.replicateId(), s.digest(), stored);
            commit(a, s.digest(), inStore, inStore ? null : stored, s.stdout(), s.stderr());
            return true;
        }
        if (outcome instanceof Outcome.Reproducible r) {
            // committed like a result: the pool certifies the failure and the requester pays for the run
            boolean inStore = uploader.tryPut(a.replicateId(), r.digest(), r.record());
            commit(a, r.digest(), inStore, inStore ? null : r.record(), r.stdout(), r.stderr());
            return true;
        }
        if (outcome instanceof Outcome.Failed f) {
            report(a, f);
            return true;
        }
        return false;
    }

    private void commit(WorkerApi.Assignment a, String digest, boolean reveal, byte[] unstored, byte[] stdout,
            byte[] stderr) {
        String commitment = Contributions.commitment(address, List.of(new Contributions.Entry(a.taskId(), digest)));
        // signed only when the scheduler can use it as the on-chain contribution (a single-task deal); in a
        // bag the worker signs its chain over the batch instead, and the authenticated request binds the commit
        String signature = a.signCommit() ? Numeric.toHexString(signer.signCommitment(commitment)) : null;
        outbox.add(new OutboxItem.Commit(new Pending(a, digest, unstored),
                new WorkerApi.Commit(a.replicateId(), commitment, signature, reveal ? digest : null,
                        logTail(a, stdout), logTail(a, stderr))));
    }

    /** Uploads the partial output (if any) and queues the failure report. */
    private void report(WorkerApi.Assignment a, Outcome.Failed f) {
        if (a.confidential() != null) {
            // What a confidential app prints or leaves may hold its inputs or secrets: the scheduler gets the cause only.
            outbox.add(new OutboxItem.Failure(new WorkerApi.Failure(a.replicateId(), f.cause(), f.message(), "", "",
                    null), a.deadline()));
            return;
        }
        String partialDigest = uploader.putPartial(a.replicateId(), f.partial());
        outbox.add(new OutboxItem.Failure(new WorkerApi.Failure(a.replicateId(), f.cause(), f.message(),
                tail(f.stdout()), tail(f.stderr()), partialDigest), a.deadline()));
    }

    /** What the requester may read of a stream: its tail, none when empty, and none of a confidential deal. */
    private static String logTail(WorkerApi.Assignment a, byte[] stream) {
        if (a.confidential() != null || stream == null || stream.length == 0) return null;
        return tail(stream);
    }

    /** The last {@link WorkerAgent#TAIL_BYTES} bytes as text. */
    static String tail(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "";
        }
        int from = Math.max(0, bytes.length - WorkerAgent.TAIL_BYTES);
        // do not start inside a UTF-8 sequence
        while (from > 0 && from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++;
        }
        return new String(Arrays.copyOfRange(bytes, from, bytes.length), StandardCharsets.UTF_8);
    }
}
