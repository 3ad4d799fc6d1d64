package io.gridchain.scheduler.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class BatchStatusTest {
    @Test
    void aBatchIsSignedThenPreparedThenSent() {
        assertThat(BatchStatus.AWAITING_SIGNATURES.next()).containsExactlyInAnyOrder(BatchStatus.PREPARED,
                BatchStatus.SPLIT);
        assertThat(BatchStatus.PREPARED.next()).containsExactlyInAnyOrder(BatchStatus.SENT, BatchStatus.DROPPED);
        assertThat(BatchStatus.SENT.next()).containsExactlyInAnyOrder(BatchStatus.MINED, BatchStatus.CERTIFIED,
                BatchStatus.REFUSED, BatchStatus.UNANSWERED);
        // with confirmations: certified once deep enough, sent again when a reorganisation removed it
        assertThat(BatchStatus.MINED.next()).containsExactlyInAnyOrder(BatchStatus.CERTIFIED, BatchStatus.SENT);
    }

    @Test
    void aBatchIsNeverSentBeforeItIsPreparedNorTwice() {
        assertThat(BatchStatus.AWAITING_SIGNATURES.canMoveTo(BatchStatus.SENT)).isFalse();
        assertThat(BatchStatus.SENT.canMoveTo(BatchStatus.SENT)).isFalse();
        assertThat(BatchStatus.CERTIFIED.canMoveTo(BatchStatus.SENT)).isFalse();
    }

    @Test
    void everyOutcomeIsTerminal() {
        for (BatchStatus s : EnumSet.of(BatchStatus.CERTIFIED, BatchStatus.REFUSED, BatchStatus.UNANSWERED,
                BatchStatus.SPLIT, BatchStatus.DROPPED)) {
            assertThat(s.terminal()).as(s.name()).isTrue();
        }
        assertThat(BatchStatus.SENT.terminal()).isFalse();
    }

    @Test
    void waitingForSignaturesAndForTheReceiptAreTheTimedStatuses() {
        Lifecycle l = new Lifecycle(2_000, 30_000, 30_000, 200, 60_000);

        assertThat(l.batchTimeout(BatchStatus.AWAITING_SIGNATURES, 10_000)).isEqualTo(10_000);
        assertThat(l.batchTimeout(BatchStatus.SENT, 10_000)).isEqualTo(60_000)
                .isEqualTo(l.taskTimeout(TaskStatus.FINALIZING));
        assertThat(l.batchTimeout(BatchStatus.PREPARED, 10_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTaskThatCanNoLongerBeCertifiedIsTerminal() {
        assertThat(TaskStatus.FAILED.terminal()).isTrue();
        assertThat(TaskStatus.FINALIZED.terminal()).isTrue();
        assertThat(TaskStatus.FINALIZING.terminal()).isFalse();
        assertThat(TaskStatus.CONSENSUS.canMoveTo(TaskStatus.FAILED)).isTrue();
    }
}
