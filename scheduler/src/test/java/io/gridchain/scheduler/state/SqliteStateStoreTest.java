package io.gridchain.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link StateStoreContract} on SQLite, plus SQLite's own promises: WAL, and surviving kill -9. */
class SqliteStateStoreTest extends StateStoreContract {
    @TempDir
    Path tmp;

    private Path file;

    @Override
    protected void prepareStorage() {
        file = tmp.resolve("sub/dir/state.db"); // parent directories are created
    }

    @Override
    protected StateStore open() {
        return JdbcStateStore.sqlite(file);
    }

    @Test
    void theDatabaseIsInWalModeAndMigratedByFlyway() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version = '1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(2)).isTrue();
            }
        }
    }

    @Test
    void reopeningAnExistingDatabaseDoesNotMigrateAgain() {
        store.setCursor(3);
        store.close();
        store = open();
        store.close();
        store = open();
        assertThat(store.cursor()).isEqualTo(3);
    }

    /**
     * A child JVM commits in a loop, printing each commit once it returned, and is killed with
     * SIGKILL: every commit it reported is there after reopening.
     */
    @Test
    void everyCommitSurvivesKillMinus9() throws Exception {
        store.close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillChild.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long lastReported = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    lastReported = Long.parseLong(line.substring("committed ".length()));
                    if (lastReported >= 200) break;
                }
            }
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lastReported).as("commits reported by the child").isGreaterThanOrEqualTo(200);

        store = open();
        assertThat(store.cursor()).isGreaterThanOrEqualTo(lastReported);
        Worker w = store.worker(W1).orElseThrow();
        assertThat(w.lastNonce()).isGreaterThanOrEqualTo(lastReported);
        DealView deal = deal(1);
        List<Task> tasks = store.tasksOf(deal.dealId());
        assertThat(tasks).hasSize(100);
        assertThat(tasks.stream().filter(t -> t.status() == TaskStatus.RUNNING).count())
                .isGreaterThanOrEqualTo(Math.min(100, lastReported));
    }

    /** The process killed by {@link #everyCommitSurvivesKillMinus9}. */
    public static final class KillChild {
        public static void main(String[] args) {
            JdbcStateStore store = JdbcStateStore.sqlite(Path.of(args[0]));
            DealView deal = deal(1);
            List<Task> tasks = tasksOf(deal, 100);
            store.addDeal(deal, tasks, 0);
            for (long i = 1; ; i++) {
                Task t = tasks.get((int) ((i - 1) % 100));
                Task running = store.task(t.taskId()).orElseThrow().status() == TaskStatus.PENDING
                        ? t.moveTo(TaskStatus.RUNNING, NOW + i) : null;
                store.commit(new Changes(running == null ? List.of() : List.of(running), List.of(),
                        List.of(new Worker(W1, 1, NOW + i, i))));
                store.setCursor(i);
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
    }
}
