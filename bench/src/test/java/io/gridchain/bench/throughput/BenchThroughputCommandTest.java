package io.gridchain.bench.throughput;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.apps.ExampleApps;
import io.gridchain.bench.Run;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchThroughputCommandTest {
    @TempDir Path tmp;

    @Test
    void anUnknownAppIsExitCode2() {
        assertThat(Run.command(new BenchThroughputCommand(), "--app", "sleep")).isEqualTo(2);
    }

    @Test
    void aNegativeWarmupIsExitCode2BeforeAnythingStarts() {
        assertThat(Run.command(new BenchThroughputCommand(), "--warmup-tasks", "-1")).isEqualTo(2);
    }

    @Test
    void theNoopTaskSucceedsWithTheResultOfZeroFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        ExecutionResult result = new WasmRuntime().run(ExecutionRequest.of("noop", ExampleApps.load("noop"), out));
        assertThat(result.succeeded()).as("%s", result).isTrue();
        assertThat(result.exitCode()).isZero();
        // the replicas' digest, identical on every worker: the bag is certifiable though the app writes nothing
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
        assertThat(ResultDigest.of(out)).isEqualTo(ResultDigest.of(tmp.resolve("absent")));
    }
}
