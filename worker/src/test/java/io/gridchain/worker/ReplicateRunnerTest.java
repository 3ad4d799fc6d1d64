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

    @Test
    void aSealedInputWithoutAKeyFailsAsRefusedSecretsAndNeverReachesTheApp() throws Exception {
        byte[] sealed = io.gridchain.api.sms.DatasetSeal.seal("alice,100\n".getBytes(StandardCharsets.UTF_8),
                io.gridchain.api.sms.DatasetSeal.newKey());
        Path file = Files.write(cache.resolve("ledger.gcds"), sealed);
        List<WorkerApi.InputSpec> inputs = List.of(new WorkerApi.InputSpec("ledger", file.toUri().toString(),
                "0x" + io.gridchain.runtime.ResultDigest.sha256Hex(sealed)));
        Outcome outcome = runner(WASM).run(assignment("salestats", null, inputs, false), () -> false);
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo("SECRETS_REFUSED");
            assertThat(f.message()).contains("input ledger is a sealed dataset and no secret service released its key");
        });
    }

    @Test
    void anUnreachableSecretServiceFailsTheReplicateAsRefusedSecretsNamingTheService() {
        WorkerApi.Assignment plain = assignment("salestats");
        String dead = "http://127.0.0.1:9"; // the discard port: nothing answers HTTP there
        WorkerApi.Assignment confidential = new WorkerApi.Assignment(plain.replicateId(), plain.dealId(),
                plain.taskIndex(), plain.taskId(), plain.app(), plain.inputs(), plain.args(), plain.env(),
                plain.limits(), plain.seed(), plain.deadline(), false, false, new WorkerApi.Confidential(List.of(
                        new WorkerApi.SecretSource(dead, null, null, "0x" + "4".repeat(40), List.of("API_KEY"))), null),
                "0xauthorization");
        ReplicateRunner withSecrets = new ReplicateRunner(WASM, new Fetcher(cache), new SecretsFetch(
                new io.gridchain.api.sms.SmsClient(null), OutboxTest.KEY), new WorkDirs(cache.resolve("work"), 2), null,
                OutboxTest.KEY.getAddress());
        Outcome outcome = withSecrets.run(confidential, () -> false);
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.cause()).isEqualTo("SECRETS_REFUSED");
            assertThat(f.message()).startsWith("the secret service at " + dead + " is unreachable");
        });
    }
}
