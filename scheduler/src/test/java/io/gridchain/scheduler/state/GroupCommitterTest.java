package io.gridchain.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit over a real SQLite store; faults are injected into its commit only. */
class GroupCommitterTest {
    @TempDir
    Path tmp;

    private JdbcStateStore sqlite;
    /** Commits fail while set. */
    private final AtomicBoolean failing = new AtomicBoolean();
    /** When set, a commit waits on {@link #release} after counting down {@link #entered}. */
    private final AtomicBoolean blocking = new AtomicBoolean();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger commits = new AtomicInteger();
    private StateStore store;

    @BeforeEach
    void open() {
        sqlite = JdbcStateStore.sqlite(tmp.resolve("state.db"));
        store = (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        if (failing.get()) throw new IllegalStateException("disk I/O error");
                        if (blocking.get()) {
                            entered.countDown();
                            release.await();
                        }
                        commits.incrementAndGet();
                    }
                    try {
                        return method.invoke(sqlite, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    private static Changes workers(Worker... ws) {
        return new Changes(List.of(), List.of(), List.of(ws));
    }

    private static Worker worker(String address, int slots) {
        return new Worker(address, slots, 1_000, -1);
    }

    @Test
    void changesQueuedTogetherAreSavedInOneTransactionWithTheLastVersionOfEachRow() throws Exception {
        blocking.set(true);
        try (GroupCommitter writer = new GroupCommitter(store, 10_000)) {
            writer.queue(workers(worker("0xa", 1)));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // the writer is busy with the first set
            writer.queue(workers(worker("0xa", 2), worker("0xb", 3)));
            long last = writer.queue(workers(worker("0xa", 4)));
            blocking.set(false);
            release.countDown();
            writer.await(last);
            assertThat(commits.get()).isEqualTo(2); // the first set alone, then the two queued behind it together
        }
        assertThat(sqlite.worker("0xa")).map(Worker::slots).contains(4);
        assertThat(sqlite.worker("0xb")).map(Worker::slots).contains(3);
    }

    @Test
    void awaitReturnsOnlyOnceTheChangesAreInTheStore() throws Exception {
        blocking.set(true);
        try (GroupCommitter writer = new GroupCommitter(store, 10_000)) {
            long sequence = writer.queue(workers(worker("0xa", 1)));
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try {
                    writer.await(sequence);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(waiter).isNotDone(); // the commit has not returned, so the change may not be saved
            release.countDown();
            waiter.get(10, TimeUnit.SECONDS);
            assertThat(sqlite.worker("0xa")).isPresent();
        }
    }

    @Test
    void aFailedSaveIsRetriedInOrderAndWaitersAreToldToRetryMeanwhile() throws Exception {
        failing.set(true);
        try (GroupCommitter writer = new GroupCommitter(store, 300)) {
            writer.queue(workers(worker("0xa", 1)));
            long last = writer.queue(workers(worker("0xa", 2)));
            assertThatThrownBy(() -> writer.await(last))
                    .isInstanceOf(GroupCommitter.Unavailable.class)
                    .hasMessageContaining("disk I/O error");
            assertThat(sqlite.worker("0xa")).isEmpty();
            failing.set(false);
            writer.await(last);
            assertThat(sqlite.worker("0xa")).map(Worker::slots).contains(2);
        }
    }

    @Test
    void closeSavesWhatIsQueued() {
        GroupCommitter writer = new GroupCommitter(store, 10_000);
        for (int i = 0; i < 100; i++) writer.queue(workers(worker("0x" + i, i + 1)));
        writer.close();
        assertThat(sqlite.workers()).hasSize(100);
        assertThatThrownBy(() -> writer.queue(workers(worker("0xc", 1)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyChangesAreNotQueued() throws Exception {
        try (GroupCommitter writer = new GroupCommitter(store, 10_000)) {
            long before = writer.queued();
            assertThat(writer.queue(new Changes(List.of(), List.of(), List.of()))).isEqualTo(before);
            writer.await(before);
            assertThat(commits.get()).isZero();
        }
    }
}
