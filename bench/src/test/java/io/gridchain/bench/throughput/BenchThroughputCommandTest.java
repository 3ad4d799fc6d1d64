package io.gridchain.bench.throughput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.apps.ExampleApps;
import io.gridchain.bench.Run;
import io.gridchain.bench.plot.SvgCharts;
import io.gridchain.bench.plot.SvgCharts.Point;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    void aPlotIntoAMissingDirectoryIsExitCode2BeforeAnythingStarts() {
        String missing = tmp.resolve("missing").resolve("throughput.svg").toString();
        assertThat(Run.command(new BenchThroughputCommand(), "--plot", missing)).isEqualTo(2);
    }

    @Test
    void thePlotsTitleGivesTheRateAndItsSubtitleTheBag() {
        List<Point> samples = List.of(new Point(0, 0), new Point(0.1, 0), new Point(0.2, 500), new Point(0.3, 1000));
        SvgCharts.Chart chart = ThroughputPlot.chart(samples, 1000, "noop", 1234.56, 8, 4, 3);
        assertThat(chart.title()).isEqualTo("Certified tasks over time: 1,234.6 tasks/s");
        assertThat(chart.subtitle()).startsWith("A bag of 1,000 noop tasks, 3 replicas each, 8 workers x 4 slots");
        assertThat(chart.series()).singleElement().satisfies(s -> assertThat(s.points()).isEqualTo(samples));
    }

    @Test
    void aNegativeSandboxWindowIsExitCode2BeforeAnythingStarts() {
        assertThat(Run.command(new BenchThroughputCommand(), "--sandbox-seconds", "-1")).isEqualTo(2);
    }

    @Test
    void theBoundIsTheSandboxRunsPerSecondOverTheReplicasAndEfficiencyThePoolsShareOfIt() {
        // 6,000 runs in 2 s on 2 threads: 3,000 runs/s, so 1,000 tasks/s of 3 replicas
        SandboxBound.Result bound = new SandboxBound.Result(2, 6_000, 2.0, 3);
        assertThat(bound.tasksPerSecond()).isEqualTo(1_000.0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("certified_tasks_per_s", 750.0);
        BenchThroughputCommand.putBound(out, 750.0, bound);
        assertThat(out.keySet()).containsExactly("certified_tasks_per_s", "sandbox_bound_tasks_per_s", "efficiency");
        assertThat(out).containsEntry("sandbox_bound_tasks_per_s", 1_000.0).containsEntry("efficiency", 0.75);
    }

    @Test
    void theSandboxBoundCountsTheRunsOfEveryThread() throws Exception {
        SandboxBound.Result bound = SandboxBound.measure("noop", List.of(), 2, Duration.ofMillis(200), 3);
        assertThat(bound.threads()).isEqualTo(2);
        assertThat(bound.runs()).isPositive();
        assertThat(bound.tasksPerSecond()).isEqualTo(bound.runs() / 0.2 / 3);
    }

    @Test
    void anAppFailingInTheSandboxHasNoBound() {
        assertThatThrownBy(() -> SandboxBound.measure("trap", List.of(), 1, Duration.ofMillis(100), 3))
                .hasMessageContaining("trap failed in the sandbox");
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
