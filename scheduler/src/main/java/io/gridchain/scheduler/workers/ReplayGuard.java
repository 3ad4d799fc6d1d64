package io.gridchain.scheduler.workers;

import io.gridchain.api.RequestAuth;
import io.gridchain.scheduler.model.Worker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may send a request, and whether it was sent before. Each worker's window of key-signed nonces is kept in
 * memory only: after a restart the floor is this scheduler's start time in microseconds (the unit workers' nonces
 * grow in), so a request captured before the restart cannot be replayed after it. Needs no lock: it runs for
 * every request before anything else.
 */
public final class ReplayGuard {
    private final Map<String, Worker> workers;
    private final long startedAt;
    private final Map<String, RequestAuth.ReplayWindow> keyNonces = new ConcurrentHashMap<>();

    /** {@code workers} is the live state's concurrent map of registered workers. */
    public ReplayGuard(Map<String, Worker> workers, long startedAt) {
        this.workers = workers;
        this.startedAt = startedAt;
    }

    /** Key-signed nonces from {@code worker} at or below this are refused. */
    public long nonceFloor(String worker) {
        // asking costs nothing: a window is made only when a request's nonce is recorded
        RequestAuth.ReplayWindow w = keyNonces.get(worker);
        return w == null ? startedAt * 1000 : w.floor();
    }

    private RequestAuth.ReplayWindow window(String worker) {
        return keyNonces.computeIfAbsent(worker,
                w -> new RequestAuth.ReplayWindow(RequestAuth.KEY_NONCE_WINDOW, startedAt * 1000));
    }

    /**
     * Records that an authenticated request from {@code worker} arrived (liveness and replay
     * protection). {@code nonce} is a key-signed request's nonce, or -1 for a session's (the session
     * keeps those); false if a request with that nonce got in before, or the nonce is too old.
     */
    public boolean seen(String worker, long nonce) {
        if (nonce >= 0 && !window(worker).accept(nonce)) return false;
        long now = System.currentTimeMillis();
        workers.computeIfPresent(worker, (k, w) -> w.seen(now, nonce));
        return true;
    }

    /** How many nonces the worker's window remembers (bounded by {@link RequestAuth#MAX_WINDOW_ENTRIES}). */
    public int windowSize(String worker) {
        RequestAuth.ReplayWindow w = keyNonces.get(worker);
        return w == null ? 0 : w.size();
    }

    /** How many workers have a window. */
    public int windows() {
        return keyNonces.size();
    }

    public boolean registered(String worker) {
        return workers.containsKey(worker);
    }
}
