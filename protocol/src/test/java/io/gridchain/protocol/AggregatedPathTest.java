package io.gridchain.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.poco.Batch;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatedPathTest extends FixtureTest {
    @Test
    void threeAgreeingWorkersCertifyATaskAndArePaid() {
        DealRecord deal = f.deal(1, 5);
        var before = f.stake(f.workers.get(0));
        Batch batch = f.agreeingBatch(deal, 0, 1, 3);
        f.scheduler.finalizeBatch(deal, batch, f.signatures(batch));
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(batch.taskVotes().get(0).digests().get(0));
        var after = f.stake(f.workers.get(0));
        assertThat(after.earned().subtract(before.earned())).isEqualTo(BigInteger.valueOf(33)); // 99 / 3
        assertThat(after.score()).isEqualTo(before.score() + 1);
        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
    }

    @Test
    void bagOfHundredTasks() {
        DealRecord deal = f.deal(100, 5);
        Batch batch = f.agreeingBatch(deal, 0, 100, 3);
        TxResult tx = f.scheduler.finalizeBatch(deal, batch, f.signatures(batch));
        assertThat(f.owner.taskStatus(deal.taskId(99))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
        // sent unestimated: the limit given was the bound, and the batch needed at most that
        assertThat(BigInteger.valueOf(tx.gasUsed())).isLessThan(GridClient.finalizeBatchGasBound(100, 300, 3));
        assertThat(tx.receipt().getGasUsed()).isPositive();
    }

    @Test
    void aBatchTheHubRefusesIsRefusedWithTheHubsReasonAndChangesNothing() {
        DealRecord deal = f.deal(2, 5);
        Batch batch = f.agreeingBatch(deal, 0, 2, 3);
        f.scheduler.finalizeBatch(deal, batch, f.signatures(batch));
        BigInteger tokens = f.hubTokens();
        assertThatThrownBy(() -> f.scheduler.finalizeBatch(deal, batch, f.signatures(batch)))
                .isInstanceOf(RevertException.class)
                .satisfies(e -> assertThat(((RevertException) e).getMessage()).isNotBlank());
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.escrowTotal(List.of())).isEqualTo(tokens);
    }
}
