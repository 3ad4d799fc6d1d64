package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.runtime.Runtime;
import io.gridchain.runtime.WasmRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's outcome for each way a replicate can end, with the real runtime and example apps. */
class ReplicateRunnerTest {

    private static final WasmRuntime WASM = new WasmRuntime();

    @TempDir
    Path cache;

    private ReplicateRunner runner(Runtime runtime) {
        return new ReplicateRunner(runtime, new Fetcher(cache), new WorkDirs(cache.resolve("work"), 2), null,
                OutboxTest.KEY.getAddress());
    }

    private static WorkerApi.Assignment assignment(String app, String checksum, List<WorkerApi.InputSpec> inputs,
            boolean callback) {
        WorkerApi.AppSpec spec = app == null ? null
                : new WorkerApi.AppSpec(null, app, "wasm", "gridchain:apps/" + app + ".wasm", checksum);
        return new WorkerApi.Assignment("r1", "0xdeal", 0, "0x" + "1".repeat(64), spec, inputs, List.of(), Map.of(),
                null, 7, Long.MAX_VALUE, callback, false);
    }

    private static WorkerApi.Assignment assignment(String app) {
        return assignment(app, null, List.of(), false);
    }

    @Test
    void aSuccessfulRunIsItsOutputArchiveAndItsDigest() {
        Outcome outcome = runner(WASM).run(assignment("noop"), () -> false);

        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        Outcome.Succeeded s = (Outcome.Succeeded) outcome;
        assertThat(s.digest()).isEqualTo(ResultArchive.digest(s.bytes()));
    }

    @Test
    void aTrapIsAFailureEveryWorkerReproducesSoItsDigestIsCommittedLikeAResult() {
        Outcome outcome = runner(WASM).run(assignment("trap"), () -> false);

        assertThat(outcome).isInstanceOf(Outcome.Reproducible.class);
        Outcome.Reproducible r = (Outcome.Reproducible) outcome;
        assertThat(r.cause()).isEqualTo("TRAP");
        assertThat(r.digest()).isEqualTo(FailureDigest.of(false, "TRAP", 0))
                .isEqualTo(Contributions.callbackDigest(r.record()));
        assertThat(new String(r.record(), StandardCharsets.UTF_8)).isEqualTo("gridchain/failure/v1:TRAP");
    }

    @Test
    void aCallbackDealWhoseAppWroteNoCallbackDataCommitsEmptyCallbackData() {
        Outcome outcome = runner(WASM).run(assignment("noop", null, List.of(), true), () -> false);

        assertThat(outcome).isInstanceOf(Outcome.Reproducible.class);
        Outcome.Reproducible r = (Outcome.Reproducible) outcome;
        assertThat(r.cause()).isEqualTo("NO_CALLBACK_DATA");
        assertThat(r.record()).isEmpty();
        assertThat(r.digest()).isEqualTo(FailureDigest.EMPTY_CALLBACK);
    }

    @Test
    void callbackDataLargerThanACallbackCarriesIsACertifiableFailure() {
        byte[] tooMuch = new byte[WorkerApi.MAX_CALLBACK_BYTES + 1];
        byte[] archive = io.gridchain.runtime.ResultArchive.encode(
                List.of(new io.gridchain.runtime.ResultArchive.ArchivedFile(WorkerApi.CALLBACK_FILE, tooMuch)));
        Runtime writesTooMuch = request -> new io.gridchain.runtime.ExecutionResult(
                io.gridchain.runtime.ExecutionResult.Status.SUCCEEDED, 0, new byte[0], new byte[0], null,
                archive.length, java.time.Duration.ZERO, archive);

        Outcome outcome = runner(writesTooMuch).run(assignment("noop", null, List.of(), true), () -> false);

        assertThat(outcome).isInstanceOf(Outcome.Reproducible.class);
        Outcome.Reproducible r = (Outcome.Reproducible) outcome;
        assertThat(r.cause()).isEqualTo("CALLBACK_DATA_TOO_LARGE");
        assertThat(r.digest()).as("certified as empty callback data").isEqualTo(FailureDigest.EMPTY_CALLBACK);
    }

    @Test
    void anAppThatCannotBeFetchedFailsBeforeItRuns() {
        AtomicInteger runs = new AtomicInteger();
        Runtime counting = request -> {
            runs.incrementAndGet();
            return WASM.run(request);
        };

        Outcome noApp = runner(counting).run(assignment(null), () -> false);
        Outcome mismatch = runner(counting).run(assignment("noop", "0x" + "0".repeat(64), List.of(), false),
                () -> false);

        assertThat(noApp).isEqualTo(Outcome.Failed.before("FETCH_FAILED", "the assignment names no app"));
        assertThat(mismatch).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) mismatch).cause()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(runs).hasValue(0);
    }

    @Test
    void anInputNameOutsideInFailsAndLeavesNoFileInTheWorkDirectory() throws Exception {
        List<WorkerApi.InputSpec> inputs = List.of(new WorkerApi.InputSpec("../escape", "gridchain:apps/noop.wasm",
                null));

        Outcome outcome = runner(WASM).run(assignment("noop", null, inputs, false), () -> false);

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) outcome).cause()).isEqualTo("FETCH_FAILED");
        try (Stream<Path> files = Files.walk(cache.resolve("work"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aReplicateCancelledBeforeItRunsIsNotRun() {
        AtomicInteger runs = new AtomicInteger();
        Outcome outcome = runner(request -> {
            runs.incrementAndGet();
            return WASM.run(request);
        }).run(assignment("noop"), () -> true);

        assertThat(outcome).isEqualTo(Outcome.CANCELLED);
        assertThat(runs).hasValue(0);
    }

    @Test
    void aReplicateCancelledWhileRunningDropsItsResult() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Outcome outcome = runner(request -> {
            cancelled.set(true); // the scheduler cancels while the app runs
            return WASM.run(request);
        }).run(assignment("noop"), cancelled::get);

        assertThat(outcome).isEqualTo(Outcome.CANCELLED);
    }
}
