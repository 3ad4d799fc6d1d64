package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.orders.Eip712Domain;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's session with its scheduler and the claim loop: registers (again when the scheduler forgot it),
 * claims up to its free slots, and backs off when the scheduler fails. A scheduler error never stops the loop.
 */
final class Session implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    /** Heartbeat period when the scheduler names none. */
    static final long DEFAULT_HEARTBEAT_SECONDS = 10;

    /** How long a worker with some slots still busy waits for more to free up before it claims. */
    static final long CLAIM_LINGER_MILLIS = 3;

    static final long FIRST_ERROR_BACKOFF_MILLIS = 250;
    static final long MAX_ERROR_BACKOFF_MILLIS = 5_000;

    private final WorkerConfig config;
    private final SchedulerPort scheduler;
    private final SlotLedger ledger;
    private final Dispatcher dispatcher;
    private final BatchSigner signer;
    /** Starts the heartbeats with the period the scheduler named, once. */
    private final LongConsumer startHeartbeats;
    private final AtomicBoolean closed;
    private final Object wake = new Object();

    private volatile WorkerApi.RegisterResponse registration;
    private volatile Eip712Domain domain;
    private boolean heartbeatsStarted; // claim loop thread only

    Session(WorkerConfig config, SchedulerPort scheduler, SlotLedger ledger, Dispatcher dispatcher,
            BatchSigner signer, LongConsumer startHeartbeats, AtomicBoolean closed) {
        this.config = config;
        this.scheduler = scheduler;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.signer = signer;
        this.startHeartbeats = startHeartbeats;
        this.closed = closed;
    }

    WorkerApi.RegisterResponse registration() {
        return registration;
    }

    Eip712Domain domain() {
        return domain;
    }

    /** The scheduler no longer knows this worker: the claim loop registers again. */
    void forget() {
        registration = null;
        wakeUp();
    }

    /** Whether the scheduler's error says it does not know this worker. */
    static boolean forgotUs(SchedulerException e) {
        return e.status() / 100 == 4 && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("regist");
    }

    /** The pause after an error, following {@code previous} (0 after a success). */
    static long nextBackoff(long previous) {
        return previous == 0 ? FIRST_ERROR_BACKOFF_MILLIS : Math.min(previous * 2, MAX_ERROR_BACKOFF_MILLIS);
    }

    /** The claim loop; returns when the agent is closed. */
    @Override
    public void run() {
        log.info("worker {} starting: {}", config.address(), config);
        long backoff = 0;
        while (!closed.get()) {
            try {
                if (registration == null || scheduler.sessionLost()) {
                    register(); // also after the scheduler forgot the session (restart): a new session
                }
                int free = ledger.free();
                if (free > 0 && free < ledger.capacity() && !ledger.isEmpty()) {
                    // more slots are about to free up: one claim for several saves the scheduler requests
                    Thread.sleep(CLAIM_LINGER_MILLIS);
                }
                boolean claimed = claimOnce();
                backoff = 0;
                if (!claimed) {
                    pause(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SchedulerException e) {
                if (closed.get()) {
                    break;
                }
                if (forgotUs(e)) {
                    registration = null;
                }
                backoff = nextBackoff(backoff);
                log.warn("scheduler: {} (retrying in {} ms)", e.getMessage(), backoff);
                pause(backoff);
            } catch (RuntimeException e) {
                if (closed.get()) {
                    break;
                }
                backoff = nextBackoff(backoff);
                log.warn("worker loop error: {} (retrying in {} ms)", e.toString(), backoff);
                pause(backoff);
            }
        }
        log.info("worker {} stopped", config.address());
    }

    private void register() {
        WorkerApi.RegisterResponse r = scheduler.register(
                new WorkerApi.RegisterRequest(config.slots(), SchedulerClient.AGENT));
        if (r == null || r.hub() == null) {
            throw new SchedulerException(200, "POST", WorkerApi.REGISTER,
                    "the scheduler's registration answer names no hub", null);
        }
        domain = new Eip712Domain(r.chainId(), r.hub());
        registration = r;
        long period = r.heartbeatSeconds() > 0 ? r.heartbeatSeconds() : DEFAULT_HEARTBEAT_SECONDS;
        log.info("worker {} registered with workerpool {} (chain {}, hub {}, {} slots, heartbeat every {} s)",
                config.address(), r.workerpool(), r.chainId(), r.hub(), config.slots(), period);
        if (!heartbeatsStarted) {
            heartbeatsStarted = true;
            startHeartbeats.accept(period);
        }
    }

    /** Claims up to the free slots and starts what came; false when idle (nothing to claim or no free slot). */
    private boolean claimOnce() {
        int free = ledger.free();
        if (free <= 0 || !ledger.tryAcquire(free)) {
            return false;
        }
        int[] used = {0};
        try {
            WorkerApi.ClaimResponse response = scheduler.claim(new WorkerApi.ClaimRequest(free));
            if (response != null) {
                signer.signLater(response.sign());
                dispatcher.start(response.assignments(), free, used);
            }
            return used[0] > 0;
        } finally {
            ledger.release(free - used[0]);
        }
    }

    private void pause(long millis) {
        if (millis <= 0 || closed.get()) {
            return;
        }
        synchronized (wake) {
            try {
                wake.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed.set(true);
            }
        }
    }

    /** Ends a pause early: a slot came free, the session was lost, or the agent is closing. */
    void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }
}
