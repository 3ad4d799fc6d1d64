package io.gridchain.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchRuntimeCommandTest {
    @Test
    void wasmAndNativeAgreeAndTheRatioIsReported() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.execute("bench", "runtime", "--n", "100000", "--runs", "1", "--json");
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero(); // non-zero also when the engines printed different results
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
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
        JsonNode json = runJson("bench", "runtime", "--kernel", "mandel", "--n", "64", "--runs", "1", "--json");
        assertThat(json.get("wasm_to_native_ratio").asDouble()).isPositive();
        assertThat(json.get("kernel").asText()).isEqualTo("mandel");
        assertThat(json.get("result").asText()).startsWith("mandelbrot 64x64: ");
    }

    static JsonNode runJson(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero(); // non-zero also when the engines printed different results
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOutOfRangeArgumentIsExitCode2() {
        assertThat(Main.execute("bench", "runtime", "--n", "2")).isEqualTo(2);
        assertThat(Main.execute("bench", "runtime", "--runs", "0")).isEqualTo(2);
        assertThat(Main.execute("bench", "runtime", "--kernel", "mandel", "--n", "20001")).isEqualTo(2);
    }
}
