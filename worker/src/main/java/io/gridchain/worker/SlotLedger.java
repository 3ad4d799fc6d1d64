package io.gridchain.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The worker's slots and the phase of every replicate holding one. A replicate holds its slot from its start until
 * its digest reaches the scheduler or it is reported or dropped; one map entry per replicate keeps that (and what
 * the heartbeat lists) in one place, where the phase says which part of the agent has it.
 */
final class SlotLedger {

    /** Where a held replicate is. */
    enum Phase {
        /** Fetching, running, digesting or uploading on a replicate thread. */
        RUNNING,
        /** Its commit waits in the outbox or is being sent. */
        QUEUED_COMMIT,
        /** Committed without its digest: waits for the scheduler to ask for the reveal. */
        COMMITTED_AWAITING_REVEAL,
        /** Taken for a reveal (uploading or revealing). */
        REVEALING,
        /** Its failure report waits in the outbox or is being sent. */
        QUEUED_FAILURE,
        /** Its commit or report could not reach the scheduler: sent again after a pause. */
        RETRYING
    }

    /** One held replicate. The phase moves by compare-and-set: a reveal and a cancel race for a committed one. */
    static final class Held {
        private static final VarHandle PHASE;

        static {
            try {
                PHASE = MethodHandles.lookup().findVarHandle(Held.class, "phase", Phase.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile Phase phase;
        /** The replicate's job while its thread has not let go of it (the replicate is "running" until then). */
        private volatile Cancellable job;
        private volatile Pending pending;

        private Held(Cancellable job) {
            this.phase = Phase.RUNNING;
            this.job = job;
        }

        private boolean move(Phase from, Phase to) {
            return PHASE.compareAndSet(this, from, to);
        }
    }

    /** What the ledger can stop: a replicate's job. */
    interface Cancellable {
        void cancel();
    }

    private final int capacity;
    private final Semaphore slots;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    /** Jobs whose thread still has them: the outbox lingers for more results while there are some. */
    private final AtomicInteger attached = new AtomicInteger();
    /** Called when a slot comes free, to wake the claim loop. */
    private final Runnable onRelease;

    SlotLedger(int capacity, Runnable onRelease) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
        this.onRelease = onRelease;
    }

    int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------------------------------------- permits

    int free() {
        return slots.availablePermits();
    }

    boolean tryAcquire(int permits) {
        return slots.tryAcquire(permits);
    }

    /** Gives back permits that were acquired but not given to a replicate. */
    void release(int permits) {
        if (permits > 0) {
            slots.release(permits);
            onRelease.run();
        }
    }

    // ---------------------------------------------------------------------------------------------- replicates

    /** Whether the replicate holds a slot (in any phase). */
    boolean holds(String id) {
        return held.containsKey(id);
    }

    /** Records a replicate starting on a permit the caller holds; null if it already holds one. */
    Held start(String id, Cancellable job) {
        Held h = new Held(job);
        if (held.putIfAbsent(id, h) != null) {
            return null;
        }
        attached.incrementAndGet();
        return h;
    }

    /** Undoes {@link #start} when the job could not be run; the caller keeps the permit. */
    void unstart(String id) {
        if (held.remove(id) != null) {
            attached.decrementAndGet();
        }
    }

    /** The replicate's thread let go of it (whatever came of it). */
    void detach(Held h) {
        h.job = null;
        attached.decrementAndGet();
    }

    boolean anyAttached() {
        return attached.get() > 0;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Sets the phase whatever it was (the caller owns the replicate in its current phase). */
    void to(String id, Phase phase) {
        Held h = held.get(id);
        if (h != null) {
            h.phase = phase;
        }
    }

    /** Parks a committed result until its reveal is asked for. */
    void awaitReveal(Pending p) {
        Held h = held.get(p.replicateId());
        if (h != null) {
            h.pending = p;
            h.phase = Phase.COMMITTED_AWAITING_REVEAL;
        }
    }

    /** Takes a committed result for its reveal; null if the replicate is not waiting for one. */
    Pending takeForReveal(String id) {
        Held h = held.get(id);
        return h != null && h.move(Phase.COMMITTED_AWAITING_REVEAL, Phase.REVEALING) ? h.pending : null;
    }

    /** Puts back a result whose reveal could not be sent, for the next time it is asked for. */
    void revealLater(Pending p) {
        Held h = held.get(p.replicateId());
        if (h != null) {
            h.move(Phase.REVEALING, Phase.COMMITTED_AWAITING_REVEAL);
        }
    }

    /**
     * Cancels the replicate: interrupts its job if its thread still has it, drops its result if it waits for a
     * reveal. Returns what it did, for the log.
     */
    Cancelled cancel(String id) {
        Held h = held.get(id);
        if (h == null) {
            return Cancelled.NOTHING;
        }
        Cancellable job = h.job;
        if (job != null) {
            job.cancel();
        }
        boolean dropped = h.move(Phase.COMMITTED_AWAITING_REVEAL, Phase.REVEALING);
        if (dropped) {
            finish(id);
        }
        return new Cancelled(job != null, dropped);
    }

    record Cancelled(boolean interrupted, boolean dropped) {
        static final Cancelled NOTHING = new Cancelled(false, false);
    }

    /** Frees the slot of a replicate the agent is done with (revealed, reported or dropped); idempotent. */
    void finish(String id) {
        if (held.remove(id) != null) {
            slots.release();
            onRelease.run();
        }
    }

    /**
     * Ends the replicate but keeps its permit for the caller, which passes it to new work without going through
     * the semaphore (so the claim loop cannot take it in between); false if the replicate held no slot.
     */
    boolean handOver(String id) {
        return held.remove(id) != null;
    }

    /** Stops every job whose thread still has it (closing). */
    void cancelAll() {
        for (Held h : held.values()) {
            Cancellable job = h.job;
            if (job != null) {
                job.cancel();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- views

    /** Every replicate holding a slot, for the heartbeat. */
    List<String> heldIds() {
        return new ArrayList<>(held.keySet());
    }

    /** Replicates whose thread still has them (fetching, running or committing). */
    Set<String> attachedIds() {
        return ids(h -> h.job != null);
    }

    Set<String> inPhase(Phase phase) {
        return ids(h -> h.phase == phase);
    }

    private Set<String> ids(Predicate<Held> which) {
        List<String> ids = new ArrayList<>();
        held.forEach((id, h) -> {
            if (which.test(h)) {
                ids.add(id);
            }
        });
        return Set.copyOf(ids);
    }
}
