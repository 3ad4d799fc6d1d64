package io.gridchain.bench.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.bench.Run;
import org.junit.jupiter.api.Test;

class BenchRuntimeCommandTest {
    @Test
    void wasmAndNativeAgreeAndTheRatioIsReported() throws Exception {
        // exit code non-zero (failing Run.json) also when the engines printed different results
        JsonNode json = Run.json(new BenchRuntimeCommand(), "--n", "100000", "--runs", "1", "--json");
        assertThat(json.get("wasm_to_native_ratio").asDouble()).isPositive();
        assertThat(json.get("wasm_median_ms").asDouble()).isPositive();
        assertThat(json.get("native_median_ms").asDouble()).isPositive();
        assertThat(json.get("n").asLong()).isEqualTo(100_000);
        assertThat(json.get("runs").asInt()).isEqualTo(1);
        assertThat(json.get("compiler").asText()).isNotBlank();
        assertThat(json.get("result").asText()).isEqualTo("primes below 100000: 9592");
    }

    @Test
    void theMandelKernelAgreesToo() throws Exception {
        JsonNode json = Run.json(new BenchRuntimeCommand(), "--kernel", "mandel", "--n", "64", "--runs", "1", "--json");
        assertThat(json.get("wasm_to_native_ratio").asDouble()).isPositive();
        assertThat(json.get("kernel").asText()).isEqualTo("mandel");
        assertThat(json.get("result").asText()).startsWith("mandelbrot 64x64: ");
    }

    @Test
    void anOutOfRangeArgumentIsExitCode2() {
        assertThat(Run.command(new BenchRuntimeCommand(), "--n", "2")).isEqualTo(2);
        assertThat(Run.command(new BenchRuntimeCommand(), "--runs", "0")).isEqualTo(2);
        assertThat(Run.command(new BenchRuntimeCommand(), "--kernel", "mandel", "--n", "20001")).isEqualTo(2);
    }
}
