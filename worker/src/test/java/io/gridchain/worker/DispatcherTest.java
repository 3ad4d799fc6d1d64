package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import io.gridchain.runtime.Runtime;
import io.gridchain.runtime.WasmRuntime;
import io.gridchain.worker.SlotLedger.Phase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting assignments and handing each outcome to the outbox, with jobs run on the test thread: what holds a slot
 * afterwards, and what waits in the outbox (sent by one flush to a fake scheduler).
 */
class DispatcherTest {

    private static final WasmRuntime WASM = new WasmRuntime();

    @TempDir
    Path cache;

    private final FakeScheduler scheduler = new FakeScheduler();
    private final SlotLedger ledger = new SlotLedger(2, () -> {});
    private final BatchSigner signer = new BatchSigner(scheduler, OutboxTest.KEY.getAddress(),
            OutboxTest.KEY.getEcKeyPair().getPrivateKey(), () -> OutboxTest.DOMAIN, Runnable::run);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Outbox outbox = new Outbox(scheduler, ledger, signer, new RecordingAnswers(), closed::get,
            new AtomicLong(1_800_000_000_000L)::get);

    private Dispatcher dispatcher(Runtime runtime) {
        ReplicateRunner runner = new ReplicateRunner(runtime, new Fetcher(cache),
                new WorkDirs(cache.resolve("work"), 2), null, OutboxTest.KEY.getAddress());
        return new Dispatcher(ledger, Runnable::run, runner, new Uploader(scheduler), outbox, signer,
                OutboxTest.KEY.getAddress(), closed::get);
    }

    private static WorkerApi.Assignment assignment(String id) {
        WorkerApi.AppSpec app = new WorkerApi.AppSpec(null, "noop", "wasm", "gridchain:apps/noop.wasm", null);
        return new WorkerApi.Assignment(id, "0xdeal", 0, "0x" + "1".repeat(64), app, List.of(), List.of(), Map.of(),
                null, 0, 1_800_000_060L, false, false);
    }

    /** Takes {@code permits} slots and starts the assignments on them; returns how many were used. */
    private int start(Dispatcher dispatcher, int permits, WorkerApi.Assignment... assignments) {
        assertThat(ledger.tryAcquire(permits)).isTrue();
        int[] used = {0};
        try {
            dispatcher.start(List.of(assignments), permits, used);
        } finally {
            ledger.release(permits - used[0]);
        }
        return used[0];
    }

    private void assertSlotFreedAndNothingSent() throws InterruptedException {
        assertThat(ledger.heldIds()).isEmpty();
        assertThat(ledger.free()).isEqualTo(2);
        assertThat(outbox.flushOnce(0)).isFalse();
    }

    @Test
    void aResultIsUploadedAndItsCommitQueuedHoldingTheSlot() throws InterruptedException {
        assertThat(start(dispatcher(WASM), 1, assignment("r1"))).isEqualTo(1);

        assertThat(ledger.inPhase(Phase.QUEUED_COMMIT)).containsExactly("r1");
        assertThat(ledger.attachedIds()).isEmpty();
        assertThat(scheduler.puts).hasSize(1);
        outbox.flushOnce(0);
        WorkerApi.Commit commit = scheduler.commits.get(0).commits().get(0);
        assertThat(commit.digest()).isEqualTo(scheduler.puts.get(0)); // in the store: revealed with the commit
    }

    @Test
    void aJobThatThrowsFreesItsSlotAndSendsNothing() throws InterruptedException {
        start(dispatcher(request -> {
            throw new IllegalStateException("the runtime broke");
        }), 1, assignment("r1"));

        assertSlotFreedAndNothingSent();
    }

    @Test
    void aCancelledJobFreesItsSlotAndSendsNothing() throws InterruptedException {
        start(dispatcher(request -> {
            closed.set(true); // the agent closes while the app runs
            return WASM.run(request);
        }), 1, assignment("r1"));

        assertSlotFreedAndNothingSent();
    }

    @Test
    void anAssignmentBeyondTheClaimedSlotsIsReportedAndARepeatedOneIgnored() throws InterruptedException {
        Dispatcher dispatcher = dispatcher(request -> {
            throw new IllegalStateException("not run in this test");
        });
        ledger.tryAcquire(1);
        ledger.start("r1", () -> {}); // already held

        int used = start(dispatcher, 1, assignment("r1"), assignment("r2"), assignment("r3"));

        assertThat(used).isEqualTo(1); // r2 ran (and failed), r3 was refused, r1 ignored
        outbox.flushOnce(0);
        assertThat(scheduler.fails).hasSize(1);
        assertThat(scheduler.fails.get(0).failures()).extracting(WorkerApi.Failure::replicateId)
                .containsExactly("r3");
        assertThat(scheduler.fails.get(0).failures().get(0).cause()).isEqualTo("HOST_ERROR");
        assertThat(ledger.heldIds()).containsExactly("r1");
        assertThat(ledger.free()).isEqualTo(1);
    }

    @Test
    void aResultSealedAtTheSourceGoesWithItsRevealAsTheBeneficiarysCopyAndNeverInTheClear() throws Exception {
        org.web3j.crypto.ECKeyPair beneficiary = org.web3j.crypto.Keys.createEcKeyPair();
        WorkerApi.Assignment plain = assignment("r1");
        WorkerApi.Assignment sealed = new WorkerApi.Assignment("r1", plain.dealId(), 0, plain.taskId(), plain.app(),
                List.of(), List.of(), Map.of(), null, 0, plain.deadline(), false, false, new WorkerApi.Confidential(
                        List.of(), org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(beneficiary.getPublicKey(),
                                128)), null);
        assertThat(start(dispatcher(WASM), 1, sealed)).isEqualTo(1);
        assertThat(scheduler.puts).as("nothing stored before the commit").isEmpty();
        outbox.flushOnce(0);
        WorkerApi.Commit commit = scheduler.commits.get(0).commits().get(0);
        assertThat(commit.digest()).as("revealed later, with the sealed upload").isNull();
        assertThat(ledger.inPhase(Phase.QUEUED_COMMIT)).isEmpty();
    }

    @Test
    void aConfidentialReplicateThatFailsReportsItsCauseButNotWhatTheAppPrinted() throws InterruptedException {
        WorkerApi.AppSpec app = new WorkerApi.AppSpec(null, "spin", "wasm", "gridchain:apps/spin.wasm", null);
        WorkerApi.Assignment confidential = new WorkerApi.Assignment("r1", "0xdeal", 0, "0x" + "1".repeat(64), app,
                List.of(), List.of(), Map.of(), new WorkerApi.LimitsSpec(200, 0, 0), 0, 1_800_000_060L, false, false,
                new WorkerApi.Confidential(List.of(), "0x04"), null);
        assertThat(start(dispatcher(WASM), 1, confidential)).isEqualTo(1);
        outbox.flushOnce(0);
        WorkerApi.Failure failure = scheduler.fails.get(0).failures().get(0);
        assertThat(failure.cause()).isEqualTo("TIMEOUT");
        assertThat(failure.stdoutTail()).isEmpty();
        assertThat(failure.stderrTail()).isEmpty();
        assertThat(failure.partialDigest()).isNull();
    }
}
