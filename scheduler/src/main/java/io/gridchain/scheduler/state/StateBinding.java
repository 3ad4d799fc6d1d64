package io.gridchain.scheduler.state;

import io.gridchain.protocol.chain.BoundState;
import io.gridchain.protocol.chain.ChainBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scheduler's state as a {@link BoundState.Store}: the binding lives in the database with the state, and
 * wiping discards the database and the results the scheduler stored (results of another chain's deals).
 */
public final class StateBinding implements BoundState.Store {
    private final JdbcStateStore store;
    private final Path results;

    /** @param results the result store's directory, deleted with the state */
    public StateBinding(JdbcStateStore store, Path results) {
        this.store = store;
        this.results = results;
    }

    /**
     * Checks the scheduler's state against {@code node}: see {@link BoundState#ensure}.
     *
     * @param where the data directory (SQLite) or the database (PostgreSQL), for the messages
     * @param postgres whether the state is in PostgreSQL, which changes what the user can do about a mismatch
     */
    public static BoundState.Outcome ensure(JdbcStateStore store, Path results, String where, boolean postgres,
            ChainBinding node, String rpcUrl, boolean freshOnMismatch) {
        String remedy = postgres
                ? "start with another database, or empty this one (and delete " + results + ") to start over"
                : "start with another --data directory, or delete " + where + " to start over";
        return BoundState.ensure(new StateBinding(store, results), node, freshOnMismatch,
                "the scheduler's state in " + where, rpcUrl, remedy);
    }

    @Override
    public Optional<ChainBinding> binding() {
        return store.binding();
    }

    @Override
    public void bind(ChainBinding binding) {
        store.bind(binding);
    }

    @Override
    public boolean hasState() {
        return store.cursor() > 0 || !store.deals().isEmpty() || !store.workers().isEmpty();
    }

    @Override
    public void wipe() {
        store.wipe();
        if (!Files.exists(results)) return;
        try (Stream<Path> walk = Files.walk(results)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the results of the old state in " + results, e);
        }
    }
}
