package io.gridchain.scheduler.live;

import io.gridchain.api.WorkerApi;
import io.gridchain.scheduler.planning.DataPlacement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What each worker caches of the inputs that carry placement directives, as the planner's affinity reads it: the
 * worker's last heartbeat report, plus what the tasks given to it lately make it fetch. A report cannot list a task
 * that reached the worker after it was sent (nor an input still downloading), and forgetting that task's input until
 * the next report would let another worker fetch the same data meanwhile; so an input given within
 * {@link #GIVEN_GRACE_MILLIS} of a report, or held by a task still holding a slot, stays. Kept in memory only: after a
 * restart, the first heartbeats rebuild it. Read and written under the scheduler's lock, like the {@link LiveState}.
 */
final class CacheReports {
    /** How long an input given to a worker counts as cached without a report saying so: several heartbeats. */
    static final long GIVEN_GRACE_MILLIS = 10_000;

    /** Most inputs whose last activity is remembered before the oldest are forgotten. */
    static final int MAX_ACTIVITY = 10_000;

    private final Map<String, Set<String>> reported = new HashMap<>();
    private final Map<String, Map<String, Long>> given = new HashMap<>();
    /** Per input, when a task reading it was last given out, or when a worker first reported holding it. */
    private final Map<String, Long> activity = new HashMap<>();

    /** What {@code worker} caches ({@link DataPlacement#key} keys). */
    Set<String> of(String worker) {
        Set<String> r = reported.getOrDefault(worker, Set.of());
        Map<String, Long> g = given.get(worker);
        if (g == null || r.containsAll(g.keySet())) return r;
        Set<String> all = new HashSet<>(r);
        all.addAll(g.keySet());
        return all;
    }

    /**
     * When a task reading {@code key} was last given out (or a worker first said it holds it), 0 if never: a worker
     * without the input waits for its holders only a while after that ({@link DataPlacement}).
     */
    long activity(String key) {
        return activity.getOrDefault(key, 0L);
    }

    /** {@code worker} was given, at {@code now}, a task that reads {@code keys}. */
    void given(String worker, Collection<String> keys, long now) {
        if (keys.isEmpty()) return;
        Map<String, Long> g = given.computeIfAbsent(worker, w -> new HashMap<>());
        for (String k : keys) {
            g.put(k, now);
            activity.merge(k, now, Math::max);
        }
        bound();
    }

    private void bound() {
        if (activity.size() <= MAX_ACTIVITY) return;
        long oldest = activity.values().stream().sorted().skip(activity.size() - MAX_ACTIVITY).findFirst().orElse(0L);
        activity.values().removeIf(at -> at < oldest);
    }

    /**
     * {@code worker}'s heartbeat listed {@code listed}; {@code holding} are the keys of the tasks it holds a slot for,
     * which it has or is fetching whatever its report says. Entries that are not sha256 keys are ignored, and only
     * the first {@link WorkerApi#MAX_CACHED_REPORT} count: a worker cannot make the scheduler hold more.
     */
    void reported(String worker, Collection<String> listed, Collection<String> holding, long now) {
        Set<String> keys = new HashSet<>(holding);
        int n = 0;
        for (String entry : listed) {
            if (n++ == WorkerApi.MAX_CACHED_REPORT) break;
            String key = DataPlacement.key(entry);
            if (key != null && keys.add(key)) activity.putIfAbsent(key, now);
        }
        bound();
        if (keys.isEmpty()) reported.remove(worker);
        else reported.put(worker, keys);
        Map<String, Long> g = given.get(worker);
        if (g != null) {
            g.values().removeIf(at -> now - at > GIVEN_GRACE_MILLIS);
            if (g.isEmpty()) given.remove(worker);
        }
    }
}
