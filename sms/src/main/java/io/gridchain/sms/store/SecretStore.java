package io.gridchain.sms.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import java.io.IOException;
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
import java.util.Map;
import java.util.Optional;

/**
 * The service's persistent state, in SQLite with a full sync on every commit (a kill -9 loses nothing acknowledged):
 * secrets as pushed (sealed to the service's key, so the file alone reveals nothing), owners' policies, the nonces of
 * requests already answered (kept as long as such a request is valid), the log of every release and refusal, and the
 * chain they belong to (a dataset's address means nothing on another chain, and a devnet reuses addresses).
 */
public final class SecretStore implements AutoCloseable, io.gridchain.protocol.chain.BoundState.Store {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored secret: who pushed it, and its value sealed to the service's key. */
    public record Stored(String owner, String sealed) {}

    private final Connection db;

    private SecretStore(Connection db) {
        this.db = db;
    }

    public static SecretStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS secrets (kind TEXT NOT NULL, subject TEXT NOT NULL, "
                        + "name TEXT NOT NULL, owner TEXT NOT NULL, sealed TEXT NOT NULL, updated_at INTEGER NOT NULL, "
                        + "PRIMARY KEY (kind, subject, name))");
                s.execute("CREATE TABLE IF NOT EXISTS policies (kind TEXT NOT NULL, subject TEXT NOT NULL, "
                        + "owner TEXT NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (kind, subject))");
                s.execute("CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, "
                        + "owner TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, deal TEXT NOT NULL, "
                        + "task INTEGER NOT NULL, worker TEXT NOT NULL, released INTEGER NOT NULL, reason TEXT)");
                s.execute("CREATE INDEX IF NOT EXISTS log_owner ON log (owner, id)");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            }
            return new SecretStore(db);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the secret store " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void putSecret(Kind kind, String subject, String name, String owner, String sealed, long now) {
        exec("INSERT OR REPLACE INTO secrets (kind, subject, name, owner, sealed, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                kind.name(), subject.toLowerCase(), name, owner.toLowerCase(), sealed, now);
    }

    public synchronized Optional<Stored> secret(Kind kind, String subject, String name) {
        return query("SELECT owner, sealed FROM secrets WHERE kind = ? AND subject = ? AND name = ?",
                rs -> new Stored(rs.getString(1), rs.getString(2)), kind.name(), subject.toLowerCase(), name)
                .stream().findFirst();
    }

    /** Every secret of one subject, by name. */
    public synchronized Map<String, Stored> secrets(Kind kind, String subject) {
        Map<String, Stored> out = new LinkedHashMap<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT name, owner, sealed FROM secrets WHERE kind = ? AND subject = ? ORDER BY name")) {
            ps.setString(1, kind.name());
            ps.setString(2, subject.toLowerCase());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new Stored(rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("secret store: " + e.getMessage(), e);
        }
        return out;
    }

    public synchronized void putPolicy(Kind kind, String subject, String owner, SmsApi.Policy policy) {
        try {
            exec("INSERT OR REPLACE INTO policies (kind, subject, owner, policy) VALUES (?, ?, ?, ?)", kind.name(),
                    subject.toLowerCase(), owner.toLowerCase(), JSON.writeValueAsString(policy));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized SmsApi.Policy policy(Kind kind, String subject) {
        return query("SELECT policy FROM policies WHERE kind = ? AND subject = ?",
                rs -> JSON.readValue(rs.getString(1), SmsApi.Policy.class), kind.name(), subject.toLowerCase())
                .stream().findFirst().orElse(SmsApi.Policy.OPEN);
    }

    /**
     * Records a request's nonce until {@code expires}; false if it was already used (a replay). Expired nonces are
     * forgotten: a request that old is refused on its time alone.
     */
    public synchronized boolean useNonce(String nonce, long expires, long now) {
        exec("DELETE FROM nonces WHERE expires < ?", now);
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO nonces (nonce, expires) VALUES (?, ?)")) {
            ps.setString(1, nonce.toLowerCase());
            ps.setLong(2, expires);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("secret store: " + e.getMessage(), e);
        }
    }

    public synchronized void log(SmsApi.LogEntry e) {
        exec("INSERT INTO log (time, owner, kind, subject, deal, task, worker, released, reason) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.time(), e.owner().toLowerCase(), e.kind().name(),
                e.subject().toLowerCase(), e.dealId(), e.taskIndex(), e.worker().toLowerCase(), e.released() ? 1 : 0,
                e.reason());
    }

    /** The log entries of {@code owner} after entry {@code after}, oldest first, at most {@code limit}. */
    public synchronized List<SmsApi.LogEntry> log(String owner, long after, int limit) {
        return query("SELECT id, time, owner, kind, subject, deal, task, worker, released, reason FROM log "
                + "WHERE owner = ? AND id > ? ORDER BY id LIMIT ?", rs -> new SmsApi.LogEntry(rs.getLong(1),
                rs.getLong(2), rs.getString(3), Kind.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6),
                rs.getLong(7), rs.getString(8), rs.getInt(9) == 1, rs.getString(10)), owner.toLowerCase(), after, limit);
    }

    @Override
    public synchronized Optional<io.gridchain.protocol.chain.ChainBinding> binding() {
        Map<String, String> meta = new LinkedHashMap<>();
        for (String[] kv : query("SELECT key, value FROM meta", rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            meta.put(kv[0], kv[1]);
        }
        if (!meta.keySet().containsAll(List.of("chain_id", "genesis", "hub"))) return Optional.empty();
        return Optional.of(new io.gridchain.protocol.chain.ChainBinding(Long.parseLong(meta.get("chain_id")),
                meta.get("genesis"), meta.get("hub")));
    }

    @Override
    public synchronized void bind(io.gridchain.protocol.chain.ChainBinding binding) {
        exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_id', ?)", Long.toString(binding.chainId()));
        exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('genesis', ?)", binding.genesis());
        exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('hub', ?)", binding.hub());
    }

    @Override
    public synchronized boolean hasState() {
        return !query("SELECT 1 FROM secrets LIMIT 1", rs -> 1).isEmpty()
                || !query("SELECT 1 FROM log LIMIT 1", rs -> 1).isEmpty();
    }

    /** Never called: a secret service refuses another chain's state rather than discarding secrets. */
    @Override
    public synchronized void wipe() {
        throw new UnsupportedOperationException("a secret store is never wiped");
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException, IOException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("secret store: " + e.getMessage(), e);
        }
    }

    private void exec(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("secret store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing is best effort: every commit is already on disk
        }
    }
}
