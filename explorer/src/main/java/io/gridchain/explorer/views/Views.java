package io.gridchain.explorer.views;

import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.HubEvent.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The explorer's page models, as pure functions of indexed events: what the network page and a deal's page show, and
 * what a search string names. Nothing here reads the chain or the database, so each is tested on its own.
 */
public final class Views {
    private Views() {}

    /** The network's figures. {@code block} is the last block the index read. */
    public record Network(long block, long deals, long tasksRequested, long tasksCertified, long tasksRefunded,
            long workerpools, long apps, long datasets) {}

    public static Network network(long block, Map<Kind, long[]> totals) {
        return new Network(block, totals.get(Kind.DEAL_CREATED)[0], totals.get(Kind.DEAL_CREATED)[1],
                totals.get(Kind.BATCH_FINALIZED)[1] + totals.get(Kind.TASK_FINALIZED)[0],
                totals.get(Kind.TASK_CLAIMED)[0], totals.get(Kind.WORKERPOOL_CREATED)[0], totals.get(Kind.APP_CREATED)[0],
                totals.get(Kind.DATASET_CREATED)[0]);
    }

    /** A deal as its events tell it: who asked, which pool, how many tasks, how many certified in batches, refunded. */
    public record Deal(String dealId, String requester, String workerpool, long volume, long block, String tx,
            long certifiedInBatches, long refunded, List<Long> batchBlocks) {}

    /** The deal {@code dealId} from the events about it, empty when the index has not seen it created. */
    public static Optional<Deal> deal(String dealId, List<HubEvent> events) {
        HubEvent created = null;
        long certified = 0;
        long refunded = 0;
        List<Long> batches = new ArrayList<>();
        for (HubEvent e : events) {
            if (e.kind() == Kind.DEAL_CREATED && e.subject().equals(dealId)) created = e;
            else if (e.kind() == Kind.BATCH_FINALIZED && e.subject().equals(dealId)) {
                certified += e.amount();
                batches.add(e.block());
            } else if (e.kind() == Kind.TASK_CLAIMED && dealId.equals(e.ref())) refunded++;
        }
        if (created == null) return Optional.empty();
        return Optional.of(new Deal(dealId, created.party(), created.ref(), created.amount(), created.block(),
                created.tx(), certified, refunded, batches));
    }

    /** What a search string is: a deal or task id (32 bytes), an address (20 bytes), or nothing the explorer knows. */
    public enum Query { ID, ADDRESS, NONE }

    public static Query classify(String q) {
        if (q == null) return Query.NONE;
        String s = q.strip().toLowerCase(Locale.ROOT);
        if (s.matches("0x[0-9a-f]{64}")) return Query.ID;
        if (s.matches("0x[0-9a-f]{40}")) return Query.ADDRESS;
        return Query.NONE;
    }
}
