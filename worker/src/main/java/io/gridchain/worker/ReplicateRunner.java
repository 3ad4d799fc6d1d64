package io.gridchain.worker;

import io.gridchain.api.AppContract;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.sms.DatasetSeal;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Limits;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.runtime.Runtime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one replicate: fetches the app and inputs, runs it, and digests what the store will keep. Talks to no
 * scheduler: the caller commits or reports the {@link Outcome}.
 */
final class ReplicateRunner {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    private final Runtime runtime;
    private final Fetcher fetcher;
    private final SecretsFetch secrets;
    private final Sweeps sweeps;
    private final WorkDirs workDirs;
    private final Sabotage sabotage;
    private final String address;
    private final SplittableRandom sabotageRandom;
    private final AtomicLong ran = new AtomicLong();

    ReplicateRunner(Runtime runtime, Fetcher fetcher, WorkDirs workDirs, Sabotage sabotage, String address) {
        this(runtime, fetcher, null, workDirs, sabotage, address);
    }

    /** @param secrets gets a confidential deal's secrets; null: such deals fail (tests of public deals only) */
    ReplicateRunner(Runtime runtime, Fetcher fetcher, SecretsFetch secrets, WorkDirs workDirs, Sabotage sabotage,
            String address) {
        this.runtime = runtime;
        this.fetcher = fetcher;
        this.secrets = secrets;
        this.sweeps = new Sweeps(fetcher);
        this.workDirs = workDirs;
        this.sabotage = sabotage;
        this.address = address;
        this.sabotageRandom = new SplittableRandom(sabotage == null ? 0 : sabotage.seed() ^ address.hashCode());
    }

    /**
     * The output stays in memory (the runtime's archive of /out): a work directory on disk is used only to stage
     * input files, since listing, checking and emptying one cost more system calls than a no-op run.
     */
    Outcome run(WorkerApi.Assignment a, BooleanSupplier cancelled) {
        String id = a.replicateId();
        Sweeps.Task task;
        try {
            task = sweeps.resolve(a);
        } catch (FetchFailure f) {
            return Outcome.Failed.before(f.cause().name(), f.getMessage());
        }
        boolean hasInputs = !task.inputs().isEmpty();
        Path workDir = null;
        if (hasInputs) {
            try {
                workDir = workDirs.take();
            } catch (IOException e) {
                return Outcome.Failed.before("HOST_ERROR", "cannot create a work directory under "
                        + workDirs.root() + ": " + e.getMessage());
            }
        }
        try {
            WorkerApi.AppSpec app = a.app();
            if (app == null) {
                return Outcome.Failed.before(FetchFailure.Cause.FETCH_FAILED.name(), "the assignment names no app");
            }
            Path inDir = hasInputs ? workDir.resolve("in") : null;
            byte[] module;
            String moduleSha;
            SecretsFetch.Received received;
            try {
                moduleSha = Fetcher.normalize(app.checksum(), "app");
                module = fetcher.fetch(app.uri(), app.checksum(), "app");
                // The inputs first: a dataset's key is asked for only when an input is actually sealed, so that a
                // plain dataset of an owner who also sells sealed ones does not depend on the owner's service.
                List<byte[]> inputs = hasInputs ? fetchInputs(task.inputs()) : List.of();
                received = receive(a, inputs.stream().anyMatch(DatasetSeal::isSealed));
                if (hasInputs) {
                    placeInputs(task.inputs(), inputs, inDir, received.datasetKey());
                }
            } catch (FetchFailure f) {
                if (cancelled.getAsBoolean()) {
                    log.info("replicate {} cancelled", id);
                    return Outcome.CANCELLED;
                }
                log.info("replicate {} (task {}): {}", id, a.taskId(), f.toString());
                return Outcome.Failed.before(f.cause().name(), f.getMessage());
            }
            if (cancelled.getAsBoolean()) {
                log.info("replicate {} cancelled before it ran", id);
                return Outcome.CANCELLED;
            }
            ExecutionRequest request = ExecutionRequest.of(appName(app), module, null)
                    .withModuleSha256(moduleSha)
                    .withArgs(task.args())
                    .withEnv(env(a, received))
                    .withInputDir(inDir)
                    .withLimits(limits(a.limits()))
                    .withSeed(a.seed());
            ExecutionResult result = runtime.run(request);
            if (cancelled.getAsBoolean()) {
                log.info("replicate {} cancelled; its result is dropped", id);
                return Outcome.CANCELLED;
            }
            if (!result.succeeded()) {
                String cause = result.failure().cause().name();
                if (FailureDigest.certifiable(cause)) {
                    log.info("replicate {} (task {}) failed as any run would ({}): its failure is committed like a"
                            + " result", id, a.taskId(), result.failure());
                    return reproducible(a, cause, result.exitCode(), result.failure().message(), result);
                }
                log.info("replicate {} (task {}) failed: {}", id, a.taskId(), result.failure());
                return new Outcome.Failed(cause, result.failure().message(), result.stdout(), result.stderr(),
                        result.output());
            }
            byte[] output = sabotage(a, result.output());
            if (!a.callback()) {
                return new Outcome.Succeeded(ResultArchive.digest(output), output, result.stdout(), result.stderr());
            }
            // a callback deal's store keeps its raw data, content-addressed by keccak256 like on-chain
            Optional<byte[]> data = callbackData(output);
            if (data.isEmpty()) {
                log.info("replicate {} (task {}): the app wrote no {} for its callback deal", id, a.taskId(),
                        WorkerApi.CALLBACK_FILE);
                return reproducible(a, "NO_CALLBACK_DATA", 0, "the app wrote no /out/" + WorkerApi.CALLBACK_FILE
                        + ": a callback deal needs the bytes to send to the contract", result);
            }
            if (data.get().length > WorkerApi.MAX_CALLBACK_BYTES) {
                return reproducible(a, "CALLBACK_DATA_TOO_LARGE", 0, "the app wrote " + data.get().length
                        + " bytes of callback data, more than the " + WorkerApi.MAX_CALLBACK_BYTES + " a callback carries",
                        result);
            }
            return new Outcome.Succeeded(Contributions.callbackDigest(data.get()), data.get(), result.stdout(),
                    result.stderr());
        } finally {
            workDirs.recycle(workDir);
        }
    }

    private static Outcome.Reproducible reproducible(WorkerApi.Assignment a, String cause, int exitCode,
            String message, ExecutionResult result) {
        return new Outcome.Reproducible(FailureDigest.of(a.callback(), cause, exitCode),
                FailureDigest.record(a.callback(), cause, exitCode), cause, message, result.stdout(), result.stderr());
    }

    /** Fault injection: a saboteur worker corrupts its output before it is digested. */
    private byte[] sabotage(WorkerApi.Assignment a, byte[] output) {
        if (sabotage == null) return output;
        boolean lie;
        synchronized (sabotageRandom) {
            lie = sabotage.lies(a.taskId(), ran.getAndIncrement(), sabotageRandom);
        }
        if (!lie) return output;
        log.info("replicate {} (task {}): sabotaged", a.replicateId(), a.taskId());
        return sabotage.corrupt(output, a.taskId(), address);
    }

    /** The callback data the app wrote, if it wrote the file. */
    private static Optional<byte[]> callbackData(byte[] output) {
        for (ResultArchive.ArchivedFile f : ResultArchive.read(output)) {
            if (f.path().equals(WorkerApi.CALLBACK_FILE)) return Optional.of(f.content());
        }
        return Optional.empty();
    }

    private SecretsFetch.Received receive(WorkerApi.Assignment a, boolean sealedInput) throws FetchFailure {
        if (a.confidential() == null || a.confidential().sources().isEmpty()) return SecretsFetch.Received.NONE;
        if (secrets == null) {
            throw new FetchFailure(FetchFailure.Cause.SECRETS_REFUSED, "this worker cannot ask secret services");
        }
        return secrets.fetch(a, sealedInput);
    }

    /**
     * The task's environment (docs/APPS.md: its deal, id, index and bag size), the assignment's, and the secrets the app
     * receives, which never travel through the scheduler.
     */
    static Map<String, String> env(WorkerApi.Assignment a, SecretsFetch.Received received) {
        Map<String, String> given = a.env() == null ? Map.of() : a.env();
        long bagSize;
        try {
            bagSize = Long.parseLong(given.getOrDefault(AppContract.BAG_SIZE, "1"));
        } catch (NumberFormatException e) {
            bagSize = 1;
        }
        Map<String, String> env = new java.util.HashMap<>(AppContract.env(a.dealId(), a.taskId(), a.taskIndex(),
                bagSize));
        env.putAll(given);
        env.putAll(received.env());
        return env;
    }

    /** The inputs' bytes, fetched (or taken from the cache) and checked against their checksums. */
    private List<byte[]> fetchInputs(List<WorkerApi.InputSpec> specs) throws FetchFailure {
        List<byte[]> out = new java.util.ArrayList<>(specs.size());
        for (WorkerApi.InputSpec input : specs) {
            out.add(fetcher.fetch(input.url(), input.checksum(), "input " + input.name(), input.placement()));
        }
        return out;
    }

    /**
     * Places the inputs under /in; a sealed dataset ({@link DatasetSeal}) is opened with the key its owner's service
     * released, so that only its plaintext reaches the app (and only the ciphertext the cache).
     */
    private void placeInputs(List<WorkerApi.InputSpec> specs, List<byte[]> fetched, Path inDir, byte[] datasetKey)
            throws FetchFailure {
        for (int i = 0; i < fetched.size(); i++) {
            String name = specs.get(i).name();
            Path target = inputPath(inDir, name);
            byte[] bytes = fetched.get(i);
            if (DatasetSeal.isSealed(bytes)) {
                if (datasetKey == null) {
                    throw new FetchFailure(FetchFailure.Cause.SECRETS_REFUSED, "input " + name + " is a sealed"
                            + " dataset and no secret service released its key: its owner names one with `gridchain"
                            + " sms set-url` and pushes the key with `gridchain sms push-key`");
                }
                try {
                    bytes = DatasetSeal.open(bytes, datasetKey);
                } catch (IllegalArgumentException e) {
                    throw new FetchFailure(FetchFailure.Cause.SECRETS_REFUSED, "input " + name + ": " + e.getMessage());
                }
            }
            try {
                Files.createDirectories(target.getParent());
                Files.write(target, bytes);
            } catch (IOException e) {
                throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED,
                        "cannot store input " + name + ": " + SchedulerClient.reason(e), e);
            }
        }
    }

    static Path inputPath(Path inDir, String name) throws FetchFailure {
        if (name == null || name.isBlank() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED,
                    "invalid input name '" + name + "': it must be a relative path under /in");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED,
                        "invalid input name '" + name + "': it must be a relative path under /in, without . or ..");
            }
        }
        Path root = inDir.toAbsolutePath().normalize();
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED, "invalid input name '" + name + "'");
        }
        return target;
    }

    static String appName(WorkerApi.AppSpec app) {
        String name = app.name();
        if (name == null || name.isBlank()) {
            String uri = app.uri() == null ? "" : app.uri();
            name = uri.substring(uri.lastIndexOf('/') + 1);
            if (name.endsWith(".wasm")) {
                name = name.substring(0, name.length() - ".wasm".length());
            }
        }
        return name.isBlank() ? "app" : name;
    }

    /** The assignment's limits; a field that is 0 or out of range takes the runtime's default. */
    static Limits limits(WorkerApi.LimitsSpec spec) {
        Limits d = Limits.DEFAULT;
        if (spec == null) {
            return d;
        }
        return new Limits(
                spec.wallTimeMillis() > 0 ? Duration.ofMillis(spec.wallTimeMillis()) : d.wallTime(),
                spec.maxMemoryPages() >= 1 && spec.maxMemoryPages() <= Limits.MAX_PAGES ? spec.maxMemoryPages()
                        : d.maxMemoryPages(),
                spec.maxOutputBytes() > 0 ? spec.maxOutputBytes() : d.maxOutputBytes());
    }
}
