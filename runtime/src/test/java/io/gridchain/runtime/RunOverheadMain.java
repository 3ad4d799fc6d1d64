package io.gridchain.runtime;

import com.sun.management.OperatingSystemMXBean;
import io.gridchain.apps.ExampleApps;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures the per-run overhead of {@link WasmRuntime#run} with a tiny app ({@code primes 10}): wall ms/run and
 * process CPU ms/run, single-threaded or with several threads in parallel. Not a test: timings in unit tests are
 * flaky. Run with the test classpath, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat /tmp/rt.cp) io.gridchain.runtime.RunOverheadMain 3000 1}.
 *
 * <p>Arguments: runs per round (default 3000), threads (default 1), rounds (default 5), directory for the runs'
 * output (default: a new temporary directory). The output directories are on the host file system, whose mkdir and
 * create can dominate on a busy disk: a tmpfs such as /dev/shm keeps the measurement about the runtime itself.
 */
public final class RunOverheadMain {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path root = args.length > 3
                ? Files.createTempDirectory(Path.of(args[3]), "run-overhead")
                : Files.createTempDirectory("run-overhead");
        byte[] module = ExampleApps.load("primes");
        WasmRuntime runtime = new WasmRuntime();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                Path dir = Files.createDirectory(root.resolve("r" + round));
                long wall0 = System.nanoTime();
                long cpu0 = os.getProcessCpuTime();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int i = thread; i < runs; i += threads) {
                            ExecutionResult r = runtime.run(ExecutionRequest.of("primes", module, dir.resolve("o" + i))
                                    .withArgs("10").withSeed(i));
                            if (!r.succeeded() || !r.stdoutText().equals("primes below 10: 4\n")) {
                                throw new IllegalStateException("run " + i + ": " + r);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                double wallMs = (System.nanoTime() - wall0) / 1e6;
                double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
                System.out.printf("round %d, %d thread(s): %.3f ms/run wall, %.3f ms/run CPU%n",
                        round, threads, wallMs / runs, cpuMs / runs);
                delete(dir);
            }
        } finally {
            pool.shutdownNow();
            delete(root);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
