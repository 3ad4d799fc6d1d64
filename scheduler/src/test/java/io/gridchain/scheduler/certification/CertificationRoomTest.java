package io.gridchain.scheduler.certification;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.B;
import static io.gridchain.scheduler.Fixtures.C;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.certification.CertificationChain.Depth;
import io.gridchain.scheduler.lifecycle.BatchStatus;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.RecordingStore;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.Plan;
import io.gridchain.scheduler.results.FileResultStore;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch lifecycle against a fake chain, over a store that records what it is given. */
class CertificationRoomTest {
    private static final long SIGN_TIMEOUT = 10_000;

    /** A chain whose answers the test sets; it records what each task was saved as when its batch was sent. */
    private final class FakeChain implements CertificationChain {
        Function<PreparedBatch, TxResult> answer = b -> new TxResult("0xtx", 100_000, 1, null);
        final Map<String, GridClient.TaskStatus> onChain = new HashMap<>();
        final List<PreparedBatch> sent = new ArrayList<>();
        final Map<String, TaskStatus> savedWhenSent = new HashMap<>();
        boolean signaturesGood = true;
        /** The depths {@link #depth} answers in turn (the last one repeats), by transaction hash. */
        final Map<String, java.util.Deque<Depth>> depths = new HashMap<>();
        int reorganised;

        @Override
        public Depth depth(TxResult tx, int confirmations) {
            java.util.Deque<Depth> d = depths.get(tx.hash());
            return d.size() > 1 ? d.poll() : d.peek();
        }

        @Override
        public void reorganised() {
            reorganised++;
        }

        @Override
        public TxResult submit(PreparedBatch batch) {
            sent.add(batch);
            for (Task t : batch.tasks()) savedWhenSent.put(t.taskId(), store.task(t.taskId()).orElseThrow().status());
            return answer.apply(batch);
        }

        @Override
        public GridClient.TaskStatus taskStatus(String taskId) {
            return onChain.getOrDefault(taskId, GridClient.TaskStatus.UNSET);
        }

        @Override
        public boolean signs(String worker, List<WorkerApi.Entry> entries, byte[] signature) {
            return signaturesGood;
        }
    }

    @TempDir
    Path tmp;

    private final RecordingStore store = new RecordingStore();
    private final FakeChain chain = new FakeChain();
    private final List<String> certifiedTasks = new ArrayList<>();
    private final DealView deal = Fixtures.deal(Fixtures.dealId(1), 3, 1, 1);
    private final List<Task> consensus = new ArrayList<>();
    private Applier applier;
    private CertificationRoom room;
    private int confirmations;

    /**
     * Three tasks in consensus, the i-th revealed by {@code workers[i % workers.length]}. A worker with one entry
     * signed it at its commit if {@code signedAtCommit}; a worker with several must sign the batch.
     */
    private void open(Lifecycle lifecycle, boolean signedAtCommit, String... workers) {
        applier = new Applier(store);
        room = new CertificationRoom(applier, new BatchLayout(new FileResultStore(tmp.resolve("results"))), chain,
                lifecycle, SIGN_TIMEOUT, (t, rs) -> certifiedTasks.add(t.taskId()), confirmations, 1);
        List<Task> tasks = Fixtures.tasksOf(deal);
        List<Replicate> replicates = new ArrayList<>();
        for (Task t : tasks) {
            String worker = workers[(int) t.index() % workers.length];
            Task agreed = t.moveTo(TaskStatus.RUNNING, NOW).withConsensus(Fixtures.digest(1), NOW);
            consensus.add(agreed);
            Replicate r = Fixtures.revealed(agreed, worker, Fixtures.digest(1));
            replicates.add(signedAtCommit ? r : new Replicate(r.id(), r.taskId(), r.dealId(), r.worker(), r.status(),
                    r.commitment(), null, r.digest(), null, null, NOW));
        }
        synchronized (applier.lock()) {
            applier.apply(Changes.deal(deal, tasks, 1));
            applier.apply(new Changes(consensus, replicates, List.of()));
        }
    }

    @AfterEach
    void close() {
        room.close();
        applier.close();
    }

    private List<PreparedBatch> take(List<Task> tasks, long now) {
        synchronized (applier.lock()) {
            return room.take(tasks.isEmpty() ? List.of() : List.of(new Plan.BatchPlan(deal.dealId(), tasks)), now);
        }
    }

    private Task live(Task t) {
        synchronized (applier.lock()) {
            return applier.live().task(t.taskId());
        }
    }

    private void sendAll(List<PreparedBatch> ready) {
        long sequence = applier.queued();
        for (PreparedBatch p : ready) room.send(p, sequence);
    }

    @Test
    void tasksAreSavedFinalizingBeforeTheirBatchIsSentThenLeaveMemoryCertified() {
        open(Lifecycle.DEFAULT, true, A, B, C);

        List<PreparedBatch> ready = take(consensus, NOW);
        sendAll(ready);

        assertThat(ready).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(BatchStatus.CERTIFIED));
        for (Task t : consensus) {
            assertThat(chain.savedWhenSent.get(t.taskId())).isEqualTo(TaskStatus.FINALIZING);
            assertThat(live(t)).as("left memory").isNull();
            applier.saved(applier.queued());
            assertThat(store.task(t.taskId()).orElseThrow()).satisfies(saved -> {
                assertThat(saved.status()).isEqualTo(TaskStatus.FINALIZED);
                assertThat(saved.batch()).isEqualTo("0xtx");
            });
            assertThat(store.history(t.taskId())).extracting(Task::status).endsWith(TaskStatus.FINALIZING,
                    TaskStatus.FINALIZED);
        }
        assertThat(certifiedTasks).containsExactlyElementsOf(consensus.stream().map(Task::taskId).toList());
        assertThat(room.batching()).isEmpty();
    }

    /** Waits (bounded) for the batch to end on the room's own threads; it ends and changes its tasks under the lock. */
    private void awaitEnd(PreparedBatch p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (applier.lock()) {
                if (p.status().terminal()) return;
            }
            Thread.sleep(5);
        }
    }

    @Test
    void withConfirmationsABatchRemovedByAReorganisationIsSentAgainAndCertifiedOnce() throws Exception {
        confirmations = 2;
        open(Lifecycle.DEFAULT, true, A, B, C);
        int[] sends = {0};
        chain.answer = b -> new TxResult("0xtx" + ++sends[0], 100_000, 1, null);
        chain.depths.put("0xtx1", new java.util.ArrayDeque<>(List.of(Depth.PENDING, Depth.REMOVED)));
        chain.depths.put("0xtx2", new java.util.ArrayDeque<>(List.of(Depth.PENDING, Depth.CONFIRMED)));

        List<PreparedBatch> ready = take(consensus, NOW);
        sendAll(ready);
        awaitEnd(ready.get(0));

        assertThat(ready.get(0).status()).isEqualTo(BatchStatus.CERTIFIED);
        assertThat(chain.sent).hasSize(2);
        assertThat(chain.reorganised).isEqualTo(1);
        assertThat(certifiedTasks).containsExactlyElementsOf(consensus.stream().map(Task::taskId).toList());
        for (Task t : consensus) {
            assertThat(applier.savedTask(t.taskId()).orElseThrow().batch()).isEqualTo("0xtx2");
        }
    }

    @Test
    void aResendWhoseTasksTheChainAlreadyFinalizedCountsThemDone() throws Exception {
        confirmations = 1;
        open(Lifecycle.DEFAULT, true, A, B, C);
        chain.depths.put("0xtx", new java.util.ArrayDeque<>(List.of(Depth.REMOVED)));
        int[] sends = {0};
        chain.answer = b -> {
            if (++sends[0] == 1) return new TxResult("0xtx", 100_000, 1, null);
            // the removed transaction was mined again meanwhile: the hub refuses a second finalization
            for (Task t : consensus) chain.onChain.put(t.taskId(), GridClient.TaskStatus.FINALIZED);
            throw new RevertException("TaskAlreadyFinalized", "task already finalized");
        };

        List<PreparedBatch> ready = take(consensus, NOW);
        sendAll(ready);
        awaitEnd(ready.get(0));

        assertThat(ready.get(0).status()).isEqualTo(BatchStatus.REFUSED);
        for (Task t : consensus) {
            assertThat(applier.savedTask(t.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.FINALIZED);
        }
    }

    @Test
    void aRefusedBatchOfSeveralTasksSendsThemAgainEachAlone() {
        open(Lifecycle.DEFAULT, true, A, B, C);
        chain.answer = b -> {
            throw new RevertException("TaskAlreadyFinalized", "one entry is wrong");
        };

        List<PreparedBatch> first = take(consensus, NOW);
        sendAll(first);

        assertThat(first).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(BatchStatus.REFUSED));
        for (Task t : consensus) assertThat(live(t).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(room.batching()).isEmpty();

        List<PreparedBatch> again = take(consensus.stream().map(this::live).toList(), NOW + 1);

        assertThat(again).hasSize(3).allSatisfy(p -> assertThat(p.tasks()).hasSize(1));
    }

    @Test
    void aRefusedLoneTaskFailsWithNoConsensusAndLeavesMemory() {
        open(Lifecycle.DEFAULT, true, A, B, C);
        chain.answer = b -> {
            throw new RevertException("BadVote", "the vote is wrong");
        };
        Task lone = consensus.get(0);

        sendAll(take(List.of(lone), NOW));

        assertThat(live(lone)).isNull();
        Task saved = applier.savedTask(lone.taskId()).orElseThrow();
        assertThat(saved.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(saved.cause()).isEqualTo(FailureCause.NO_CONSENSUS);
        assertThat(saved.message()).isEqualTo("the hub refused the result: the vote is wrong");
    }

    @Test
    void aTaskTheChainFinalizedAllTheSameIsFinalizedWhenItsBatchIsRefused() {
        open(Lifecycle.DEFAULT, true, A, B, C);
        chain.answer = b -> {
            throw new IllegalStateException("nonce too low");
        };
        chain.onChain.put(consensus.get(1).taskId(), GridClient.TaskStatus.FINALIZED);

        sendAll(take(consensus, NOW));

        assertThat(live(consensus.get(1))).isNull();
        assertThat(applier.savedTask(consensus.get(1).taskId()).orElseThrow().status()).isEqualTo(TaskStatus.FINALIZED);
        assertThat(live(consensus.get(0)).status()).isEqualTo(TaskStatus.CONSENSUS);
    }

    @Test
    void aBatchNotSignedInTimeIsSplitAndItsTasksAreAskedForAloneAgain() {
        open(Lifecycle.DEFAULT, false, A);

        assertThat(take(consensus, NOW)).isEmpty();
        List<WorkerApi.SignRequest> asked;
        synchronized (applier.lock()) {
            asked = room.signRequests(A, NOW);
        }
        assertThat(asked).singleElement().satisfies(r -> assertThat(r.entries()).hasSize(3));

        assertThat(take(List.of(), NOW + SIGN_TIMEOUT + 1)).isEmpty();
        assertThat(room.batching()).isEmpty();
        take(consensus, NOW + SIGN_TIMEOUT + 2);

        synchronized (applier.lock()) {
            asked = room.signRequests(A, NOW + SIGN_TIMEOUT + 2);
        }
        assertThat(asked).hasSize(3).allSatisfy(r -> assertThat(r.entries()).hasSize(1));
        assertThat(chain.sent).isEmpty();
    }

    @Test
    void aWorkerThatStillDoesNotSignATaskAloneLosesItsResultAndTheTaskRunsAgain() {
        // A worker restarted without its state cannot sign what it revealed before: the task must not wait for it
        open(Lifecycle.DEFAULT, false, A);
        take(consensus, NOW);
        take(List.of(), NOW + SIGN_TIMEOUT + 1); // the batch of three is split
        take(consensus, NOW + SIGN_TIMEOUT + 2); // each task asked for alone
        long later = NOW + 2 * SIGN_TIMEOUT + 10;
        take(List.of(), later);                  // still unsigned alone: A's results are dropped

        assertThat(room.batching()).isEmpty();
        for (Task t : consensus) {
            assertThat(live(t).status()).as("task %d", t.index()).isEqualTo(TaskStatus.RUNNING);
            synchronized (applier.lock()) {
                assertThat(applier.live().replicatesOf(t.taskId())).singleElement().satisfies(r -> {
                    assertThat(r.worker()).isEqualTo(A);
                    assertThat(r.status()).isEqualTo(ReplicateStatus.LOST);
                });
            }
        }
        assertThat(chain.sent).isEmpty();
    }

    @Test
    void aBatchIsPreparedOnceItsWorkersSigned() {
        open(Lifecycle.DEFAULT, true, A);
        take(consensus, NOW);
        String batchId;
        synchronized (applier.lock()) {
            batchId = room.signRequests(A, NOW).get(0).batchId();
        }

        assertThatThrownBy(() -> room.sign(B, new WorkerApi.SignResponse(batchId, "0x01")))
                .as("B has nothing to sign in this batch").isInstanceOf(Rejected.class);
        assertThat(take(List.of(), NOW + 1)).isEmpty();
        assertThat(room.sign(A, new WorkerApi.SignResponse(batchId, "0x01")).accepted()).isEqualTo(1);

        List<PreparedBatch> ready = take(List.of(), NOW + 2);
        assertThat(ready).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(BatchStatus.PREPARED));
        for (Task t : consensus) assertThat(live(t).status()).isEqualTo(TaskStatus.FINALIZING);
    }

    @Test
    void aBatchTheChainDoesNotAnswerInTimeIsReconciledWithTheChain() {
        open(new Lifecycle(2_000, 30_000, 30_000, 200, 1), true, A, B, C);
        CountDownLatch never = new CountDownLatch(1);
        chain.answer = b -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new TxResult("0xlate", 1, 1, null);
        };
        chain.onChain.put(consensus.get(2).taskId(), GridClient.TaskStatus.FINALIZED);

        List<PreparedBatch> ready = take(consensus, NOW);
        sendAll(ready);
        never.countDown();

        assertThat(ready.get(0).status()).isEqualTo(BatchStatus.UNANSWERED);
        assertThat(live(consensus.get(0)).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(live(consensus.get(1)).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(live(consensus.get(2))).isNull();
        assertThat(room.batching()).isEmpty();
        assertThat(certifiedTasks).as("a late answer is not taken in").isEmpty();
    }

    @Test
    void aRestartReconcilesTasksThatWereBeingFinalized() {
        open(Lifecycle.DEFAULT, true, A, B, C);
        List<PreparedBatch> ready = take(consensus.subList(0, 2), NOW);
        applier.saved(applier.queued());
        room.close();
        applier.close();
        chain.onChain.put(consensus.get(0).taskId(), GridClient.TaskStatus.FINALIZED);

        applier = new Applier(store);
        room = new CertificationRoom(applier, new BatchLayout(new FileResultStore(tmp.resolve("results"))), chain,
                Lifecycle.DEFAULT, SIGN_TIMEOUT, (t, rs) -> certifiedTasks.add(t.taskId()));
        room.recover();

        assertThat(ready).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(BatchStatus.PREPARED));
        assertThat(live(consensus.get(0))).isNull();
        assertThat(live(consensus.get(1)).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(live(consensus.get(2)).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(chain.sent).isEmpty();
    }
}
