package io.gridchain.explorer.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.explorer.index.DealRow;
import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.HubEvent.Kind;
import io.gridchain.explorer.index.TxRow;
import io.gridchain.explorer.remote.OrderBook;
import io.gridchain.explorer.remote.PoolApi;
import io.gridchain.explorer.store.IndexQueries;
import io.gridchain.protocol.GridClient.TaskStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The page models, as pure functions of indexed events and of what the chain and a pool say. */
class ViewsTest {
    static final String DEAL = "0x" + "d".repeat(64);
    static final String TASK = "0x" + "1".repeat(64);
    static final String OTHER_TASK = "0x" + "2".repeat(64);
    static final String POOL = "0x" + "a".repeat(40);
    static final String REQUESTER = "0x" + "b".repeat(40);
    static final String WORKER = "0x" + "c".repeat(40);

    static HubEvent event(long block, Kind kind, String subject, String party, String ref, long amount) {
        return new HubEvent(block, 0, "0xtx" + block, kind, subject, party, ref, amount);
    }

    @Test
    void theNetworkCountsCertifiedTasksOfBatchesAndOfSingleFinalizations() {
        Map<Kind, long[]> totals = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) totals.put(k, new long[2]);
        totals.put(Kind.DEAL_CREATED, new long[] {2, 9});
        totals.put(Kind.BATCH_FINALIZED, new long[] {3, 7});
        totals.put(Kind.TASK_FINALIZED, new long[] {1, 1});
        totals.put(Kind.TASK_CLAIMED, new long[] {1, 1});
        NetworkPage n = NetworkPage.of(41, totals, 500_000, new IndexQueries.Activity(1, 2), Map.of(), List.of());
        assertThat(List.of(n.block(), n.deals(), n.tasksRequested(), n.tasksCertified(), n.tasksRefunded(),
                n.gasSpent(), n.activePools(), n.activeWorkers())).containsExactly(41L, 2L, 9L, 8L, 1L, 500_000L, 1L, 2L);
    }

    @Test
    void theChartIsARunningTotalThatEndsAtTheTrueTotalWhateverItsResolution() {
        Map<Long, Long> byTime = new LinkedHashMap<>();
        for (long t = 0; t < 1_000; t++) byTime.put(1_000 + t, 2L);
        List<NetworkPage.Point> all = NetworkPage.cumulative(byTime, 5_000);
        assertThat(all).hasSize(1_000);
        assertThat(all.get(0)).isEqualTo(new NetworkPage.Point(1_000, 2));
        List<NetworkPage.Point> few = NetworkPage.cumulative(byTime, 50);
        assertThat(few.size()).isLessThanOrEqualTo(50);
        assertThat(few.get(few.size() - 1)).isEqualTo(new NetworkPage.Point(1_999, 2_000));
        for (int i = 1; i < few.size(); i++) {
            assertThat(few.get(i).certified()).isGreaterThan(few.get(i - 1).certified());
        }
    }

    @Test
    void aDealPageSaysWhatEachOfItsTransactionsDidAndAddsTheirGas() {
        DealRow row = new DealRow(DEAL, 10, REQUESTER, POOL, "0x" + "e".repeat(40), "0x" + "0".repeat(40), 5, 0, 100,
                3, 1);
        List<HubEvent> events = List.of(event(10, Kind.DEAL_CREATED, DEAL, REQUESTER, POOL, 3),
                new HubEvent(12, 0, "0xb", Kind.BATCH_FINALIZED, DEAL, null, null, 2),
                new HubEvent(12, 1, "0xb", Kind.WORKER_SETTLED, DEAL, WORKER, null, 7),
                new HubEvent(12, 2, "0xb", Kind.WORKER_SETTLED, DEAL, "0x" + "f".repeat(40), null, 7),
                event(20, Kind.TASK_CLAIMED, TASK, null, DEAL, 1));
        List<TxRow> txs = List.of(new TxRow("0xtx10", 10, 300_000, 100), new TxRow("0xb", 12, 200_000, 110),
                new TxRow("0xtx20", 20, 50_000, 200));
        DealPage page = DealPage.of(new IndexQueries.DealFigures(row, 2, 1), events, txs, List.of());
        assertThat(page.transactions()).extracting(DealPage.TxLine::what).containsExactly("deal matched (3 tasks)",
                "batch of 2 certified, worker paid ×2", "task refunded");
        assertThat(page.gasUsed()).isEqualTo(550_000);
        assertThat(page.done()).isTrue();
        assertThat(DealPage.of(new IndexQueries.DealFigures(row, 2, 0), events, txs, List.of()).done()).isFalse();
    }

    @Test
    void aTaskIsCertifiedOrRefundedOnlyWhenTheChainSaysSoAndOtherwiseWhereThePoolSaysItIs() {
        var running = Optional.of(new PoolApi.TaskState("RUNNING", null, null));
        var lying = Optional.of(new PoolApi.TaskState("FINALIZED", null, null));
        assertThat(TaskStates.of(TaskStatus.UNSET, Optional.empty())).isEqualTo("pending");
        assertThat(TaskStates.of(TaskStatus.UNSET, running)).isEqualTo("running");
        // a pool that claims a task is done does not make it certified: only the hub does
        assertThat(TaskStates.of(TaskStatus.UNSET, lying)).isEqualTo("finalizing");
        assertThat(TaskStates.of(TaskStatus.FINALIZED, Optional.empty())).isEqualTo("certified");
        assertThat(TaskStates.of(TaskStatus.CLAIMED, running)).isEqualTo("refunded");
        assertThat(TaskStates.isFinal("finalizing")).isFalse();
    }

    @Test
    void aTimelineHoldsTheTaskAndItsBatchButNotTheOtherTasksOfItsDeal() {
        List<HubEvent> events = List.of(event(10, Kind.DEAL_CREATED, DEAL, REQUESTER, POOL, 2),
                event(11, Kind.TASK_INITIALIZED, TASK, null, DEAL, 0),
                event(12, Kind.TASK_CONTRIBUTED, TASK, WORKER, null, 0),
                event(13, Kind.TASK_CONTRIBUTED, OTHER_TASK, WORKER, null, 0),
                event(14, Kind.TASK_REVEALED, TASK, WORKER, null, 0),
                event(15, Kind.TASK_FINALIZED, TASK, null, null, 1),
                event(16, Kind.BATCH_FINALIZED, DEAL, null, null, 1));
        List<TaskPage.Step> steps = TaskPage.timeline(TASK, events, null, Map.of("0xtx12", new TxRow("0xtx12", 12, 1,
                1_700_000_000)), null, null);
        assertThat(steps).extracting(TaskPage.Step::what).containsExactly("matched", "initialized on-chain",
                "contribution committed", "contribution revealed", "consensus reached: certified");
        assertThat(steps.get(2).who()).isEqualTo(WORKER);
        assertThat(steps.get(2).time()).isEqualTo(1_700_000_000);
        List<TaskPage.Step> batched = TaskPage.timeline(OTHER_TASK, events, "0xtx16", Map.of(), null,
                TaskPage.replicas(3, 2));
        assertThat(batched).extracting(TaskPage.Step::what).containsExactly("matched",
                "3 replicas assigned, 2 contributed (the pool's scheduler says)", "contribution committed",
                "consensus reached: certified in a batch of 1");
        assertThat(TaskPage.timeline(OTHER_TASK, events.subList(0, 1), null, Map.of(), "running", null))
                .extracting(TaskPage.Step::what).containsExactly("matched", "now running (the pool's scheduler says)");
        assertThat(TaskPage.replicas(null, null)).isNull();
        assertThat(TaskPage.replicas(1, null)).isEqualTo("1 replica assigned, 0 contributed");
    }

    @Test
    void anAllowlistIsTheLastWordOfEachWorker() {
        String w2 = "0x" + "9".repeat(40);
        List<HubEvent> events = List.of(event(1, Kind.WORKER_ALLOWLISTED, POOL, WORKER, null, 1),
                event(2, Kind.WORKER_ALLOWLISTED, POOL, w2, null, 1),
                event(3, Kind.WORKER_ALLOWLISTED, POOL, WORKER, null, 0));
        assertThat(PoolPage.allowlisted(events)).containsExactly(w2);
    }

    @Test
    void theBookShowsTheLowestOfferAndTheHighestBidWithTheirDepth() {
        String app = "0x" + "e".repeat(40);
        List<OrderBook.Entry> offers = List.of(new OrderBook.Entry("app", "0x1", app, 7, 10, REQUESTER),
                new OrderBook.Entry("app", "0x2", app, 5, 3, REQUESTER),
                new OrderBook.Entry("workerpool", "0x3", POOL, 100, 50, REQUESTER));
        assertThat(BookPage.depth(offers, false)).containsExactly(new BookPage.Depth("app", app, 5, 2, 13),
                new BookPage.Depth("workerpool", POOL, 100, 1, 50));
        List<OrderBook.Entry> bids = List.of(new OrderBook.Entry("request", "0x4", app, 90, 1, REQUESTER),
                new OrderBook.Entry("request", "0x5", app, 120, 2, REQUESTER));
        assertThat(BookPage.depth(bids, true)).containsExactly(new BookPage.Depth("request", app, 120, 2, 3));
    }

    @Test
    void aSearchIsAnIdAnAddressOrNothing() {
        assertThat(Views.classify(" " + DEAL.toUpperCase().replace("0X", "0x") + " ")).isEqualTo(Views.Query.ID);
        assertThat(Views.classify(POOL)).isEqualTo(Views.Query.ADDRESS);
        assertThat(Views.classify("<img src=x onerror=alert(1)>")).isEqualTo(Views.Query.NONE);
        assertThat(Views.classify("0x1234")).isEqualTo(Views.Query.NONE);
        assertThat(Views.classify(null)).isEqualTo(Views.Query.NONE);
    }
}
