package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import io.gridchain.worker.SlotLedger.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits and failure reports on their way to the scheduler. One thread sends what is queued in one request per
 * kind, as soon as no replicate is running or {@link #LINGER_MILLIS} after the first item: a busy worker makes one
 * request per batch of results. What the scheduler cannot be reached for is sent again, with a growing pause, until
 * its deal's deadline (a scheduler restarts and comes back with its state).
 */
final class Outbox {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    /** How long the outbox waits for more items before it sends what it has, while replicates still run. */
    static final long LINGER_MILLIS = 2;

    /** Most items in one request. */
    static final int MAX_BATCH = 256;

    static final long FIRST_RETRY_PAUSE_MILLIS = 200;
    static final long MAX_RETRY_PAUSE_MILLIS = 5_000;

    /** What the agent does with a commit answer. */
    interface CommitAnswers {
        /** Starts the assignments on {@code permits} slots, counting in {@code used[0]} the ones taken. */
        void start(List<WorkerApi.Assignment> assignments, int permits, int[] used);

        void sign(List<WorkerApi.SignRequest> requests);

        void reveal(List<String> replicateIds);
    }

    private final SchedulerPort scheduler;
    private final SlotLedger ledger;
    private final BatchSigner signer;
    private final CommitAnswers answers;
    private final BooleanSupplier closed;
    /** Milliseconds since the epoch: paces retries and is compared with deals' deadlines (in seconds). */
    private final LongSupplier clock;
    private final LinkedBlockingQueue<OutboxItem> queue = new LinkedBlockingQueue<>();

    // touched by the outbox thread only
    private final List<OutboxItem> retrying = new ArrayList<>();
    private long retryAt;
    private long retryPauseMillis = FIRST_RETRY_PAUSE_MILLIS;

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong revealed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    Outbox(SchedulerPort scheduler, SlotLedger ledger, BatchSigner signer, CommitAnswers answers,
            BooleanSupplier closed, LongSupplier clock) {
        this.scheduler = scheduler;
        this.ledger = ledger;
        this.signer = signer;
        this.answers = answers;
        this.closed = closed;
        this.clock = clock;
    }

    void add(OutboxItem item) {
        ledger.to(item.replicateId(), item.queued());
        queue.add(item);
    }

    long commits() {
        return commits.get();
    }

    /** Results revealed with their commit. */
    long revealed() {
        return revealed.get();
    }

    long failures() {
        return failures.get();
    }

    /** The outbox thread's loop; returns when interrupted or closed. */
    void run() {
        while (!closed.getAsBoolean()) {
            try {
                flushOnce(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("outbox: {}", e.toString());
            }
        }
    }

    /** Sends one batch, waiting up to {@code waitMillis} for its first item; false if none came. */
    boolean flushOnce(long waitMillis) throws InterruptedException {
        if (!retrying.isEmpty() && clock.getAsLong() >= retryAt) {
            for (OutboxItem item : retrying) {
                add(item);
            }
            retrying.clear();
        }
        OutboxItem first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        List<OutboxItem> items = new ArrayList<>();
        items.add(first);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        while (items.size() < MAX_BATCH) {
            queue.drainTo(items, MAX_BATCH - items.size());
            long left = until - System.nanoTime();
            if (!ledger.anyAttached() || left <= 0 || items.size() >= MAX_BATCH) {
                break;
            }
            OutboxItem next = queue.poll(Math.min(left, 200_000), TimeUnit.NANOSECONDS);
            if (next != null) {
                items.add(next);
            }
        }
        List<OutboxItem.Commit> toCommit = new ArrayList<>();
        List<OutboxItem.Failure> toFail = new ArrayList<>();
        for (OutboxItem item : items) {
            item.sortInto(toCommit, toFail);
        }
        if (!toFail.isEmpty()) {
            SplitOnRefusal.send(toFail, failureRequest);
        }
        if (!toCommit.isEmpty()) {
            SplitOnRefusal.send(toCommit, commitRequest);
        }
        return true;
    }

    /** Keeps {@code items} for another try; false (and nothing kept) once the deal's deadline has passed. */
    private boolean retryLater(List<? extends OutboxItem> items, String what, SchedulerException e) {
        long deadline = items.stream().mapToLong(OutboxItem::deadline).max().orElse(0);
        long now = clock.getAsLong();
        if (closed.getAsBoolean() || now / 1000 >= deadline) {
            return false;
        }
        log.warn("{}: scheduler unreachable, trying again in {} ms: {}", what, retryPauseMillis, e.getMessage());
        for (OutboxItem item : items) {
            ledger.to(item.replicateId(), Phase.RETRYING);
        }
        retrying.addAll(items);
        retryAt = now + retryPauseMillis;
        retryPauseMillis = Math.min(retryPauseMillis * 2, MAX_RETRY_PAUSE_MILLIS);
        return true;
    }

    private final SplitOnRefusal.Request<OutboxItem.Commit, WorkerApi.CommitResponse> commitRequest =
            new SplitOnRefusal.Request<>() {
                @Override
                public WorkerApi.CommitResponse send(List<OutboxItem.Commit> items) {
                    List<WorkerApi.Commit> list = new ArrayList<>(items.size());
                    for (OutboxItem.Commit c : items) {
                        if (c.reveals()) {
                            // remembered before the request: its answer may already ask for a batch signature
                            Pending p = c.pending();
                            signer.remember(p.assignment().taskId(), p.digest());
                        } else {
                            // parked before the commit is sent, so a heartbeat racing the answer can reveal it
                            ledger.awaitReveal(c.pending());
                        }
                        list.add(c.commit());
                    }
                    // the slots these commits free are offered for new work in the same round trip
                    WorkerApi.CommitResponse response = scheduler.commit(
                            new WorkerApi.CommitRequest(list, closed.getAsBoolean() ? 0 : revealing(items)));
                    retryPauseMillis = FIRST_RETRY_PAUSE_MILLIS;
                    return response;
                }

                @Override
                public boolean later(List<OutboxItem.Commit> items, SchedulerException e) {
                    return retryLater(items, items.size() + " commit(s)", e);
                }

                @Override
                public void refused(OutboxItem.Commit c, RuntimeException e) {
                    String id = c.commit().replicateId();
                    ledger.finish(id);
                    log.warn("replicate {}: commit refused: {}", id, e.getMessage());
                }

                @Override
                public void sent(List<OutboxItem.Commit> items, WorkerApi.CommitResponse response) {
                    committed(items, response);
                }
            };

    /** How many of the commits carry their digest (each frees its slot once sent). */
    private static int revealing(List<OutboxItem.Commit> items) {
        int n = 0;
        for (OutboxItem.Commit c : items) {
            if (c.reveals()) {
                n++;
            }
        }
        return n;
    }

    private void committed(List<OutboxItem.Commit> items, WorkerApi.CommitResponse response) {
        commits.addAndGet(items.size());
        revealed.addAndGet(revealing(items));
        if (log.isDebugEnabled()) {
            for (OutboxItem.Commit c : items) {
                log.debug("replicate {} (task {}) committed digest {}", c.commit().replicateId(),
                        c.pending().assignment().taskId(), c.pending().digest());
            }
        }
        // The slots of the revealed replicates pass to the new assignments without going through the semaphore,
        // so the claim loop cannot take them in between.
        int permits = 0;
        for (OutboxItem.Commit c : items) {
            if (c.reveals() && ledger.handOver(c.commit().replicateId())) {
                permits++;
            }
        }
        int[] used = {0};
        try {
            if (response != null) {
                answers.start(response.assignments(), permits, used);
            }
        } finally {
            ledger.release(permits - used[0]);
        }
        if (response != null) {
            answers.sign(response.sign());
            if (response.reveal() != null && !response.reveal().isEmpty()) {
                answers.reveal(response.reveal());
            }
        }
    }

    private final SplitOnRefusal.Request<OutboxItem.Failure, WorkerApi.Ack> failureRequest =
            new SplitOnRefusal.Request<>() {
                @Override
                public WorkerApi.Ack send(List<OutboxItem.Failure> items) {
                    WorkerApi.Ack ack = scheduler.fail(new WorkerApi.FailRequest(
                            items.stream().map(OutboxItem.Failure::failure).toList()));
                    retryPauseMillis = FIRST_RETRY_PAUSE_MILLIS;
                    return ack;
                }

                @Override
                public boolean later(List<OutboxItem.Failure> items, SchedulerException e) {
                    return retryLater(items, items.size() + " failure report(s)", e); // slots stay held
                }

                @Override
                public void refused(OutboxItem.Failure item, RuntimeException e) {
                    WorkerApi.Failure f = item.failure();
                    log.warn("replicate {}: cannot report its failure ({}): {}", f.replicateId(), f.cause(),
                            e.getMessage());
                    ledger.finish(f.replicateId());
                }

                @Override
                public void sent(List<OutboxItem.Failure> items, WorkerApi.Ack ack) {
                    failures.addAndGet(items.size());
                    for (OutboxItem.Failure f : items) {
                        ledger.finish(f.failure().replicateId());
                    }
                }
            };
}
