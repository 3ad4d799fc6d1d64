package io.gridchain.scheduler.workers;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.B;
import static io.gridchain.scheduler.Fixtures.CHAIN_NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.certification.BatchLayout;
import io.gridchain.scheduler.certification.CertificationChain;
import io.gridchain.scheduler.certification.CertificationRoom;
import io.gridchain.scheduler.certification.PreparedBatch;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.RecordingStore;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.Planner;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.scheduler.results.FileResultStore;
import io.gridchain.scheduler.spotcheck.KnownAnswers;
import io.gridchain.scheduler.state.StateStore.Changes;
import io.gridchain.protocol.PoolStake;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker protocol over the live state, a recording store and a chain that is never reached. */
class WorkerProtocolTest {
    private static final CertificationChain NO_CHAIN = new CertificationChain() {
        @Override
        public TxResult submit(PreparedBatch batch) {
            throw new AssertionError("no batch is sent in these tests");
        }

        @Override
        public GridClient.TaskStatus taskStatus(String taskId) {
            return GridClient.TaskStatus.UNSET;
        }

        @Override
        public boolean signs(String worker, List<WorkerApi.Entry> entries, byte[] signature) {
            return false;
        }
    };

    @TempDir
    Path tmp;

    private final RecordingStore store = new RecordingStore();
    /** Each worker's bond in the pool, as the chain would report it. */
    private final Map<String, BigInteger> balances = new HashMap<>();
    /** The workers that asked for their bond back. */
    private final Set<String> leaving = new HashSet<>();
    private final DealView deal = Fixtures.deal(Fixtures.dealId(1), 2, 1, 10);
    private final List<Task> tasks = Fixtures.tasksOf(deal);
    private Applier applier;
    private CertificationRoom room;
    private WorkerProtocol protocol;

    @BeforeEach
    void open() {
        applier = new Applier(store);
        room = new CertificationRoom(applier, new BatchLayout(new FileResultStore(tmp.resolve("results"))), NO_CHAIN,
                Lifecycle.DEFAULT, 10_000, (t, rs) -> { });
        Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1);
        protocol = new WorkerProtocol(applier, planner, new KnownAnswers(ReplicationPolicy.CHAIN_ONLY, 1), room,
                Lifecycle.DEFAULT, "0xpool", new Eip712Domain(31337, "0xhub"), () -> CHAIN_NOW,
                w -> applier.live().account(w, new PoolStake(balances.getOrDefault(w, BigInteger.ZERO), BigInteger.ZERO,
                        0, leaving.contains(w) ? CHAIN_NOW + 1 : 0)),
                (taskId, worker) -> "0xauthorization:" + taskId + ":" + worker);
        synchronized (applier.lock()) {
            applier.apply(Changes.deal(deal, tasks, 1));
        }
    }

    @AfterEach
    void close() {
        room.close();
        applier.close();
    }

    private String claimOne(String worker) {
        WorkerApi.ClaimResponse r = protocol.claim(worker, 1);
        return r.work().get(0).replicas().get(0).replicateId();
    }

    @Test
    void aClaimIsAnsweredOnlyOnceTheReplicateItGivesIsSaved() {
        balances.put(A, BigInteger.valueOf(100));
        protocol.register(A, 1, new WorkerApi.RegisterRequest(2, "test"));

        String id = claimOne(A);

        assertThat(store.replicate(id)).hasValueSatisfying(r -> {
            assertThat(r.worker()).isEqualTo(A);
            assertThat(r.status()).isEqualTo(ReplicateStatus.ASSIGNED);
        });
        assertThat(store.task(store.replicate(id).orElseThrow().taskId()).orElseThrow().status())
                .isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void theRequestersViewCountsATasksReplicasWithoutNamingTheirWorkers() throws Exception {
        balances.put(A, BigInteger.valueOf(100));
        protocol.register(A, 1, new WorkerApi.RegisterRequest(2, "test"));
        String taskId = store.replicate(claimOne(A)).orElseThrow().taskId();

        var view = new io.gridchain.scheduler.requester.TaskViews(applier).task(taskId).orElseThrow();
        assertThat(view.replicas()).isEqualTo(1);
        assertThat(view.contributed()).isZero();
        // the public view is what the explorer shows to anyone: a colluder must not learn who holds the task
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(view).toLowerCase())
                .doesNotContain(A.toLowerCase().substring(2));
    }

    @Test
    void aClaimTheBondDoesNotBackIsRefusedWithTheAmountToBond() {
        balances.put(A, BigInteger.valueOf(5));
        protocol.register(A, 1, new WorkerApi.RegisterRequest(2, "test"));

        assertThatThrownBy(() -> protocol.claim(A, 1)).isInstanceOfSatisfying(Rejected.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo("bond too low: worker " + A + " has 5 bonded in pool 0xpool"
                    + " (0 backing unsettled work); bond 5 more to take this work: gridchain account bond 0xpool 5");
        });
    }

    @Test
    void aWorkerLeavingThePoolIsGivenNothingNew() {
        balances.put(A, BigInteger.valueOf(100));
        leaving.add(A);
        protocol.register(A, 1, new WorkerApi.RegisterRequest(2, "test"));

        assertThatThrownBy(() -> protocol.claim(A, 1)).isInstanceOfSatisfying(Rejected.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).startsWith("unbond requested: worker " + A);
        });
    }

    @Test
    void aHeartbeatCancelsWhatTheSchedulerDoesNotNeedFromTheWorker() {
        balances.put(A, BigInteger.valueOf(100));
        balances.put(B, BigInteger.valueOf(100));
        protocol.register(A, 1, new WorkerApi.RegisterRequest(2, "test"));
        protocol.register(B, 1, new WorkerApi.RegisterRequest(2, "test"));
        String mine = claimOne(A);
        String others = claimOne(B);

        WorkerApi.HeartbeatResponse r = protocol.heartbeat(A, new WorkerApi.Heartbeat(List.of(mine, others)));

        assertThat(r.cancel()).containsExactly(others);
    }

    @Test
    void aWorkerCannotReportOnAnotherWorkersReplicate() {
        balances.put(A, BigInteger.valueOf(100));
        protocol.register(A, 1, new WorkerApi.RegisterRequest(2, "test"));
        protocol.register(B, 1, new WorkerApi.RegisterRequest(2, "test"));
        String id = claimOne(A);

        WorkerApi.FailRequest trapped = new WorkerApi.FailRequest(List.of(new WorkerApi.Failure(id, "TRAP", "trap",
                null, null, null)));

        assertThatThrownBy(() -> protocol.fail(B, trapped))
                .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(protocol.fail(A, trapped).accepted()).isEqualTo(1);
    }
}
