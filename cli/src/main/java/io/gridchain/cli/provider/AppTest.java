package io.gridchain.cli.provider;

import io.gridchain.api.AppContract;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Json;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Limits;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gridchain app test}: runs a module in the sandbox and limits workers use, with the environment and seed of a
 * task (docs/APPS.md), and says what a worker would commit: the result's digest, or the failure's.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {"Run an app locally exactly as a worker does: the same sandbox, limits, environment",
            "(GRIDCHAIN_TASK_INDEX, …) and seed. Print its exit code, stdout, stderr, the files it",
            "wrote under /out and the digest a worker would commit. With --replicas N, run it N",
            "times and say whether the replicas agree, and which files differ if not. Needs no",
            "chain. Exit code 0 when every replica succeeded and they agree, 1 otherwise."},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain app test hello.wasm --args \"Ada\" --input names.txt",
            "  gridchain app test render.wasm --args 'frame 7' --task-index 7 --bag-size 100 --replicas 3",
            "  gridchain app test hello.wasm --out ./out --json"})
public final class AppTest implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.wasm", description = "The module (wasm32-wasi command).")
    Path module;

    @Option(names = "--args", paramLabel = "ARGS", description = "The app's arguments, separated by spaces.")
    String args;

    @Option(names = "--input", paramLabel = "FILE", description = "A file the app reads as /in/<its name> (repeatable).")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
            description = "Runs to compare, as a pool's replicas would be (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--task-index", paramLabel = "I", defaultValue = "0",
            description = "The task's index in its bag (default: ${DEFAULT-VALUE}).")
    long taskIndex;

    @Option(names = "--bag-size", paramLabel = "N", defaultValue = "1",
            description = "How many tasks the bag has (default: ${DEFAULT-VALUE}).")
    long bagSize;

    @Option(names = "--wall-time", paramLabel = "SECONDS", defaultValue = "300",
            description = "Wall time, the deal's category time (default: ${DEFAULT-VALUE}, category XS).")
    long wallTime;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the first run's /out files into DIR.")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** One run, as a worker would report it. */
    record Run(ExecutionResult result, String digest, String committed) {}

    @Override
    public Integer call() throws IOException {
        if (replicas < 1 || replicas > 100) throw UserError.usage("--replicas must be between 1 and 100");
        if (bagSize < 1 || taskIndex < 0 || taskIndex >= bagSize) {
            throw UserError.usage("--task-index must be between 0 and --bag-size - 1 (got " + taskIndex + " of "
                    + bagSize + ")");
        }
        if (wallTime < 1) throw UserError.usage("--wall-time must be at least 1 second");
        byte[] wasm = read(module, "FILE.wasm");
        String name = module.getFileName().toString().replaceFirst("\\.wasm$", "");
        String dealId = Words.ZERO_BYTES32;
        String taskId = Deal.taskId(dealId, taskIndex);
        Path inDir = inputs.isEmpty() ? null : Files.createTempDirectory("gridchain-app-test-in");
        for (Path input : inputs) Files.write(inDir.resolve(input.getFileName().toString()), read(input, "--input"));
        ExecutionRequest request = ExecutionRequest.of(name, wasm, null)
                .withArgs(args == null || args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+")))
                .withEnv(AppContract.env(dealId, taskId, taskIndex, bagSize))
                .withInputDir(inDir)
                .withLimits(new Limits(Duration.ofSeconds(wallTime), AppContract.MAX_MEMORY_PAGES,
                        AppContract.MAX_OUTPUT_BYTES))
                .withSeed(AppContract.seed(taskId));
        WasmRuntime runtime = new WasmRuntime();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            if (replicas > 1 && !json) System.err.println("[app test] replica " + (i + 1) + " of " + replicas);
            ExecutionResult r = runtime.run(request);
            runs.add(new Run(r, r.output() == null ? null : ResultArchive.digest(r.output()), committed(r)));
        }
        Run first = runs.get(0);
        if (out != null && first.result().output() != null) {
            Files.createDirectories(out);
            ResultArchive.decode(first.result().output(), out);
        }
        boolean agree = runs.stream().allMatch(r -> java.util.Objects.equals(r.committed(), first.committed()));
        boolean ok = first.result().succeeded() && agree;
        Map<String, Object> report = report(first, runs, agree);
        if (json) {
            Json.print(report);
        } else {
            print(first, runs, agree);
        }
        return ok ? 0 : 1;
    }

    /** What a worker commits: the result's digest, a certified failure's digest, or nothing (a failure it reports). */
    private static String committed(ExecutionResult r) {
        if (r.succeeded()) return ResultArchive.digest(r.output());
        String cause = r.failure().cause().name();
        return FailureDigest.certifiable(cause) ? FailureDigest.of(false, cause, r.exitCode()) : null;
    }

    private Map<String, Object> report(Run first, List<Run> runs, boolean agree) {
        ExecutionResult r = first.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.succeeded() ? "SUCCEEDED" : "FAILED");
        m.put("exitCode", r.exitCode());
        if (!r.succeeded()) {
            m.put("cause", r.failure().cause().name());
            m.put("message", r.failure().message());
        }
        m.put("stdout", r.stdoutText());
        m.put("stderr", r.stderrText());
        Map<String, Integer> files = new LinkedHashMap<>();
        if (r.output() != null) ResultArchive.read(r.output()).forEach(f -> files.put(f.path(), f.content().length));
        m.put("files", files);
        m.put("digest", first.committed());
        m.put("elapsedMillis", r.elapsed().toMillis());
        if (runs.size() > 1) {
            m.put("replicas", runs.size());
            m.put("agree", agree);
            m.put("digests", runs.stream().map(Run::committed).toList());
            if (!agree) m.put("differing", differing(runs));
        }
        return m;
    }

    private void print(Run first, List<Run> runs, boolean agree) {
        ExecutionResult r = first.result();
        System.out.println("status    : " + (r.succeeded() ? "SUCCEEDED" : "FAILED " + r.failure().cause() + ": "
                + r.failure().message()));
        System.out.println("exit code : " + r.exitCode());
        System.out.println("elapsed   : " + r.elapsed().toMillis() + " ms");
        System.out.println("--- stdout");
        System.out.print(withNewline(r.stdoutText()));
        System.out.println("--- stderr");
        System.out.print(withNewline(r.stderrText()));
        System.out.println("--- /out");
        if (r.output() == null || ResultArchive.read(r.output()).isEmpty()) System.out.println("(no files)");
        else ResultArchive.read(r.output()).forEach(f -> System.out.println(f.path() + "  " + f.content().length
                + " bytes"));
        System.out.println("---");
        System.out.println("digest    : " + (first.committed() == null
                ? "none: a worker reports this failure instead of committing it (it depends on the worker)"
                : first.committed() + (r.succeeded() ? "" : " (a failure every worker reproduces: certified as"
                        + " such, and paid)")));
        if (runs.size() > 1) {
            System.out.println("replicas  : " + runs.size() + (agree ? ", all agree"
                    : ", DISAGREE: " + String.join("; ", differing(runs))));
        }
        if (out != null) System.out.println("written   : " + out.toAbsolutePath());
    }

    /** Where the replicas' outputs differ from the first's: file by file. */
    private static List<String> differing(List<Run> runs) {
        List<String> out = new ArrayList<>();
        Map<String, byte[]> base = files(runs.get(0).result());
        for (int i = 1; i < runs.size(); i++) {
            Map<String, byte[]> other = files(runs.get(i).result());
            TreeSet<String> paths = new TreeSet<>(base.keySet());
            paths.addAll(other.keySet());
            for (String p : paths) {
                if (!Arrays.equals(base.get(p), other.get(p))) out.add("replica " + (i + 1) + " differs in /out/" + p);
            }
            if (paths.isEmpty() && !java.util.Objects.equals(runs.get(i).committed(), runs.get(0).committed())) {
                out.add("replica " + (i + 1) + " ended otherwise (" + runs.get(i).result().status() + ")");
            }
        }
        return out;
    }

    private static Map<String, byte[]> files(ExecutionResult r) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        if (r.output() != null) ResultArchive.read(r.output()).forEach(f -> m.put(f.path(), f.content()));
        return m;
    }

    private static String withNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw UserError.usage("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
