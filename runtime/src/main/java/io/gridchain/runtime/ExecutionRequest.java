package io.gridchain.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One execution of a WebAssembly (wasm32-wasi command) module.
 *
 * @param appName      argv[0] of the app (e.g. "primes")
 * @param module       the module's bytes
 * @param moduleSha256 expected sha256 of {@code module} as hex (with or without 0x); the runtime refuses a module
 *                     whose bytes do not match (INVALID_MODULE) and keys its compiled-module cache by it. Null: the
 *                     runtime computes it.
 * @param args         argv[1..]
 * @param env          environment variables (passed in key order)
 * @param inputDir     host directory whose regular files (recursively) the app sees read-only under {@code /in};
 *                     null for none. Copied into the sandbox before the run: the app never sees the host path.
 * @param outputDir    host directory that receives what the app wrote under {@code /out}, also on failure; it must
 *                     be empty or absent (it is created). Null: the output stays in memory and comes back as
 *                     {@link ExecutionResult#output()}, with no file system work on the host
 * @param limits       wall time, memory and output limits
 * @param seed         seed of the app's random source (WASI random_get): honest replicas given the same seed
 *                     produce the same bytes
 */
public record ExecutionRequest(
        String appName,
        byte[] module,
        String moduleSha256,
        List<String> args,
        Map<String, String> env,
        Path inputDir,
        Path outputDir,
        Limits limits,
        long seed) {

    public ExecutionRequest {
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(module, "module");
        args = List.copyOf(args == null ? List.of() : args);
        env = Map.copyOf(env == null ? Map.of() : env);
        limits = limits == null ? Limits.DEFAULT : limits;
    }

    /** A request with no arguments, environment or input, default limits and seed 0; refine with the withers. */
    public static ExecutionRequest of(String appName, byte[] module, Path outputDir) {
        return new ExecutionRequest(appName, module, null, List.of(), Map.of(), null, outputDir, Limits.DEFAULT, 0L);
    }

    /** Reads the module from a file; argv[0] is the file name without ".wasm". */
    public static ExecutionRequest of(Path moduleFile, Path outputDir) {
        String name = moduleFile.getFileName().toString();
        if (name.endsWith(".wasm")) {
            name = name.substring(0, name.length() - ".wasm".length());
        }
        try {
            return of(name, Files.readAllBytes(moduleFile), outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read module " + moduleFile, e);
        }
    }

    public ExecutionRequest withArgs(List<String> value) {
        return new ExecutionRequest(appName, module, moduleSha256, value, env, inputDir, outputDir, limits, seed);
    }

    public ExecutionRequest withArgs(String... value) {
        return withArgs(List.of(value));
    }

    public ExecutionRequest withEnv(Map<String, String> value) {
        return new ExecutionRequest(appName, module, moduleSha256, args, value, inputDir, outputDir, limits, seed);
    }

    public ExecutionRequest withModuleSha256(String value) {
        return new ExecutionRequest(appName, module, value, args, env, inputDir, outputDir, limits, seed);
    }

    public ExecutionRequest withInputDir(Path value) {
        return new ExecutionRequest(appName, module, moduleSha256, args, env, value, outputDir, limits, seed);
    }

    public ExecutionRequest withOutputDir(Path value) {
        return new ExecutionRequest(appName, module, moduleSha256, args, env, inputDir, value, limits, seed);
    }

    public ExecutionRequest withLimits(Limits value) {
        return new ExecutionRequest(appName, module, moduleSha256, args, env, inputDir, outputDir, value, seed);
    }

    public ExecutionRequest withSeed(long value) {
        return new ExecutionRequest(appName, module, moduleSha256, args, env, inputDir, outputDir, limits, value);
    }

    /** The environment in a deterministic (key) order. */
    public Map<String, String> sortedEnv() {
        return new TreeMap<>(env);
    }

    @Override
    public String toString() {
        return "ExecutionRequest[" + appName + " " + args + ", module=" + module.length + " B, sha256=" + moduleSha256
                + ", in=" + inputDir + ", out=" + outputDir + ", " + limits + ", seed=" + seed + "]";
    }
}
