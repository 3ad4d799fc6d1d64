package io.gridchain.scheduler.delivery;

import io.gridchain.scheduler.delivery.DeliveryStore.Registration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries on a thread of their own, after the certification room says a task is certified: it never holds
 * the scheduler's lock while it uploads, and nothing it does reaches a task, a payment or the pool's copy. What each
 * outcome makes of a delivery is the {@link DeliveryMachine}'s; what is kept, the {@link DeliveryStore}'s.
 *
 * <p>Every delivery is saved before its first attempt and after each, so a restarted scheduler resumes those not
 * ended. A task certified while no delivery was saved for it (a crash right after its certification, or a batch the
 * chain settled without a receipt) is found by a rescan of the deals with a target: at start, when a target is named
 * (the tasks certified before it), and every {@code rescanMillis}.
 */
public final class Deliveries implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    public static final long RESCAN_MILLIS = 30_000;

    /** The certified tasks of a deal, as deliveries to start (from the scheduler's saved state). */
    public interface Certified {
        List<TaskDelivery> of(String dealId, long now);
    }

    private final DeliveryStore store;
    private final Uploader uploader;
    private final Function<TaskDelivery, Optional<Payload>> payloads;
    private final DeliveryMachine machine;
    private final Certified certified;
    private final String pool;
    private final long rescanMillis;
    /** Deals with a target: the certification hook reads it under the scheduler's lock, so it is concurrent. */
    private final Map<String, Registration> targets = new ConcurrentHashMap<>();
    /** Deliveries not ended, by task id (under this object's lock). */
    private final Map<String, TaskDelivery> active = new HashMap<>();
    /** Tasks just certified, handed over by the hook without a file write under the scheduler's lock. */
    private final Queue<TaskDelivery> inbox = new ConcurrentLinkedQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    public Deliveries(DeliveryStore store, Uploader uploader, Function<TaskDelivery, Optional<Payload>> payloads,
            DeliveryMachine machine, Certified certified, String pool, long rescanMillis) {
        this.store = store;
        this.uploader = uploader;
        this.payloads = payloads;
        this.machine = machine;
        this.certified = certified;
        this.pool = pool;
        this.rescanMillis = rescanMillis;
        this.thread = new Thread(this::run, "gridchain-delivery");
        this.thread.setDaemon(true);
    }

    /** Loads the targets and the deliveries not ended, then starts delivering. */
    public Deliveries start() {
        synchronized (this) {
            for (String deal : store.deals()) {
                store.target(deal).ifPresent(r -> targets.put(deal, r));
                for (TaskDelivery d : store.deliveries(deal)) if (!d.status().terminal()) active.put(d.taskId(), d);
            }
        }
        if (!active.isEmpty()) log.info("resuming {} delivery(ies) to requesters' storage", active.size());
        thread.start();
        return this;
    }

    /** Whether {@code dealId}'s requester named a target. */
    public boolean wanted(String dealId) {
        return targets.containsKey(dealId.toLowerCase());
    }

    /** A task of a deal with a target was certified. Cheap: the scheduler calls it under its lock. */
    public void certified(TaskDelivery pending) {
        if (!wanted(pending.dealId())) return;
        inbox.add(pending);
        wake.release();
    }

    /**
     * Names (or replaces) the deal's target: every task of the deal certified so far goes to it, from the start.
     * Returns how many were queued.
     */
    public int register(String dealId, Registration r, long now) {
        String deal = dealId.toLowerCase();
        List<TaskDelivery> done = certified.of(deal, now);
        int queued = 0;
        synchronized (this) {
            store.saveTarget(deal, r);
            targets.put(deal, r);
            Map<String, TaskDelivery> known = new HashMap<>();
            for (TaskDelivery d : store.deliveries(deal)) known.put(d.taskId(), d);
            for (TaskDelivery d : done) known.putIfAbsent(d.taskId(), d);
            for (TaskDelivery d : known.values()) {
                TaskDelivery again = machine.retargeted(d, now);
                store.save(again);
                active.put(again.taskId(), again);
                queued++;
            }
        }
        log.info("deal {}: results now also go to {} ({} certified so far queued)", deal, r.target().describe(),
                queued);
        wake.release();
        return queued;
    }

    /** Where the delivery of {@code taskId} stands; empty when its deal has no target or it is not certified yet. */
    public Optional<TaskDelivery> status(String dealId, String taskId) {
        String deal = dealId.toLowerCase();
        if (!targets.containsKey(deal)) return Optional.empty();
        synchronized (this) {
            TaskDelivery d = active.get(taskId.toLowerCase());
            if (d != null) return Optional.of(d);
        }
        return store.delivery(deal, taskId);
    }

    private void run() {
        long nextRescan = 0;
        while (running) {
            try {
                long now = System.currentTimeMillis();
                take();
                if (now >= nextRescan) {
                    rescan(now);
                    nextRescan = now + rescanMillis;
                }
                for (TaskDelivery d : due(now)) {
                    if (!running) return;
                    attempt(d);
                }
                wake.tryAcquire(Math.max(1, Math.min(nextDue(), nextRescan) - System.currentTimeMillis()),
                        TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("deliveries: {}", e.getMessage(), e);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Saves the tasks the hook handed over, unless their delivery is already known. */
    private void take() {
        for (TaskDelivery d; (d = inbox.poll()) != null; ) addIfNew(d);
    }

    private void rescan(long now) {
        for (String deal : List.copyOf(targets.keySet())) {
            for (TaskDelivery d : certified.of(deal, now)) addIfNew(d);
        }
    }

    private synchronized void addIfNew(TaskDelivery d) {
        if (active.containsKey(d.taskId()) || store.delivery(d.dealId(), d.taskId()).isPresent()) return;
        store.save(d);
        active.put(d.taskId(), d);
    }

    private synchronized List<TaskDelivery> due(long now) {
        List<TaskDelivery> due = new ArrayList<>();
        for (TaskDelivery d : active.values()) if (d.due(now)) due.add(d);
        due.sort(Comparator.comparingLong(TaskDelivery::nextAt).thenComparingLong(TaskDelivery::index));
        return due;
    }

    private synchronized long nextDue() {
        return active.values().stream().mapToLong(TaskDelivery::nextAt).min().orElse(Long.MAX_VALUE);
    }

    /** One upload, outside any lock; its outcome is kept unless the target was replaced meanwhile. */
    private void attempt(TaskDelivery d) {
        Registration r = targets.get(d.dealId());
        if (r == null) return;
        long now = System.currentTimeMillis();
        Optional<Payload> payload = payloads.apply(d);
        TaskDelivery next;
        if (payload.isEmpty()) {
            next = machine.waiting(d, now);
        } else {
            try {
                uploader.put(r.target(), payload.get());
                next = machine.delivered(d, System.currentTimeMillis());
            } catch (UploadFailure e) {
                next = machine.failed(d, r.target().describe(), e.getMessage(), pool, System.currentTimeMillis());
            }
        }
        synchronized (this) {
            if (active.get(d.taskId()) != d) return; // the target was replaced: the new one starts it again
            store.save(next);
            if (next.status().terminal()) active.remove(d.taskId());
            else active.put(d.taskId(), next);
        }
        switch (next.status()) {
            case DELIVERED -> log.info("task {}: result delivered to {}", d.taskId(), r.target().describe());
            case FAILED -> log.warn("task {}: {}", d.taskId(), next.cause());
            case RETRYING -> log.info("task {}: {}", d.taskId(), next.cause());
            default -> { }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uploader.close();
    }
}
