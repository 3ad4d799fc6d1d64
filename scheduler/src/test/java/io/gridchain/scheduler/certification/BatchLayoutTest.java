package io.gridchain.scheduler.certification;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.results.FileResultStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void aCallbackDealsCertifiedFailureHandsTheContractEmptyDataWithoutAnUpload() {
        DealView deal = Fixtures.deal(Fixtures.dealId(1), 1, 1, 10, A);
        Task t = Fixtures.tasksOf(deal).get(0).moveTo(TaskStatus.RUNNING, NOW)
                .withConsensus(FailureDigest.EMPTY_CALLBACK, NOW);
        Replicate r = Fixtures.revealed(t, A, FailureDigest.EMPTY_CALLBACK);

        PreparedBatch p = new BatchLayout(new FileResultStore(tmp)).prepare(deal, List.of(t), id -> List.of(r), NOW);

        assertThat(p.batch.taskVotes()).singleElement().satisfies(v -> assertThat(v.callbackData()).isEmpty());
    }
}
