package io.gridchain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void demoCertifiesTheAppsResultOnChain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.execute("demo", "--n", "100000", "--json");
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.get("result").asText()).isEqualTo("primes below 100000: 9592");
        assertThat(json.get("task_status").asText()).isEqualTo("FINALIZED");
        assertThat(json.get("digest").asText()).matches("0x[0-9a-f]{64}");
        assertThat(json.get("transactions")).hasSize(2);
    }

    @Test
    void anOutOfRangeArgumentIsOneLineAndExitCode2() {
        assertThat(Main.execute("demo", "--n", "1")).isEqualTo(2);
    }
}
