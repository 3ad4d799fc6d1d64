package io.gridchain.scheduler.state;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The {@link StateStore} over JDBC: SQLite (embedded default, {@link #sqlite}) or PostgreSQL
 * ({@link #postgres}). Both are migrated by Flyway on open, from {@code classpath:db/migration}.
 *
 * <p><b>Threads.</b> The store holds ONE connection and serializes every call on it (a monitor),
 * so it may be shared by the HTTP handlers and the background loop. This matches SQLite (a single
 * writer anyway) and keeps PostgreSQL simple and correct: no two transactions of this store ever
 * interleave. Only one scheduler process may use a given database at a time. Each call is one
 * transaction: committed before it returns, rolled back (and the exception rethrown as a
 * {@link StoreException}) if anything fails. If a PostgreSQL connection breaks, the failing call
 * throws and the next call opens a new connection.
 *
 * <p><b>Durability.</b> SQLite runs in WAL journal mode with {@code synchronous=FULL}: every
 * committed transaction is on disk when the call returns, so a scheduler killed with {@code kill -9}
 * (or a power loss) restarts with every committed change present.
 *
 * <p><b>Deals</b> are stored as the whole {@link DealView} in JSON, BigInteger values written as
 * decimal strings so that they round-trip exactly (and survive readers that parse numbers as doubles).
 *
 * <p><b>Size.</b> About 650 lines, over the module's 300: it is one SQL dialect's worth of rows, statements and
 * connection handling behind one interface, and its connection, transaction and prepared-statement cache are
 * shared by every query. Split by table, each part would need that private machinery made package-wide.
 */
public final class JdbcStateStore implements StateStore {

    /** A database failure, with the SQL exception as its cause. */
    public static final class StoreException extends RuntimeException {
        StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Opener {
        Connection open() throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Rows per executeBatch: bounds the driver's memory on huge commits. */
    private static final int BATCH = 1_000;

    static final ObjectMapper JSON = newMapper();

    // An update sets only what changes over a lifecycle: a task's deal and index, a replicate's task and worker
    // never do, and naming them in SET would make SQLite rewrite the indexes on them at every change.
    private static final String UPSERT_TASK = "INSERT INTO tasks"
            + " (task_id, deal_id, idx, status, digest, cause, message, since, batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (task_id) DO UPDATE SET status = excluded.status, digest = excluded.digest,"
            + " cause = excluded.cause, message = excluded.message, since = excluded.since, batch = excluded.batch";

    private static final String UPSERT_REPLICATE = "INSERT INTO replicates"
            + " (id, task_id, deal_id, worker, status, commitment, signature, digest, cause, message, since)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET status = excluded.status, commitment = excluded.commitment,"
            + " signature = excluded.signature, digest = excluded.digest, cause = excluded.cause,"
            + " message = excluded.message, since = excluded.since";

    private static final String UPSERT_WORKER = "INSERT INTO workers (address, slots, last_seen, last_nonce)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET slots = excluded.slots,"
            + " last_seen = excluded.last_seen, last_nonce = excluded.last_nonce";

    private static final String INSERT_DEAL =
            "INSERT INTO deals (deal_id, json, created_at) VALUES (?, ?, ?) ON CONFLICT (deal_id) DO NOTHING";

    private static final String TASK_COLUMNS = "task_id, deal_id, idx, status, digest, cause, message, since, batch";
    private static final String REPLICATE_COLUMNS =
            "r.id, r.task_id, r.deal_id, r.worker, r.status, r.commitment, r.signature, r.digest, r.cause, r.message,"
                    + " r.since";
    private static final String LIVE = "('FINALIZED', 'FAILED')";

    private final String name;
    private final Opener opener;
    /** Migrates the schema, and rebuilds it empty for {@link #wipe}. */
    private final Flyway flyway;
    private final Object lock = new Object();
    private Connection connection;
    /** {@link #prepared} statements on {@link #connection}, by SQL; guarded by {@link #lock}. */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private boolean closed;

    private JdbcStateStore(String name, Opener opener, Flyway flyway) {
        this.name = name;
        this.opener = opener;
        this.flyway = flyway;
        synchronized (lock) {
            connection();
        }
    }

    /**
     * Opens (creating it if needed) the SQLite database in {@code file}, migrated to the latest
     * schema, in WAL mode with {@code synchronous=FULL}.
     */
    public static JdbcStateStore sqlite(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the state database " + absolute, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + absolute);
        Flyway flyway = flyway().dataSource(source).load();
        runMigrate(flyway, "SQLite database " + absolute);
        return new JdbcStateStore("SQLite database " + absolute, source::getConnection, flyway);
    }

    /** Opens the PostgreSQL database at {@code jdbcUrl}, migrated to the latest schema. */
    public static JdbcStateStore postgres(String jdbcUrl, String user, String password) {
        Flyway flyway = flyway().dataSource(jdbcUrl, user, password).load();
        runMigrate(flyway, "PostgreSQL database " + jdbcUrl);
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        // Sends a batch of upserts as multi-row statements: a 10,000-task deal in a few round trips.
        props.setProperty("reWriteBatchedInserts", "true");
        return new JdbcStateStore("PostgreSQL database " + jdbcUrl, () -> DriverManager.getConnection(jdbcUrl, props),
                flyway);
    }

    /** Clean is allowed: only {@link #wipe} calls it, when the caller said the state may be discarded. */
    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        return Flyway.configure().cleanDisabled(false);
    }

    private static void runMigrate(Flyway flyway, String name) {
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the " + name + ": " + e.getMessage(), e);
        }
    }

    private static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.configOverride(BigInteger.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        return mapper;
    }

    // ---------------------------------------------------------------------------------------------
    // Cursor and deals

    @Override
    public long cursor() {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT next_block FROM cursor WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    @Override
    public List<BlockTrail.Mark> trail() {
        return tx(c -> {
            List<BlockTrail.Mark> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT number, hash FROM block_trail ORDER BY number");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new BlockTrail.Mark(rs.getLong(1), rs.getString(2)));
            }
            return out;
        });
    }

    @Override
    public void saveTrail(List<BlockTrail.Mark> marks) {
        tx(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM block_trail");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO block_trail (number, hash) VALUES (?, ?)")) {
                for (BlockTrail.Mark m : marks) {
                    ps.setLong(1, m.number());
                    ps.setString(2, m.hash());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public boolean addDeal(DealView deal, List<Task> tasks, long nextCursor) {
        return tx(c -> {
            boolean inserted = insertDeal(c, deal);
            if (inserted) upsertTasks(c, tasks);
            writeCursor(c, nextCursor);
            return inserted;
        });
    }

    private boolean insertDeal(Connection c, DealView deal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_DEAL)) {
            ps.setString(1, deal.dealId());
            ps.setString(2, toJson(deal));
            ps.setLong(3, System.currentTimeMillis());
            return ps.executeUpdate() == 1;
        }
    }

    private static void writeCursor(Connection c, long nextCursor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE cursor SET next_block = ? WHERE id = 1")) {
            ps.setLong(1, nextCursor);
            if (ps.executeUpdate() != 1) throw new SQLException("the cursor row is missing");
        }
    }

    @Override
    public Optional<DealView> deal(String dealId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT json FROM deals WHERE deal_id = ?")) {
                ps.setString(1, dealId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(fromJson(rs.getString(1))) : Optional.<DealView>empty();
                }
            }
        });
    }

    @Override
    public List<DealView> deals() {
        return tx(c -> {
            List<DealView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT json FROM deals ORDER BY created_at, deal_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(fromJson(rs.getString(1)));
            }
            return out;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Changes

    @Override
    public void commit(Changes changes) {
        if (changes == null || changes.isEmpty()) return;
        tx(c -> {
            // a deal seen again (a rescan after a restart) keeps its tasks as they are
            Set<String> known = new HashSet<>();
            for (DealView d : orEmpty(changes.deals())) {
                if (!insertDeal(c, d)) known.add(d.dealId());
            }
            upsertWorkers(c, orEmpty(changes.workers()));
            upsertTasks(c, known.isEmpty() ? orEmpty(changes.tasks())
                    : orEmpty(changes.tasks()).stream().filter(t -> !known.contains(t.dealId())).toList());
            upsertReplicates(c, orEmpty(changes.replicates()));
            if (changes.cursor() != null) writeCursor(c, changes.cursor());
            if (changes.spotChecks() != null) addSpotChecks(c, changes.spotChecks());
            return null;
        });
    }

    private static <T> Collection<T> orEmpty(Collection<T> items) {
        return items == null ? List.of() : items;
    }

    private void upsertTasks(Connection c, Collection<Task> tasks) throws SQLException {
        upsert(c, UPSERT_TASK, tasks, (ps, t) -> {
            ps.setString(1, t.taskId());
            ps.setString(2, t.dealId());
            ps.setLong(3, t.index());
            ps.setString(4, t.status().name());
            text(ps, 5, t.digest());
            text(ps, 6, t.cause() == null ? null : t.cause().name());
            text(ps, 7, t.message());
            ps.setLong(8, t.since());
            text(ps, 9, t.batch());
        });
    }

    private void upsertReplicates(Connection c, Collection<Replicate> replicates) throws SQLException {
        upsert(c, UPSERT_REPLICATE, replicates, (ps, r) -> {
            ps.setString(1, r.id());
            ps.setString(2, r.taskId());
            ps.setString(3, r.dealId());
            ps.setString(4, r.worker());
            ps.setString(5, r.status().name());
            text(ps, 6, r.commitment());
            text(ps, 7, r.signature());
            text(ps, 8, r.digest());
            text(ps, 9, r.cause() == null ? null : r.cause().name());
            text(ps, 10, r.message());
            ps.setLong(11, r.since());
        });
    }

    private void upsertWorkers(Connection c, Collection<Worker> workers) throws SQLException {
        upsert(c, UPSERT_WORKER, workers, (ps, w) -> {
            ps.setString(1, w.address());
            ps.setInt(2, w.slots());
            ps.setLong(3, w.lastSeen());
            ps.setLong(4, w.lastNonce());
        });
    }

    /** Sets one row's parameters on an upsert. */
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    /** Runs the prepared upsert {@code sql} for every row, sent to the database {@link #BATCH} rows at a time. */
    private <T> void upsert(Connection c, String sql, Collection<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) return;
        PreparedStatement ps = prepared(c, sql);
        int pending = 0;
        for (T row : rows) {
            binder.bind(ps, row);
            ps.addBatch();
            if (++pending == BATCH) {
                ps.executeBatch();
                pending = 0;
            }
        }
        if (pending > 0) ps.executeBatch();
    }

    private static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) ps.setNull(index, Types.VARCHAR);
        else ps.setString(index, value);
    }

    // ---------------------------------------------------------------------------------------------
    // Tasks, replicates, workers

    @Override
    public List<Task> liveTasks() {
        return tasks("SELECT " + TASK_COLUMNS + " FROM tasks WHERE status NOT IN " + LIVE + " ORDER BY deal_id, idx");
    }

    @Override
    public Optional<Task> task(String taskId) {
        return tasks("SELECT " + TASK_COLUMNS + " FROM tasks WHERE task_id = ?", taskId).stream().findFirst();
    }

    @Override
    public List<Task> tasksOf(String dealId) {
        return tasks("SELECT " + TASK_COLUMNS + " FROM tasks WHERE deal_id = ? ORDER BY idx", dealId);
    }

    private List<Task> tasks(String sql, String... args) {
        return tx(c -> {
            List<Task> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Task(rs.getString(1), rs.getString(2), rs.getLong(3),
                                TaskStatus.valueOf(rs.getString(4)), rs.getString(5), cause(rs.getString(6)),
                                rs.getString(7), rs.getLong(8), rs.getString(9)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<Replicate> liveReplicates() {
        return replicates("SELECT " + REPLICATE_COLUMNS + " FROM replicates r JOIN tasks t ON t.task_id = r.task_id"
                + " WHERE t.status NOT IN " + LIVE + " ORDER BY r.task_id, r.id");
    }

    @Override
    public Optional<Replicate> replicate(String replicateId) {
        return replicates("SELECT " + REPLICATE_COLUMNS + " FROM replicates r WHERE r.id = ?", replicateId).stream()
                .findFirst();
    }

    private List<Replicate> replicates(String sql, String... args) {
        return tx(c -> {
            List<Replicate> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Replicate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                ReplicateStatus.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                                rs.getString(8), cause(rs.getString(9)), rs.getString(10), rs.getLong(11)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<Worker> workers() {
        return workers("SELECT address, slots, last_seen, last_nonce FROM workers ORDER BY address");
    }

    @Override
    public Optional<Worker> worker(String address) {
        return workers("SELECT address, slots, last_seen, last_nonce FROM workers WHERE address = ?", address)
                .stream().findFirst();
    }

    private List<Worker> workers(String sql, String... args) {
        return tx(c -> {
            List<Worker> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Worker(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    private static void addSpotChecks(Connection c, Map<String, SpotCheckRecord> outcomes) throws SQLException {
        if (outcomes.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO spot_checks (worker, passed, failed)"
                + " VALUES (?, ?, ?) ON CONFLICT (worker) DO UPDATE SET passed = spot_checks.passed + excluded.passed,"
                + " failed = spot_checks.failed + excluded.failed")) {
            for (Map.Entry<String, SpotCheckRecord> e : outcomes.entrySet()) {
                ps.setString(1, e.getKey().toLowerCase());
                ps.setLong(2, e.getValue().passed());
                ps.setLong(3, e.getValue().failed());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Map<String, SpotCheckRecord> spotChecks() {
        return tx(c -> {
            Map<String, SpotCheckRecord> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT worker, passed, failed FROM spot_checks");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new SpotCheckRecord(rs.getLong(2), rs.getLong(3)));
            }
            return out;
        });
    }

    private static FailureCause cause(String name) {
        return name == null ? null : FailureCause.valueOf(name);
    }

    // ---------------------------------------------------------------------------------------------
    // Chain binding

    /** The chain this state belongs to, empty until {@link #bind} (state saved before V6 has none). */
    public Optional<ChainBinding> binding() {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT chain_id, genesis, hub FROM chain_binding WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ChainBinding(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.<ChainBinding>empty();
            }
        });
    }

    /** Records the chain this state belongs to, replacing any binding before. */
    public void bind(ChainBinding binding) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO chain_binding (id, chain_id, genesis, hub,"
                    + " bound_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET chain_id = excluded.chain_id,"
                    + " genesis = excluded.genesis, hub = excluded.hub, bound_at = excluded.bound_at")) {
                ps.setLong(1, binding.chainId());
                ps.setString(2, binding.genesis());
                ps.setString(3, binding.hub());
                ps.setLong(4, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Discards all the state: the schema is dropped (Flyway clean) and migrated again, so tables that later
     * migrations add are emptied too, with the rows migrations seed (the cursor at 0). For a scheduler whose caller
     * said its state may be discarded (a devnet). On PostgreSQL it drops every object in the store's schema: give
     * the scheduler a database of its own.
     */
    public void wipe() {
        synchronized (lock) {
            discard();
            try {
                flyway.clean();
            } catch (RuntimeException e) {
                throw new StoreException("cannot wipe the " + name + ": " + e.getMessage(), e);
            }
            runMigrate(flyway, name);
            connection();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JSON

    static String toJson(DealView deal) {
        try {
            return JSON.writeValueAsString(deal);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write deal " + deal.dealId() + " as JSON: " + e.getMessage(), e);
        }
    }

    static DealView fromJson(String json) {
        try {
            return JSON.readValue(json, DealView.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored deal is not valid JSON: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Connection and transactions

    /** Runs {@code work} as one transaction on the store's connection, serialized with every other call. */
    private <T> T tx(Work<T> work) {
        synchronized (lock) {
            Connection c = connection();
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                forgetPrepared();
                rollback(c, e);
                if (isConnectionFailure(e)) discard();
                throw new StoreException(name + ": " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                forgetPrepared();
                rollback(c, e);
                throw e;
            }
        }
    }

    /**
     * The upserts every group commit runs, prepared once per connection rather than once per transaction (SQLite
     * parses and plans a statement at each prepare).
     */
    private PreparedStatement prepared(Connection c, String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        return ps;
    }

    /** Drops the prepared upserts, which a failed transaction may have left with a half-sent batch. */
    private void forgetPrepared() {
        for (PreparedStatement ps : prepared.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection may be gone; nothing to release then
            }
        }
        prepared.clear();
    }

    private Connection connection() {
        if (closed) throw new IllegalStateException("the state store (" + name + ") is closed");
        if (connection == null) {
            try {
                Connection c = opener.open();
                c.setAutoCommit(false);
                connection = c;
            } catch (SQLException e) {
                throw new StoreException("cannot open the " + name + ": " + e.getMessage(), e);
            }
        }
        return connection;
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** SQLSTATE class 08: the connection is gone; the next call opens a new one. */
    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private void discard() {
        forgetPrepared();
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already broken.
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            forgetPrepared();
            Connection c = connection;
            connection = null;
            if (c != null) {
                try {
                    c.rollback();
                    c.close();
                } catch (SQLException e) {
                    throw new StoreException("cannot close the " + name + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcStateStore(" + name + ")";
    }
}
