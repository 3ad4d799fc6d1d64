package io.gridchain.explorer.views;

import io.gridchain.explorer.index.DealRow;
import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.TxRow;
import io.gridchain.explorer.store.IndexQueries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deal's page: its terms and parties, each task's status (the page polls its JSON twin until every task is final),
 * the transactions that moved it with their gas, and its refunds.
 *
 * @param tasks        the first {@link #MAX_TASKS} tasks; {@code volume} says how many there are in all
 * @param transactions the deal's transactions, oldest first, each with what it did
 * @param done         every task is certified or refunded: nothing will change any more
 */
public record DealPage(String dealId, long block, String requester, String workerpool, String app, String dataset,
        long appPrice, long datasetPrice, long workerpoolPrice, long trust, long volume, long certified, long refunded,
        List<TaskLine> tasks, List<TxLine> transactions, long gasUsed, boolean done) {
    /** The tasks a page lists, and so the statuses read per refresh. */
    public static final int MAX_TASKS = 100;

    /** A task of the deal and its status ({@link TaskStates}). */
    public record TaskLine(long index, String taskId, String status) {}

    /** A transaction of the deal: what it did and the gas it burnt. */
    public record TxLine(String tx, long block, long time, String what, long gasUsed) {}

    /**
     * @param events the index's events of the deal and of its tasks
     * @param txs    the index's rows of those events' transactions
     */
    public static DealPage of(IndexQueries.DealFigures figures, List<HubEvent> events, List<TxRow> txs,
            List<TaskLine> tasks) {
        DealRow d = figures.deal();
        Map<String, List<String>> what = new LinkedHashMap<>();
        for (HubEvent e : events) {
            String line = switch (e.kind()) {
                case DEAL_CREATED -> "deal matched (" + e.amount() + " task" + (e.amount() == 1 ? "" : "s") + ")";
                case BATCH_FINALIZED -> "batch of " + e.amount() + " certified";
                case TASK_FINALIZED -> "task certified";
                case TASK_CLAIMED -> "task refunded";
                case TASK_INITIALIZED -> "task " + e.amount() + " initialized";
                case TASK_CONTRIBUTED -> "contribution";
                case TASK_REVEALED -> "reveal";
                case CALLBACK_DELIVERED -> e.amount() == 1 ? "callback delivered" : "callback refused";
                case WORKER_SETTLED -> "worker paid";
                default -> null;
            };
            if (line != null) what.computeIfAbsent(e.tx(), k -> new ArrayList<>()).add(line);
        }
        List<TxLine> lines = new ArrayList<>();
        long gas = 0;
        for (TxRow t : txs) {
            List<String> w = what.getOrDefault(t.tx(), List.of());
            lines.add(new TxLine(t.tx(), t.block(), t.time(), summary(w), t.gasUsed()));
            gas += t.gasUsed();
        }
        boolean done = figures.certified() + figures.refunded() >= d.volume();
        return new DealPage(d.dealId(), d.block(), d.requester(), d.workerpool(), d.app(), d.dataset(), d.appPrice(),
                d.datasetPrice(), d.workerpoolPrice(), d.trust(), d.volume(), figures.certified(), figures.refunded(),
                tasks, lines, gas, done);
    }

    /** "worker paid ×3" rather than the same words three times. */
    static String summary(List<String> lines) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String l : lines) counts.merge(l, 1, Integer::sum);
        List<String> out = new ArrayList<>();
        counts.forEach((l, n) -> out.add(n == 1 ? l : l + " ×" + n));
        return String.join(", ", out);
    }
}
