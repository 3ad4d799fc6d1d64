package io.gridchain.scheduler.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.protocol.chain.BoundState;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.deal.DealTerms;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do, run against each implementation. A subclass provides a
 * fresh, empty storage per test ({@link #prepareStorage}) and opens stores on it ({@link #open}):
 * opening twice in one test opens the same storage again.
 */
abstract class StateStoreContract {
    static final long NOW = 1_700_000_000_000L;
    static final String W1 = "0x" + "a1".repeat(20);
    static final String W2 = "0x" + "b2".repeat(20);

    protected StateStore store;

    protected abstract void prepareStorage() throws Exception;

    protected abstract StateStore open();

    @BeforeEach
    void openStore() throws Exception {
        prepareStorage();
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    /** Closes the store and opens the same storage again. */
    protected StateStore reopen() {
        store.close();
        store = open();
        return store;
    }

    // ---------------------------------------------------------------------------------------------
    // Fixtures

    static String hex32(long n) {
        return "0x" + String.format("%064x", n);
    }

    static DealView deal(long n) {
        String dealId = hex32(0xdea1_0000L + n);
        BigInteger huge = BigInteger.TWO.pow(255).add(BigInteger.valueOf(n)); // beyond long and double
        Deal deal = new Deal("0x" + "01".repeat(20), "0x" + "02".repeat(20), "0x" + "00".repeat(20),
                "0x" + "03".repeat(20), "0x" + "00".repeat(20), new BigInteger("1000000000000000000"), BigInteger.ZERO,
                huge, BigInteger.valueOf(3), BigInteger.valueOf(2), BigInteger.valueOf(300),
                BigInteger.valueOf(1_700_000_000L), new BigInteger("123456789012345678901234567890"),
                BigInteger.valueOf(5));
        DealTerms terms = new DealTerms("0x" + "0a".repeat(20), "0x" + "00".repeat(20), "0x" + "0c".repeat(20),
                "0x" + "0d".repeat(20), hex32(0), new BigInteger("18446744073709551617"),
                "{\"args\":\"--n 5 \\\"quoted\\\" é\"}", hex32(1), hex32(2), hex32(3), hex32(4));
        DealRecord record = new DealRecord(dealId, deal, terms, 4_242L + n);
        AppSpec app = new AppSpec("0x" + "0a".repeat(20), "pi", "WASM", "https://apps.example/pi.wasm", hex32(9));
        List<InputSpec> inputs = Arrays.asList(new InputSpec("data.csv", "https://in.example/data.csv", hex32(7)),
                new InputSpec("extra.txt", "https://in.example/extra.txt", null));
        return new DealView(dealId, record, app, inputs, List.of("--digits", "1000"), 1_700_003_000L, 300_000L);
    }

    static List<Task> tasksOf(DealView deal, int count) {
        return LongStream.range(0, count).mapToObj(i -> Task.pending(taskId(deal, i), deal.dealId(), i, NOW)).toList();
    }

    static String taskId(DealView deal, long index) {
        return Deal.taskId(deal.dealId(), index);
    }

    // ---------------------------------------------------------------------------------------------
    // Cursor and deals

    @Test
    void spotCheckOutcomesAddUpPerWorkerAndSurviveAReopen() {
        assertThat(store.spotChecks()).isEmpty();
        store.recordSpotChecks(Map.of(W1, new SpotCheckRecord(2, 0), W2, new SpotCheckRecord(0, 1)));
        store.recordSpotChecks(Map.of(W1, new SpotCheckRecord(1, 1)));
        reopen();
        assertThat(store.spotChecks()).containsExactlyInAnyOrderEntriesOf(
                Map.of(W1, new SpotCheckRecord(3, 1), W2, new SpotCheckRecord(0, 1)));
    }

    @Test
    void cursorStartsAtZeroAndAdvances() {
        assertThat(store.cursor()).isZero();
        store.setCursor(100);
        assertThat(store.cursor()).isEqualTo(100);
        store.setCursor(250);
        assertThat(store.cursor()).isEqualTo(250);
    }

    @Test
    void addDealRecordsTheDealItsPendingTasksAndTheCursor() {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 3);

        assertThat(store.addDeal(deal, tasks, 4_243)).isTrue();

        assertThat(store.cursor()).isEqualTo(4_243);
        assertThat(store.deal(deal.dealId())).contains(deal);
        assertThat(store.deals()).containsExactly(deal);
        assertThat(store.tasksOf(deal.dealId())).containsExactlyElementsOf(tasks);
        assertThat(store.task(tasks.get(1).taskId())).contains(tasks.get(1));
        assertThat(store.liveTasks()).containsExactlyInAnyOrderElementsOf(tasks);
    }

    @Test
    void addDealTwiceChangesNothingButTheCursor() {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 3);
        store.addDeal(deal, tasks, 10);
        Task running = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW + 5);
        store.commit(Changes.of(List.of(running), List.of()));

        DealView changed = new DealView(deal.dealId(), deal.record(), deal.app(), List.of(), List.of("other"), 1, 2);
        List<Task> otherTasks = tasksOf(deal, 5).stream()
                .map(t -> new Task(t.taskId(), t.dealId(), t.index(), TaskStatus.PENDING, null, null, null, NOW + 9,
                        null))
                .toList();
        assertThat(store.addDeal(changed, otherTasks, 20)).isFalse();

        assertThat(store.cursor()).isEqualTo(20);
        assertThat(store.deal(deal.dealId())).contains(deal);
        assertThat(store.tasksOf(deal.dealId())).containsExactly(running, tasks.get(1), tasks.get(2));
    }

    @Test
    void absentThingsAreEmpty() {
        assertThat(store.deal(hex32(404))).isEmpty();
        assertThat(store.deals()).isEmpty();
        assertThat(store.task(hex32(404))).isEmpty();
        assertThat(store.tasksOf(hex32(404))).isEmpty();
        assertThat(store.liveTasks()).isEmpty();
        assertThat(store.replicate("nope")).isEmpty();
        assertThat(store.liveReplicates()).isEmpty();
        assertThat(store.worker(W1)).isEmpty();
        assertThat(store.workers()).isEmpty();
    }

    @Test
    void dealViewRoundTripsExactlyThroughJson() {
        DealView deal = deal(7);
        store.addDeal(deal, List.of(), 1);

        DealView back = reopen().deal(deal.dealId()).orElseThrow();

        assertThat(back).isEqualTo(deal);
        assertThat(back.record().deal().workerpoolPrice()).isEqualTo(BigInteger.TWO.pow(255).add(BigInteger.valueOf(7)));
        assertThat(back.record().terms().category()).isEqualTo(new BigInteger("18446744073709551617"));
        assertThat(back.inputs().get(1).checksum()).isNull();
        // Huge numbers are written as strings, so no JSON reader can round them.
        assertThat(JdbcStateStore.toJson(deal)).contains("\"workerpoolPrice\":\"" + BigInteger.TWO.pow(255).add(
                BigInteger.valueOf(7)) + "\"");
    }

    // ---------------------------------------------------------------------------------------------
    // Commit

    @Test
    void commitUpsertsTasksReplicatesAndWorkers() {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 2);
        store.addDeal(deal, tasks, 1);

        Task t0 = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW + 1);
        Replicate r1 = Replicate.assigned(t0.taskId(), deal.dealId(), W1, NOW + 1);
        Replicate r2 = Replicate.assigned(t0.taskId(), deal.dealId(), W2, NOW + 1);
        Worker w1 = new Worker(W1, 4, NOW, 1);
        Worker w2 = new Worker(W2, 1, NOW, 7);
        store.commit(new Changes(List.of(t0), List.of(r1, r2), List.of(w1, w2)));

        assertThat(store.task(t0.taskId())).contains(t0);
        assertThat(store.replicate(r1.id())).contains(r1);
        assertThat(store.replicate(r2.id())).contains(r2);
        assertThat(store.workers()).containsExactly(w1, w2);

        Replicate r1c = r1.committed(hex32(11), "0x" + "5a".repeat(65), NOW + 2);
        Replicate r1r = r1c.revealed(hex32(12), NOW + 3);
        Replicate r2f = r2.ended(ReplicateStatus.FAILED, FailureCause.TRAP, "unreachable executed", NOW + 3);
        Task t0c = t0.withConsensus(hex32(12), NOW + 4);
        Task t1f = tasks.get(1).failed(FailureCause.DEADLINE, "deal deadline passed", NOW + 4);
        Worker w1seen = w1.seen(NOW + 10, 2);
        store.commit(new Changes(List.of(t0c, t1f), List.of(r1r, r2f), List.of(w1seen)));

        assertThat(store.tasksOf(deal.dealId())).containsExactly(t0c, t1f);
        assertThat(store.replicate(r1.id())).contains(r1r);
        assertThat(store.replicate(r2.id())).contains(r2f);
        assertThat(store.worker(W1)).contains(w1seen);
        assertThat(store.worker(W2)).contains(w2);

        Task t0batch = t0c.inBatch(hex32(77), NOW + 5);
        store.commit(Changes.of(List.of(t0batch), List.of()));
        assertThat(store.task(t0.taskId())).contains(t0batch);
        assertThat(store.task(t0.taskId()).orElseThrow().batch()).isEqualTo(hex32(77));
    }

    @Test
    void anEmptyCommitDoesNothing() {
        store.commit(new Changes(List.of(), List.of(), List.of()));
        assertThat(store.workers()).isEmpty();
    }

    @Test
    void aWorkerWhoseReplicaWasLostCanBeGivenTheTaskAgain() {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 1);
        store.addDeal(deal, tasks, 1);
        Replicate first = Replicate.assigned(tasks.get(0).taskId(), deal.dealId(), W1, NOW + 1);
        store.commit(new Changes(List.of(), List.of(first), List.of()));
        Replicate lost = first.ended(ReplicateStatus.LOST, FailureCause.WORKER_LOST, "gone", NOW + 2);
        Replicate again = Replicate.assigned(tasks.get(0).taskId(), deal.dealId(), W1, 1, NOW + 3);
        store.commit(new Changes(List.of(), List.of(lost, again), List.of()));
        assertThat(store.liveReplicates()).containsExactly(lost, again);
    }

    @Test
    void aFailingCommitAppliesNothing() {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 2);
        store.addDeal(deal, tasks, 1);
        Task t0 = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW + 1);
        Replicate r1 = Replicate.assigned(t0.taskId(), deal.dealId(), W1, NOW + 1);
        Worker w1 = new Worker(W1, 2, NOW, 1);
        store.commit(new Changes(List.of(t0), List.of(r1), List.of(w1)));

        // Valid changes to every table, then a replicate for the same (task, worker) under another id.
        Task t1 = tasks.get(1).moveTo(TaskStatus.RUNNING, NOW + 2);
        Replicate r1c = r1.committed(hex32(11), "0xsig", NOW + 2);
        Replicate ok = Replicate.assigned(t1.taskId(), deal.dealId(), W2, NOW + 2);
        Replicate clash = new Replicate("another-id", t0.taskId(), deal.dealId(), W1, ReplicateStatus.ASSIGNED, null,
                null, null, null, null, NOW + 2);
        Worker w1seen = w1.seen(NOW + 2, 9);
        Worker w2 = new Worker(W2, 1, NOW + 2, 1);
        Changes failing = new Changes(List.of(t1), List.of(r1c, ok, clash), List.of(w1seen, w2));

        assertThatThrownBy(() -> store.commit(failing)).isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("unique"));

        assertThat(store.tasksOf(deal.dealId())).containsExactly(t0, tasks.get(1));
        assertThat(store.replicate(r1.id())).contains(r1);
        assertThat(store.replicate(ok.id())).isEmpty();
        assertThat(store.replicate("another-id")).isEmpty();
        assertThat(store.workers()).containsExactly(w1);

        // The store is still usable after the failed transaction.
        store.commit(new Changes(List.of(t1), List.of(r1c, ok), List.of(w1seen, w2)));
        assertThat(store.task(t1.taskId())).contains(t1);
        assertThat(store.replicate(r1.id())).contains(r1c);
        assertThat(store.workers()).containsExactly(w1seen, w2);
    }

    @Test
    void liveTasksAndReplicatesExcludeFinalizedAndFailedTasks() {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 5);
        store.addDeal(deal, tasks, 1);
        Task pending = tasks.get(0);
        Task running = tasks.get(1).moveTo(TaskStatus.RUNNING, NOW);
        Task finalized = tasks.get(2).moveTo(TaskStatus.RUNNING, NOW).withConsensus(hex32(5), NOW)
                .inBatch(hex32(6), NOW).moveTo(TaskStatus.FINALIZED, NOW);
        Task failed = tasks.get(3).failed(FailureCause.DEADLINE, "late", NOW);
        Task consensus = tasks.get(4).moveTo(TaskStatus.RUNNING, NOW).withConsensus(hex32(7), NOW);
        Replicate ofRunning = Replicate.assigned(running.taskId(), deal.dealId(), W1, NOW);
        Replicate lostOfRunning = Replicate.assigned(running.taskId(), deal.dealId(), W2, NOW)
                .ended(ReplicateStatus.LOST, FailureCause.WORKER_LOST, "silent", NOW);
        Replicate ofFinalized = Replicate.assigned(finalized.taskId(), deal.dealId(), W1, NOW)
                .committed(hex32(1), "0xs", NOW).revealed(hex32(5), NOW);
        Replicate ofFailed = Replicate.assigned(failed.taskId(), deal.dealId(), W1, NOW)
                .ended(ReplicateStatus.FAILED, FailureCause.TRAP, "trap", NOW);
        Replicate ofConsensus = Replicate.assigned(consensus.taskId(), deal.dealId(), W2, NOW)
                .committed(hex32(2), "0xs", NOW).revealed(hex32(7), NOW);
        store.commit(Changes.of(List.of(running, finalized, failed, consensus),
                List.of(ofRunning, lostOfRunning, ofFinalized, ofFailed, ofConsensus)));

        assertThat(store.liveTasks()).containsExactlyInAnyOrder(pending, running, consensus);
        assertThat(store.liveReplicates()).containsExactlyInAnyOrder(ofRunning, lostOfRunning, ofConsensus);
        assertThat(store.tasksOf(deal.dealId())).hasSize(5);
    }

    // ---------------------------------------------------------------------------------------------
    // Durability, scale, threads

    @Test
    void everythingIsThereAfterReopening() {
        DealView d1 = deal(1);
        DealView d2 = deal(2);
        List<Task> tasks = tasksOf(d1, 3);
        store.addDeal(d1, tasks, 5);
        store.addDeal(d2, tasksOf(d2, 2), 9);
        Task t0 = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW + 1);
        Replicate r = Replicate.assigned(t0.taskId(), d1.dealId(), W1, NOW + 1).committed(hex32(3), "0xsig", NOW + 2);
        Worker w = new Worker(W1, 3, NOW + 2, 42);
        store.commit(new Changes(List.of(t0), List.of(r), List.of(w)));

        StateStore again = reopen();

        assertThat(again.cursor()).isEqualTo(9);
        assertThat(again.deals()).containsExactlyInAnyOrder(d1, d2);
        assertThat(again.tasksOf(d1.dealId())).containsExactly(t0, tasks.get(1), tasks.get(2));
        assertThat(again.tasksOf(d2.dealId())).hasSize(2);
        assertThat(again.replicate(r.id())).contains(r);
        assertThat(again.liveReplicates()).containsExactly(r);
        assertThat(again.workers()).containsExactly(w);
    }

    @Test
    void aTenThousandTaskDealIsAddedInOneCall() {
        DealView deal = deal(3);
        List<Task> tasks = tasksOf(deal, 10_000);

        long start = System.nanoTime();
        assertThat(store.addDeal(deal, tasks, 77)).isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%s: addDeal of 10,000 tasks took %d ms%n", getClass().getSimpleName(), millis);

        List<Task> stored = store.tasksOf(deal.dealId());
        assertThat(stored).hasSize(10_000);
        assertThat(stored).containsExactlyElementsOf(tasks);
        assertThat(store.liveTasks()).hasSize(10_000);

        // And updating all of them is one commit too.
        List<Task> running = tasks.stream().map(t -> t.moveTo(TaskStatus.RUNNING, NOW + 1)).toList();
        start = System.nanoTime();
        store.commit(Changes.of(running, List.of()));
        System.out.printf("%s: commit of 10,000 task updates took %d ms%n", getClass().getSimpleName(),
                (System.nanoTime() - start) / 1_000_000);
        assertThat(store.tasksOf(deal.dealId())).containsExactlyElementsOf(running);
    }

    @Test
    void manyThreadsShareOneStore() throws Exception {
        DealView deal = deal(1);
        List<Task> tasks = tasksOf(deal, 8);
        store.addDeal(deal, tasks, 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int t = thread;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String worker = "0x" + String.format("%040x", t * 1000 + i);
                        Replicate r = Replicate.assigned(tasks.get(t).taskId(), deal.dealId(), worker, NOW + i);
                        store.commit(new Changes(List.of(), List.of(r), List.of(new Worker(worker, 1, NOW + i, i))));
                        assertThat(store.replicate(r.id())).contains(r);
                        store.liveTasks();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.workers()).hasSize(400);
        assertThat(store.liveReplicates()).hasSize(400);
    }

    // ---------------------------------------------------------------------------------------------
    // Chain binding

    static final ChainBinding CHAIN_A = new ChainBinding(31337, hex32(0xa), "0x" + "0e".repeat(20));
    static final ChainBinding CHAIN_B = new ChainBinding(31337, hex32(0xb), "0x" + "0e".repeat(20));

    private JdbcStateStore jdbc() {
        return (JdbcStateStore) store;
    }

    @Test
    void theBindingIsEmptyUntilBoundAndSurvivesAReopen() {
        assertThat(jdbc().binding()).isEmpty();
        jdbc().bind(CHAIN_A);
        reopen();
        assertThat(jdbc().binding()).contains(CHAIN_A);
        jdbc().bind(CHAIN_B);
        assertThat(jdbc().binding()).contains(CHAIN_B);
    }

    @Test
    void wipeDiscardsEveryPieceOfStateAndLeavesAWorkingEmptyStore() {
        DealView d = deal(1);
        store.addDeal(d, tasksOf(d, 2), 99);
        store.commit(new Changes(List.of(), List.of(), List.of(new Worker(W1, 1, NOW, 1))));
        store.recordSpotChecks(Map.of(W1, new SpotCheckRecord(1, 0)));
        jdbc().bind(CHAIN_A);

        jdbc().wipe();

        assertThat(store.cursor()).isZero();
        assertThat(store.deals()).isEmpty();
        assertThat(store.liveTasks()).isEmpty();
        assertThat(store.workers()).isEmpty();
        assertThat(store.spotChecks()).isEmpty();
        assertThat(jdbc().binding()).isEmpty();
        assertThat(store.addDeal(d, tasksOf(d, 2), 7)).as("the same deal is new again").isTrue();
        assertThat(reopen().cursor()).isEqualTo(7);
    }

    @Test
    void stateOfAnotherChainIsRefusedWithBothGenesisHashesOrWipedWhenAllowed() throws Exception {
        Path results = Files.createTempDirectory("results");
        Files.writeString(results.resolve("old-result"), "of chain A");
        assertThat(StateBinding.ensure(jdbc(), results, "DIR", false, CHAIN_A, "http://a", false).action())
                .isEqualTo(BoundState.Action.BIND);
        DealView d = deal(1);
        store.addDeal(d, tasksOf(d, 2), 99);
        reopen();
        assertThat(StateBinding.ensure(jdbc(), results, "DIR", false, CHAIN_A, "http://a", false).action())
                .isEqualTo(BoundState.Action.RESUME);

        assertThatThrownBy(() -> StateBinding.ensure(jdbc(), results, "DIR", false, CHAIN_B, "http://b", false))
                .isInstanceOf(ChainBinding.MismatchException.class)
                .hasMessage("the scheduler's state in DIR belongs to " + CHAIN_A.describe() + ", but the node at"
                        + " http://b is genesis " + CHAIN_B.genesis() + ": start with another --data directory,"
                        + " or delete DIR to start over");
        assertThat(store.deals()).containsExactly(d);

        assertThat(StateBinding.ensure(jdbc(), results, "DIR", false, CHAIN_B, "http://b", true).action())
                .isEqualTo(BoundState.Action.WIPE_AND_BIND);
        assertThat(store.deals()).isEmpty();
        assertThat(store.cursor()).isZero();
        assertThat(results).doesNotExist();
        assertThat(reopen()).isNotNull();
        assertThat(jdbc().binding()).contains(CHAIN_B);
    }

    @Test
    void aClosedStoreRefusesCalls() {
        store.close();
        assertThatThrownBy(() -> store.cursor()).isInstanceOf(IllegalStateException.class);
        store.close(); // closing twice is harmless
    }
}
