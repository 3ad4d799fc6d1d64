package io.gridchain.scheduler.state;

import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the scheduler's changes. The scheduler queues its changes in the order they happen in memory
 * (under its lock), and one writer thread persists everything queued so far in one {@link StateStore#commit}
 * transaction. Whoever must not act before a change is durable (an answer to a worker, a transaction to the chain)
 * waits for the sequence number that change got.
 *
 * <p>Why: with one transaction per request, the scheduler held its lock while SQLite synced the disk, so requests
 * queued behind each other's syncs (81% of a throughput run's wall time was spent so). Now many requests share one
 * transaction and its sync, and the lock is held only for work in memory.
 *
 * <p>A transaction that fails is retried, in order, until it succeeds: changes are never dropped or reordered.
 * Meanwhile waiters give up after {@code maxWaitMillis} with {@link Unavailable}, so a worker is told to retry
 * rather than left hanging. A scheduler killed with queued changes loses only changes nobody was told about.
 */
public final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    private static final long RETRY_MILLIS = 200;

    /** The store did not persist the changes in time; they stay queued and are retried. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final StateStore store;
    private final long maxWaitMillis;
    private final Thread writer;
    private List<StateStore.Changes> queue = new ArrayList<>();
    private long queued;
    private long durable;
    private RuntimeException lastFailure;
    private boolean closed;

    public GroupCommitter(StateStore store, long maxWaitMillis) {
        this.store = store;
        this.maxWaitMillis = maxWaitMillis;
        this.writer = new Thread(this::run, "gridchain-state-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code changes} after every change queued before; returns the number to {@link #await} for them. */
    public synchronized long queue(StateStore.Changes changes) {
        if (closed) throw new IllegalStateException("the state writer is closed");
        if (changes.isEmpty()) return queued;
        queue.add(changes);
        queued++;
        notifyAll();
        return queued;
    }

    /** The number of the last change queued: awaiting it waits for everything queued so far. */
    public synchronized long queued() {
        return queued;
    }

    /** Blocks until the change numbered {@code sequence}, and so every change before it, is in the store. */
    public synchronized void await(long sequence) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        while (durable < sequence) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || (closed && !writer.isAlive())) {
                throw new Unavailable("the scheduler's state store has not saved the changes"
                        + (lastFailure == null ? "" : ": " + lastFailure.getMessage()), lastFailure);
            }
            wait(left);
        }
    }

    private void run() {
        while (true) {
            List<StateStore.Changes> batch;
            long upTo;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (queue.isEmpty()) return;
                batch = queue;
                queue = new ArrayList<>();
                upTo = queued;
            }
            StateStore.Changes merged = merge(batch);
            while (!persist(merged)) {
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (this) {
                durable = upTo;
                lastFailure = null;
                notifyAll();
            }
        }
    }

    private boolean persist(StateStore.Changes changes) {
        try {
            store.commit(changes);
            return true;
        } catch (RuntimeException e) {
            boolean first;
            synchronized (this) {
                first = lastFailure == null;
                lastFailure = e;
                notifyAll();
            }
            if (first) log.error("cannot save the scheduler's state, retrying every {} ms: {}", RETRY_MILLIS,
                    e.getMessage(), e);
            return false;
        }
    }

    /**
     * One set of changes equal to applying {@code batch} in order: the last version of each row and the last cursor
     * win, a deal is inserted once, spot-check outcomes add up.
     */
    static StateStore.Changes merge(List<StateStore.Changes> batch) {
        if (batch.size() == 1) return batch.get(0);
        Map<String, Task> tasks = new LinkedHashMap<>();
        Map<String, Replicate> replicates = new LinkedHashMap<>();
        Map<String, Worker> workers = new LinkedHashMap<>();
        Map<String, DealView> deals = new LinkedHashMap<>();
        Map<String, SpotCheckRecord> spotChecks = new LinkedHashMap<>();
        Long cursor = null;
        for (StateStore.Changes c : batch) {
            for (DealView d : c.deals()) deals.putIfAbsent(d.dealId(), d);
            for (Task t : c.tasks()) tasks.put(t.taskId(), t);
            for (Replicate r : c.replicates()) replicates.put(r.id(), r);
            for (Worker w : c.workers()) workers.put(w.address(), w);
            c.spotChecks().forEach((w, o) -> spotChecks.merge(w, o, SpotCheckRecord::plus));
            if (c.cursor() != null) cursor = c.cursor();
        }
        return new StateStore.Changes(List.copyOf(tasks.values()), List.copyOf(replicates.values()),
                List.copyOf(workers.values()), List.copyOf(deals.values()), cursor, Map.copyOf(spotChecks));
    }

    /** Saves what is queued, then stops the writer. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
            log.warn("the state writer did not finish saving within 30 s; unsaved changes are lost");
        }
    }
}
