package io.gridchain.scheduler.api;

import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code limit} events per key (an address, an IP) in each fixed window of {@code windowMillis}. The keys
 * themselves are bounded: past {@code maxKeys} live windows a new key is refused, so a flood of fresh keys cannot
 * grow the table either.
 */
final class RateQuota {
    private record Window(long start, int count) {}

    private final int limit;
    private final long windowMillis;
    private final int maxKeys;
    private final Map<String, Window> windows = new HashMap<>();

    RateQuota(int limit, long windowMillis, int maxKeys) {
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.maxKeys = maxKeys;
    }

    /** Counts one event for {@code key} at {@code now}; false, counting nothing, when the key is over its quota. */
    synchronized boolean take(String key, long now) {
        Window w = windows.get(key);
        if (w == null || now - w.start() >= windowMillis) {
            if (w == null && windows.size() >= maxKeys) {
                windows.values().removeIf(x -> now - x.start() >= windowMillis);
                if (windows.size() >= maxKeys) return false;
            }
            w = new Window(now, 0);
        }
        if (w.count() >= limit) return false;
        windows.put(key, new Window(w.start(), w.count() + 1));
        return true;
    }
}
