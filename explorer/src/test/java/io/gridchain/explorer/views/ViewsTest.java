package io.gridchain.explorer.views;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.HubEvent.Kind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {
    static final String DEAL = "0x" + "d".repeat(64);
    static final String OTHER = "0x" + "e".repeat(64);
    static final String POOL = "0x" + "a".repeat(40);
    static final String REQUESTER = "0x" + "b".repeat(40);

    static HubEvent event(long block, Kind kind, String subject, String party, String ref, long amount) {
        return new HubEvent(block, 0, "0xtx" + block, kind, subject, party, ref, amount);
    }

    @Test
    void aDealIsWhatItsEventsSayAndNothingOfAnotherDeal() {
        List<HubEvent> events = List.of(
                event(10, Kind.DEAL_CREATED, DEAL, REQUESTER, POOL, 5),
                event(12, Kind.BATCH_FINALIZED, DEAL, null, null, 3),
                event(13, Kind.BATCH_FINALIZED, OTHER, null, null, 7),
                event(20, Kind.TASK_CLAIMED, "0x" + "1".repeat(64), null, DEAL, 1),
                event(21, Kind.TASK_CLAIMED, "0x" + "2".repeat(64), null, OTHER, 1));
        Views.Deal d = Views.deal(DEAL, events).orElseThrow();
        assertThat(d.requester()).isEqualTo(REQUESTER);
        assertThat(d.workerpool()).isEqualTo(POOL);
        assertThat(d.volume()).isEqualTo(5);
        assertThat(d.certifiedInBatches()).isEqualTo(3);
        assertThat(d.refunded()).isEqualTo(1);
        assertThat(d.batchBlocks()).containsExactly(12L);
        assertThat(Views.deal(OTHER, events)).isEmpty(); // never seen created
    }

    @Test
    void theNetworkCountsCertifiedTasksOfBatchesAndOfSingleFinalizations() {
        Map<Kind, long[]> totals = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) totals.put(k, new long[2]);
        totals.put(Kind.DEAL_CREATED, new long[] {2, 9});
        totals.put(Kind.BATCH_FINALIZED, new long[] {3, 7});
        totals.put(Kind.TASK_FINALIZED, new long[] {1, 1});
        totals.put(Kind.TASK_CLAIMED, new long[] {1, 1});
        Views.Network n = Views.network(41, totals);
        assertThat(n).isEqualTo(new Views.Network(41, 2, 9, 8, 1, 0, 0, 0));
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
