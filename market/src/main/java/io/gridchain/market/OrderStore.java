package io.gridchain.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.protocol.chain.BoundState;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.protocol.orders.Order;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The book's persistence: SQLite, one {@code orders} table (hash, JSON body, consumed volume), an {@code ended}
 * table of the orders the chain lately exhausted or cancelled (kept while a reorganisation could undo that) and a
 * {@code meta} key/value table for the chain cursor, the trail of scanned blocks and the {@link ChainBinding} of the
 * chain the book belongs to (keys {@code chain_id}, {@code genesis}, {@code hub}). In memory when no file is given.
 */
public final class OrderStore implements AutoCloseable, BoundState.Store {
    /** A stored order and the consumed volume last read from the hub. */
    public record Stored(SignedOrder order, BigInteger consumed) {}

    /** An order the chain ended at block {@code block}, as it was last in the book. */
    public record Ended(Stored order, long block) {}

    private final Connection db;

    private OrderStore(Connection db) {
        this.db = db;
    }

    /** Opens (creating if needed) the book in {@code file}, or an in-memory book if {@code file} is null. */
    public static OrderStore open(Path file) {
        try {
            if (file != null && file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + (file == null ? ":memory:" : file.toAbsolutePath()));
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS orders (hash TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                        + "body TEXT NOT NULL, consumed TEXT NOT NULL, published_at INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS ended (hash TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                        + "body TEXT NOT NULL, consumed TEXT NOT NULL, published_at INTEGER NOT NULL, "
                        + "ended_block INTEGER NOT NULL)");
            }
            return new OrderStore(db);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot open the order book " + (file == null ? "in memory" : file)
                    + ": " + e.getMessage(), e);
        }
    }

    public synchronized void put(SignedOrder o, BigInteger consumed) {
        ObjectNode body = OrderJson.MAPPER.createObjectNode();
        body.set("order", OrderJson.write(o.order()));
        body.put("signature", o.signature());
        body.put("signer", o.signer());
        exec("INSERT OR REPLACE INTO orders (hash, kind, body, consumed, published_at) VALUES (?, ?, ?, ?, ?)",
                o.hash(), o.kind().label(), body.toString(), consumed.toString(), o.publishedAt());
    }

    public synchronized void updateConsumed(String hash, BigInteger consumed) {
        exec("UPDATE orders SET consumed = ? WHERE hash = ?", consumed.toString(), hash);
    }

    public synchronized void remove(String hash) {
        exec("DELETE FROM orders WHERE hash = ?", hash);
    }

    public synchronized List<Stored> all() {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT hash, kind, body, consumed, published_at FROM orders ORDER BY published_at");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(stored(rs));
            return out;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read the order book: " + e.getMessage(), e);
        }
    }

    private static Stored stored(ResultSet rs) throws SQLException, IOException {
        Order.Kind kind = OrderJson.kind(rs.getString(2));
        JsonNode body = OrderJson.MAPPER.readTree(rs.getString(3));
        Order order = OrderJson.read(kind, body.get("order"));
        SignedOrder so = new SignedOrder(kind, order, body.get("signature").asText(), rs.getString(1),
                body.get("signer").asText(), rs.getLong(5));
        return new Stored(so, new BigInteger(rs.getString(4)));
    }

    /** Moves an order the chain ended at {@code block} out of the book, kept in case a reorganisation undoes it. */
    public synchronized void end(String hash, long block) {
        exec("INSERT OR REPLACE INTO ended (hash, kind, body, consumed, published_at, ended_block) "
                + "SELECT hash, kind, body, consumed, published_at, ? FROM orders WHERE hash = ?", block, hash);
        exec("DELETE FROM orders WHERE hash = ?", hash);
    }

    /** Puts an ended order back in the book with the volume the chain now says consumed. */
    public synchronized void restore(String hash, BigInteger consumed) {
        exec("INSERT OR REPLACE INTO orders (hash, kind, body, consumed, published_at) "
                + "SELECT hash, kind, body, ?, published_at FROM ended WHERE hash = ?", consumed.toString(), hash);
        exec("DELETE FROM ended WHERE hash = ?", hash);
    }

    /** Forgets the ended orders whose end no reorganisation the book watches for can undo any more. */
    public synchronized void forgetEnded(long before) {
        exec("DELETE FROM ended WHERE ended_block < ?", before);
    }

    public synchronized List<Ended> ended() {
        List<Ended> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT hash, kind, body, consumed, published_at, ended_block FROM ended ORDER BY ended_block");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(new Ended(stored(rs), rs.getLong(6)));
            return out;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read the order book: " + e.getMessage(), e);
        }
    }

    /** The hashes of the blocks the book's scan processed, oldest first ({@code number:hash,...} in meta). */
    public synchronized List<BlockTrail.Mark> trail() {
        List<BlockTrail.Mark> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = 'trail'");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getString(1).isEmpty()) {
                for (String m : rs.getString(1).split(",")) {
                    int colon = m.indexOf(':');
                    out.add(new BlockTrail.Mark(Long.parseLong(m.substring(0, colon)), m.substring(colon + 1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the chain trail: " + e.getMessage(), e);
        }
    }

    public synchronized void setTrail(List<BlockTrail.Mark> marks) {
        StringBuilder v = new StringBuilder();
        for (BlockTrail.Mark m : marks) v.append(v.isEmpty() ? "" : ",").append(m.number()).append(':').append(m.hash());
        exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('trail', ?)", v.toString());
    }

    public synchronized OptionalLong cursor() {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = 'cursor'")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(Long.parseLong(rs.getString(1))) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the chain cursor: " + e.getMessage(), e);
        }
    }

    public synchronized void setCursor(long block) {
        exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', ?)", Long.toString(block));
    }

    @Override
    public synchronized Optional<ChainBinding> binding() {
        Optional<String> chainId = meta("chain_id");
        Optional<String> genesis = meta("genesis");
        Optional<String> hub = meta("hub");
        if (chainId.isEmpty() || genesis.isEmpty() || hub.isEmpty()) return Optional.empty();
        return Optional.of(new ChainBinding(Long.parseLong(chainId.get()), genesis.get(), hub.get()));
    }

    @Override
    public synchronized void bind(ChainBinding binding) {
        try {
            db.setAutoCommit(false);
            try {
                exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('chain_id', ?)", Long.toString(binding.chainId()));
                exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('genesis', ?)", binding.genesis());
                exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('hub', ?)", binding.hub());
                db.commit();
            } catch (RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the order book's chain: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean hasState() {
        return cursor().isPresent() || !all().isEmpty();
    }

    /** Discards every order, the ended ones, the cursor, the trail of blocks and the binding. */
    @Override
    public synchronized void wipe() {
        exec("DELETE FROM orders");
        exec("DELETE FROM ended");
        exec("DELETE FROM meta");
    }

    private Optional<String> meta(String key) {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the order book's " + key + ": " + e.getMessage(), e);
        }
    }

    private void exec(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("order book write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
