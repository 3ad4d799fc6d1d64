package io.gridchain.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.poco.Batch;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatedPathTest extends FixtureTest {
    @Test
    void threeAgreeingWorkersCertifyATaskAndArePaid() {
        DealRecord deal = f.deal(1, 5);
        Balance before = f.workers.get(0).balance();
        Batch batch = f.agreeingBatch(deal, 0, 1, 3);
        f.scheduler.finalizeBatch(deal, batch, f.signatures(batch));
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(batch.taskVotes().get(0).digests().get(0));
        Balance after = f.workers.get(0).balance();
        assertThat(after.free().subtract(before.free())).isEqualTo(BigInteger.valueOf(33)); // 99 / 3
        assertThat(after.score()).isEqualTo(before.score() + 1);
        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
    }

    @Test
    void bagOfHundredTasks() {
        DealRecord deal = f.deal(100, 5);
        Batch batch = f.agreeingBatch(deal, 0, 100, 3);
        f.scheduler.finalizeBatch(deal, batch, f.signatures(batch));
        assertThat(f.owner.taskStatus(deal.taskId(99))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
    }
}
