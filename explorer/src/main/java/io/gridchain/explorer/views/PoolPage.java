package io.gridchain.explorer.views;

import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.store.IndexQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pool's page: its owner (the scheduler), the API URL it published, its bond and reputation, its allowlist, the
 * workers its scheduler sees alive with their slots and their reputation in this pool, its recent batches and deals.
 *
 * @param workersError why the workers alive are unknown (no API URL, the scheduler unreachable), null when known
 */
public record PoolPage(String address, String owner, String apiUrl, long bond, boolean leaving, long score,
        boolean allowlistOnly, List<String> allowlisted, List<WorkerLine> workers, String workersError,
        IndexQueries.Usage usage, List<IndexQueries.Batch> recentBatches, List<DealLine> recentDeals) {

    /** A worker alive: its slots, how many are busy, its reputation and bond in this pool. */
    public record WorkerLine(String worker, int slots, int busy, long score, long bond, boolean allowed) {}

    /** The workers the pool's allowlist names now: the last word of its {@code WorkerAllowlisted} events for each. */
    public static List<String> allowlisted(List<HubEvent> events) {
        Map<String, Boolean> last = new TreeMap<>();
        for (HubEvent e : events) {
            if (e.kind() == HubEvent.Kind.WORKER_ALLOWLISTED) last.put(e.party(), e.amount() == 1);
        }
        List<String> out = new ArrayList<>();
        last.forEach((w, allowed) -> {
            if (allowed) out.add(w);
        });
        return out;
    }
}
