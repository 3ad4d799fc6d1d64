package io.gridchain.scheduler.attacks;

import static io.gridchain.scheduler.Fixtures.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.poco.Contributions;
import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.RecordingStore;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.scheduler.results.FileResultStore;
import io.gridchain.scheduler.results.ResultIntake;
import io.gridchain.scheduler.spotcheck.KnownAnswers;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker holding one replicate uploads "partial output" after partial output, each under its own digest, to fill
 * the pool's disk. Its partial bytes stop at the quota (refused before the body is read when declared, and when
 * stored), while the result it committed to is still taken.
 */
class PartialOutputFloodAttackTest {
    private static final long QUOTA = 4 << 20;
    private static final int PIECE = 1 << 20;

    @TempDir
    Path tmp;
    private Applier applier;
    private ResultIntake intake;
    private Task task;

    @BeforeEach
    void holdAReplicate() {
        applier = new Applier(new RecordingStore());
        DealView deal = Fixtures.deal(Fixtures.dealId(1), 1, 1, 10);
        task = Fixtures.tasksOf(deal).get(0);
        synchronized (applier.lock()) {
            applier.apply(Changes.deal(deal, List.of(task), 1));
            applier.apply(List.of(), List.of(Replicate.assigned(task.taskId(), deal.dealId(), A, Fixtures.NOW)),
                    List.of());
        }
        intake = new ResultIntake(applier, new KnownAnswers(ReplicationPolicy.CHAIN_ONLY, 1),
                new FileResultStore(tmp.resolve("results")), QUOTA);
    }

    @AfterEach
    void close() {
        applier.close();
    }

    private static byte[] piece(int n) {
        byte[] b = new byte[PIECE];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        return b;
    }

    @Test
    void partialOutputStopsAtTheWorkersQuota() throws Exception {
        int stored = 0;
        for (int n = 0; n < 20; n++) {
            byte[] p = piece(n);
            String digest = "0x" + FileResultStore.sha256(p);
            try {
                intake.putResult(A, digest, p);
                stored++;
            } catch (Rejected e) {
                assertThat(e.status()).isEqualTo(429);
                assertThat(e.getMessage()).contains("stored its most partial output").doesNotContain("\n");
            }
        }
        assertThat(stored).isEqualTo((int) (QUOTA / PIECE));
        assertThat(intake.partialBytes(A)).isLessThanOrEqualTo(QUOTA);
        try (Stream<Path> files = Files.list(tmp.resolve("results"))) {
            assertThat(files.mapToLong(f -> f.toFile().length()).sum()).isLessThanOrEqualTo(QUOTA);
        }
        // a declared upload past the quota is refused before its body is read
        assertThatThrownBy(() -> intake.admit(A, "0x" + "ee".repeat(32), PIECE))
                .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(429));
    }

    @Test
    void theCommittedResultIsTakenEvenWhenThePartialQuotaIsSpent() {
        for (int n = 0; n < QUOTA / PIECE; n++) intake.putResult(A, "0x" + FileResultStore.sha256(piece(n)), piece(n));
        byte[] result = "the real result".getBytes();
        String digest = "0x" + FileResultStore.sha256(result);
        String commitment = Contributions.commitment(A, List.of(new Contributions.Entry(task.taskId(), digest)));
        synchronized (applier.lock()) {
            Replicate r = applier.live().replicatesOf(task.taskId()).get(0);
            applier.applyReplicates(List.of(r.committed(commitment, null, Fixtures.NOW)));
        }
        intake.putResult(A, digest, result);
        assertThat(intake.hasResult(digest)).isTrue();
    }
}
