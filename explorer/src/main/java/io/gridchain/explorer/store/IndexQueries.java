package io.gridchain.explorer.store;

import io.gridchain.explorer.index.DealRow;
import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.TxRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pages' reads of the index: deals by party or asset with what they certified, the transactions' gas and time, and
 * who was active lately. Each runs under the store's lock, so a page never sees half of a range the follower adds.
 */
public final class IndexQueries {
    /** Tasks a deal certified: those of its batches, and those of its own that were finalized one by one. */
    private static final String CERTIFIED = "(COALESCE((SELECT SUM(b.amount) FROM events b WHERE b.kind ="
            + " 'BATCH_FINALIZED' AND b.subject = d.deal_id), 0) + (SELECT COUNT(*) FROM events f WHERE f.kind ="
            + " 'TASK_FINALIZED' AND f.subject IN (SELECT i.subject FROM events i WHERE i.kind = 'TASK_INITIALIZED'"
            + " AND i.ref = d.deal_id)))";
    private static final String DEAL_COLUMNS = "d.deal_id, d.block, d.requester, d.workerpool, d.app, d.dataset,"
            + " d.app_price, d.dataset_price, d.workerpool_price, d.volume, d.trust, " + CERTIFIED + ", (SELECT COUNT(*)"
            + " FROM events c WHERE c.kind = 'TASK_CLAIMED' AND c.ref = d.deal_id)";

    private final IndexStore store;

    public IndexQueries(IndexStore store) {
        this.store = store;
    }

    /** A deal with the tasks it certified and those refunded. */
    public record DealFigures(DealRow deal, long certified, long refunded) {}

    /** Which column of a deal names the party or asset a page is about. */
    public enum Side {
        REQUESTER("requester"), WORKERPOOL("workerpool"), APP("app"), DATASET("dataset");

        final String column;

        Side(String column) {
            this.column = column;
        }
    }

    public Optional<DealFigures> deal(String dealId) {
        List<DealFigures> out = deals("WHERE d.deal_id = ?", List.of(dealId), 1);
        return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
    }

    /** The deals naming {@code value} on that side, newest first, at most {@code limit}. */
    public List<DealFigures> dealsOf(Side side, String value, int limit) {
        return deals("WHERE d." + side.column + " = ?", List.of(value), limit);
    }

    /** How many deals name {@code value} on that side, the tasks they asked for, certified, and what they paid it. */
    public record Usage(long deals, long tasks, long certified, long earned) {}

    public Usage usage(Side side, String value) {
        long[] u = new long[4];
        String price = switch (side) {
            case APP -> "d.app_price";
            case DATASET -> "d.dataset_price";
            case WORKERPOOL -> "d.workerpool_price";
            case REQUESTER -> "(d.app_price + d.dataset_price + d.workerpool_price)";
        };
        synchronized (store) {
            store.query("SELECT COUNT(*), COALESCE(SUM(d.volume), 0), COALESCE(SUM(" + CERTIFIED + "), 0),"
                    + " COALESCE(SUM(" + CERTIFIED + " * " + price + "), 0) FROM deals d WHERE d." + side.column + " = ?",
                    List.of(value), rs -> {
                        for (int i = 0; i < 4; i++) u[i] = rs.getLong(i + 1);
                    });
        }
        return new Usage(u[0], u[1], u[2], u[3]);
    }

    private List<DealFigures> deals(String where, List<String> args, int limit) {
        List<Object> params = new ArrayList<>(args);
        params.add(Math.max(0, limit));
        List<DealFigures> out = new ArrayList<>();
        synchronized (store) {
            store.query("SELECT " + DEAL_COLUMNS + " FROM deals d " + where + " ORDER BY d.block DESC LIMIT ?", params,
                    rs -> out.add(figures(rs)));
        }
        return out;
    }

    private static DealFigures figures(ResultSet rs) throws SQLException {
        return new DealFigures(new DealRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                rs.getLong(11)), rs.getLong(12), rs.getLong(13));
    }

    /** A batch a pool certified: its deal, how many tasks, where on the chain, and its transaction's gas. */
    public record Batch(String dealId, long tasks, long block, String tx, long time, long gasUsed) {}

    /** The batches certified for deals of {@code workerpool}, newest first. */
    public List<Batch> batchesOf(String workerpool, int limit) {
        List<Batch> out = new ArrayList<>();
        synchronized (store) {
            store.query("SELECT e.subject, e.amount, e.block, e.tx, COALESCE(t.time, 0), COALESCE(t.gas, 0) FROM events"
                    + " e JOIN deals d ON d.deal_id = e.subject LEFT JOIN txs t ON t.tx = e.tx WHERE e.kind ="
                    + " 'BATCH_FINALIZED' AND d.workerpool = ? ORDER BY e.block DESC, e.log_index DESC LIMIT ?",
                    List.of(workerpool, Math.max(0, limit)), rs -> out.add(new Batch(rs.getString(1), rs.getLong(2),
                            rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6))));
        }
        return out;
    }

    /** Where a task id belongs: its deal and index. */
    public record TaskRef(String dealId, long index) {}

    public Optional<TaskRef> task(String taskId) {
        List<TaskRef> out = new ArrayList<>();
        synchronized (store) {
            store.query("SELECT deal_id, idx FROM tasks WHERE task_id = ?", List.of(taskId),
                    rs -> out.add(new TaskRef(rs.getString(1), rs.getLong(2))));
        }
        return out.stream().findFirst();
    }

    /** The latest deals, newest first. */
    public List<DealFigures> latestDeals(int limit) {
        return deals("", List.of(), limit);
    }

    /** The transactions named, with their gas and time, in chain order. */
    public List<TxRow> txs(List<String> hashes) {
        List<TxRow> out = new ArrayList<>();
        if (hashes.isEmpty()) return out;
        String marks = String.join(", ", java.util.Collections.nCopies(hashes.size(), "?"));
        synchronized (store) {
            store.query("SELECT tx, block, gas, time FROM txs WHERE tx IN (" + marks + ") ORDER BY block", hashes,
                    rs -> out.add(new TxRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))));
        }
        return out;
    }

    /** Gas burnt by every transaction that emitted an indexed event. */
    public long gasSpent() {
        long[] out = new long[1];
        synchronized (store) {
            store.query("SELECT COALESCE(SUM(gas), 0) FROM txs", List.of(), rs -> out[0] = rs.getLong(1));
        }
        return out[0];
    }

    /**
     * Tasks certified per transaction time (seconds), in time order: the network chart's points, from the first indexed
     * transaction (with none certified yet) so that the curve starts at zero.
     */
    public Map<Long, Long> certifiedByTime() {
        Map<Long, Long> out = new LinkedHashMap<>();
        synchronized (store) {
            store.query("SELECT MIN(time) FROM txs", List.of(), rs -> {
                long first = rs.getLong(1);
                if (!rs.wasNull()) out.put(first, 0L);
            });
            store.query("SELECT t.time, SUM(e.amount) FROM events e JOIN txs t ON t.tx = e.tx WHERE e.kind IN"
                    + " ('BATCH_FINALIZED', 'TASK_FINALIZED') GROUP BY t.time ORDER BY t.time", List.of(),
                    rs -> out.merge(rs.getLong(1), rs.getLong(2), Long::sum));
        }
        return out;
    }

    /** Pools that made a deal, and workers settled or contributing, in transactions at or after {@code since}. */
    public record Activity(long pools, long workers) {}

    public Activity activeSince(long since) {
        long[] out = new long[2];
        synchronized (store) {
            store.query("SELECT COUNT(DISTINCT d.workerpool) FROM deals d JOIN events e ON e.subject = d.deal_id"
                    + " JOIN txs t ON t.tx = e.tx WHERE t.time >= ?", List.of(since), rs -> out[0] = rs.getLong(1));
            store.query("SELECT COUNT(DISTINCT e.party) FROM events e JOIN txs t ON t.tx = e.tx WHERE e.kind IN"
                    + " ('WORKER_SETTLED', 'TASK_CONTRIBUTED') AND t.time >= ?", List.of(since),
                    rs -> out[1] = rs.getLong(1));
        }
        return new Activity(out[0], out[1]);
    }

    /** The latest chain time the index saw (0 before any transaction). */
    public long lastTime() {
        long[] out = new long[1];
        synchronized (store) {
            store.query("SELECT COALESCE(MAX(time), 0) FROM txs", List.of(), rs -> out[0] = rs.getLong(1));
        }
        return out[0];
    }

    /** The events of {@code kind} naming {@code subject}, oldest first. */
    public List<HubEvent> events(HubEvent.Kind kind, String subject) {
        List<HubEvent> out = new ArrayList<>();
        synchronized (store) {
            store.query("SELECT block, log_index, tx, kind, subject, party, ref, amount FROM events WHERE kind = ? AND"
                    + " subject = ? ORDER BY block, log_index", List.of(kind.name(), subject),
                    rs -> out.add(IndexStore.event(rs)));
        }
        return out;
    }
}
