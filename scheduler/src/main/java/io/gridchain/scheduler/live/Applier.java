package io.gridchain.scheduler.live;

import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.GroupCommitter;
import io.gridchain.scheduler.state.StateStore;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one owner of the scheduler's lock and of its group commit, and the only caller of the {@link StateStore}.
 * Every change is made in the {@link LiveState} and queued to the store as one set, in the order it is made in
 * memory; a {@link GroupCommitter} saves what is queued in one transaction for many requests. Nothing leaves the
 * scheduler before the changes it depends on are saved ({@link #saved}, {@link #durably}), so a scheduler killed at
 * any moment restarts from a consistent state that covers everything it told anyone.
 */
public final class Applier implements AutoCloseable {
    /** How long an answer waits for its changes to be saved before the worker is told to retry. */
    private static final long SAVE_WAIT_MILLIS = 10_000;

    private final Object lock = new Object();
    private final StateStore store;
    private final GroupCommitter writer;
    private final LiveState live = new LiveState();

    public Applier(StateStore store) {
        this.store = store;
        live.load(store.deals(), store.liveTasks(), store.liveReplicates(), store.workers(), store.spotChecks(),
                store.cursor());
        this.writer = new GroupCommitter(store, SAVE_WAIT_MILLIS);
    }

    /** The lock every read and change of the live state is made under. */
    public Object lock() {
        return lock;
    }

    /** The live state; read it under {@link #lock()}. */
    public LiveState live() {
        return live;
    }

    /** Makes the changes in memory and queues them to be saved after every change queued before. Hold the lock. */
    public void apply(Changes changes) {
        if (!Thread.holdsLock(lock)) throw new IllegalStateException("changes are applied under the lock");
        if (changes.isEmpty()) return;
        writer.queue(changes);
        live.apply(changes);
    }

    public void apply(Collection<Task> tasks, Collection<Replicate> replicates, Collection<Worker> workers) {
        apply(new Changes(tasks, replicates, workers));
    }

    public void applyTasks(Collection<Task> tasks) {
        apply(tasks, List.of(), List.of());
    }

    public void applyReplicates(Collection<Replicate> replicates) {
        apply(List.of(), replicates, List.of());
    }

    /** The number of the last change queued: {@link #saved} of it waits for everything applied so far. */
    public long queued() {
        return writer.queued();
    }

    /** Waits until the change numbered {@code sequence}, and every change before it, is saved. */
    public void saved(long sequence) {
        try {
            writer.await(sequence);
        } catch (GroupCommitter.Unavailable e) {
            throw new Rejected(503, e.getMessage() + "; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejected(503, "the scheduler is stopping; retry later");
        }
    }

    /**
     * Runs {@code work} under the lock and returns its answer once every change made so far is saved: the answer
     * may rest on another request's changes as well as on its own.
     */
    public <T> T durably(Supplier<T> work) {
        T answer;
        long sequence;
        synchronized (lock) {
            answer = work.get();
            sequence = writer.queued();
        }
        saved(sequence);
        return answer;
    }

    /** The hashes of the blocks the deal scan processed, as saved (see {@link StateStore#trail}). */
    public List<BlockTrail.Mark> trail() {
        return store.trail();
    }

    /**
     * Saves the deal scan's trail now, outside the group commit: the follower saves a block's mark before it scans
     * up to that block, so a trail ahead of the cursor is the only mismatch a crash can leave, and it is harmless.
     */
    public void saveTrail(List<BlockTrail.Mark> marks) {
        store.saveTrail(marks);
    }

    /** A task as saved, once every change applied so far is saved (an ended task is no longer in memory). */
    public Optional<Task> savedTask(String taskId) {
        saved(writer.queued());
        return store.task(taskId);
    }

    /** A deal's tasks as saved, once every change applied so far is saved. */
    public List<Task> savedTasksOf(String dealId) {
        saved(writer.queued());
        return store.tasksOf(dealId);
    }

    /** A replicate as saved (it may lag what memory holds: callers use it for replicates that left memory). */
    public Optional<Replicate> storedReplicate(String replicateId) {
        return store.replicate(replicateId);
    }

    /** Saves what is queued, then closes the store. */
    @Override
    public void close() {
        writer.close();
        store.close();
    }
}
