package io.gridchain.explorer.store;

import io.gridchain.explorer.index.DealRow;
import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.TxRow;
import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.protocol.deal.Deal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The explorer's index in SQLite: the events, the blocks' trail and the cursor. A range of blocks goes in as one
 * transaction with the cursor and the trail that cover it, and a reorganisation takes out the events above the fork in
 * one transaction with the cursor moved back; so a restart resumes exactly where the index stands, and an event is
 * never counted twice nor lost (the primary key is its place on the chain). Thread-safe: one connection, every method
 * synchronized (the follower writes, the HTTP threads read); {@link IndexQueries} reads under the same lock.
 */
public final class IndexStore implements AutoCloseable {
    /**
     * The layout's version: an index is only a cache of the chain, so one of another version is dropped and read again
     * from block 0 rather than migrated.
     */
    static final String SCHEMA = "2";
    /**
     * The task ids kept per deal, so that a search finds a task of the batch path (no event names it): a deal of more
     * tasks is found by its id, and its later tasks by their deal's page.
     */
    public static final int TASKS_PER_DEAL = 10_000;

    private static final List<String> TABLES = List.of("events", "deals", "tasks", "txs");

    private final Connection db;
    /** Bumped by every range added and every rewind: a page computed at another version may be stale. */
    private long version;

    /**
     * Opens the index at {@code file} for the chain named by {@code chain} (the hub's address and the genesis block's
     * hash): an index of another chain, such as the previous devnet's, is dropped and read again from block 0.
     */
    public IndexStore(Path file, String chain) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                if (!SCHEMA.equals(meta("schema")) || !chain.equals(meta("chain"))) {
                    for (String t : TABLES) s.execute("DROP TABLE IF EXISTS " + t);
                    s.execute("DELETE FROM meta");
                    setMeta("schema", SCHEMA);
                    setMeta("chain", chain);
                }
                s.execute("CREATE TABLE IF NOT EXISTS events (block INTEGER NOT NULL, log_index INTEGER NOT NULL,"
                        + " tx TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, party TEXT, ref TEXT,"
                        + " amount INTEGER NOT NULL, PRIMARY KEY (block, log_index))");
                s.execute("CREATE INDEX IF NOT EXISTS events_subject ON events (subject)");
                s.execute("CREATE INDEX IF NOT EXISTS events_party ON events (party)");
                s.execute("CREATE INDEX IF NOT EXISTS events_ref ON events (ref)");
                s.execute("CREATE INDEX IF NOT EXISTS events_kind ON events (kind)");
                s.execute("CREATE TABLE IF NOT EXISTS deals (deal_id TEXT PRIMARY KEY, block INTEGER NOT NULL,"
                        + " requester TEXT NOT NULL, workerpool TEXT NOT NULL, app TEXT NOT NULL, dataset TEXT NOT NULL,"
                        + " app_price INTEGER NOT NULL, dataset_price INTEGER NOT NULL, workerpool_price INTEGER NOT NULL,"
                        + " volume INTEGER NOT NULL, trust INTEGER NOT NULL)");
                for (String c : List.of("requester", "workerpool", "app", "dataset")) {
                    s.execute("CREATE INDEX IF NOT EXISTS deals_" + c + " ON deals (" + c + ")");
                }
                s.execute("CREATE TABLE IF NOT EXISTS tasks (task_id TEXT PRIMARY KEY, deal_id TEXT NOT NULL,"
                        + " idx INTEGER NOT NULL, block INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS txs (tx TEXT PRIMARY KEY, block INTEGER NOT NULL,"
                        + " gas INTEGER NOT NULL, time INTEGER NOT NULL)");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the explorer's index " + file + ": " + e.getMessage(), e);
        }
    }

    /** The next block to read (0 before the first range). */
    public synchronized long cursor() {
        String v = meta("cursor");
        return v == null ? 0 : Long.parseLong(v);
    }

    /** How many times the index changed since it was opened. */
    public synchronized long version() {
        return version;
    }

    /** The trail of the blocks read, oldest first. */
    public synchronized List<BlockTrail.Mark> trail() {
        List<BlockTrail.Mark> out = new ArrayList<>();
        String v = meta("trail");
        if (v == null || v.isEmpty()) return out;
        for (String m : v.split(",")) {
            int colon = m.indexOf(':');
            out.add(new BlockTrail.Mark(Long.parseLong(m.substring(0, colon)), m.substring(colon + 1)));
        }
        return out;
    }

    /** Blocks up to {@code nextCursor - 1} held these events, deals and transactions: all of it or nothing. */
    public synchronized void add(List<HubEvent> events, List<DealRow> deals, List<TxRow> txs, long nextCursor,
            List<BlockTrail.Mark> trail) {
        transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO deals (deal_id, block, requester,"
                    + " workerpool, app, dataset, app_price, dataset_price, workerpool_price, volume, trust)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (DealRow d : deals) {
                    p.setString(1, d.dealId());
                    p.setLong(2, d.block());
                    p.setString(3, d.requester());
                    p.setString(4, d.workerpool());
                    p.setString(5, d.app());
                    p.setString(6, d.dataset());
                    p.setLong(7, d.appPrice());
                    p.setLong(8, d.datasetPrice());
                    p.setLong(9, d.workerpoolPrice());
                    p.setLong(10, d.volume());
                    p.setLong(11, d.trust());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO tasks (task_id, deal_id, idx, block)"
                    + " VALUES (?, ?, ?, ?)")) {
                for (DealRow d : deals) {
                    for (long i = 0; i < Math.min(d.volume(), TASKS_PER_DEAL); i++) {
                        p.setString(1, Deal.taskId(d.dealId(), i).toLowerCase(Locale.ROOT));
                        p.setString(2, d.dealId());
                        p.setLong(3, i);
                        p.setLong(4, d.block());
                        p.addBatch();
                    }
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO txs (tx, block, gas, time)"
                    + " VALUES (?, ?, ?, ?)")) {
                for (TxRow t : txs) {
                    p.setString(1, t.tx());
                    p.setLong(2, t.block());
                    p.setLong(3, t.gasUsed());
                    p.setLong(4, t.time());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO events (block, log_index, tx, kind,"
                    + " subject, party, ref, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (HubEvent e : events) {
                    p.setLong(1, e.block());
                    p.setInt(2, e.logIndex());
                    p.setString(3, e.tx());
                    p.setString(4, e.kind().name());
                    p.setString(5, e.subject());
                    p.setString(6, e.party());
                    p.setString(7, e.ref());
                    p.setLong(8, e.amount());
                    p.addBatch();
                }
                p.executeBatch();
            }
            setMeta("cursor", Long.toString(nextCursor));
            setMeta("trail", marks(trail));
        });
        version++;
    }

    /** A reorganisation replaced the blocks from {@code from}: their events go, and reading starts there again. */
    public synchronized void rewind(long from, List<BlockTrail.Mark> trail) {
        transaction(() -> {
            for (String table : TABLES) {
                try (PreparedStatement p = db.prepareStatement("DELETE FROM " + table + " WHERE block >= ?")) {
                    p.setLong(1, from);
                    p.executeUpdate();
                }
            }
            setMeta("cursor", Long.toString(from));
            setMeta("trail", marks(trail));
        });
        version++;
    }

    /** How many events of each kind, and the sum of their amounts. */
    public synchronized Map<HubEvent.Kind, long[]> totals() {
        Map<HubEvent.Kind, long[]> out = new LinkedHashMap<>();
        for (HubEvent.Kind k : HubEvent.Kind.values()) out.put(k, new long[2]);
        query("SELECT kind, COUNT(*), COALESCE(SUM(amount), 0) FROM events GROUP BY kind", List.of(), rs -> {
            out.put(HubEvent.Kind.valueOf(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(3)});
        });
        return out;
    }

    /** The events about {@code subject} or naming it as party or ref, oldest first. */
    public synchronized List<HubEvent> about(String id) {
        List<HubEvent> out = new ArrayList<>();
        query("SELECT block, log_index, tx, kind, subject, party, ref, amount FROM events WHERE subject = ? OR party = ?"
                + " OR ref = ? ORDER BY block, log_index", List.of(id, id, id), rs -> out.add(event(rs)));
        return out;
    }

    static HubEvent event(ResultSet rs) throws SQLException {
        return new HubEvent(rs.getLong(1), rs.getInt(2), rs.getString(3), HubEvent.Kind.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8));
    }

    interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** Runs a read; callers hold this store's lock (its methods, or {@link IndexQueries} synchronized on it). */
    void query(String sql, List<?> args, Row row) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) p.setObject(i + 1, args.get(i));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) row.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("explorer index: " + e.getMessage(), e);
        }
    }

    private void transaction(Work work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("explorer index: " + e.getMessage(), e);
        }
    }

    private String meta(String key) {
        String[] out = new String[1];
        query("SELECT value FROM meta WHERE key = ?", List.of(key), rs -> out[0] = rs.getString(1));
        return out[0];
    }

    private void setMeta(String key, String value) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)"
                + " ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    private static String marks(List<BlockTrail.Mark> trail) {
        StringBuilder v = new StringBuilder();
        for (BlockTrail.Mark m : trail) v.append(v.isEmpty() ? "" : ",").append(m.number()).append(':').append(m.hash());
        return v.toString();
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
