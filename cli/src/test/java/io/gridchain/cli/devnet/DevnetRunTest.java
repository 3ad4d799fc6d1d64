package io.gridchain.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The requester's whole job against a devnet, each step a separate `gridchain` process as a user runs it. */
class DevnetRunTest {
    @TempDir
    static Path home;

    static Cli cli;
    static JsonNode devnet;

    @BeforeAll
    static void up() throws Exception {
        cli = new Cli(home).env("GRIDCHAIN_PASSWORD", "devnet");
        devnet = new ObjectMapper().readTree(cli.run("devnet", "up", "--json").assertOk().out());
    }

    @AfterAll
    static void down() {
        cli.run("devnet", "down").assertOk();
        cli.run("devnet", "status").assertOneLineError(1);
    }

    @Test
    void aRequesterRunsAnAppAndDownloadsTheCertifiedResult() throws Exception {
        assertThat(cli.run("devnet", "up").assertOneLineError(1)).contains("a devnet is already running");
        cli.run("account", "deposit", "100").assertOk();
        String app = devnet.get("apps").get(0).get("address").asText();
        Path results = home.resolve("results");
        Cli.Run run = cli.run("run", app, "--args", "100000", "--trust", "5", "--volume", "2", "--watch",
                "--download", results.toString(), "--json").assertOk();
        JsonNode out = new ObjectMapper().readTree(run.out());
        assertThat(out.get("results")).hasSize(2).allSatisfy(r -> assertThat(r.get("status").asText())
                .isEqualTo("CERTIFIED"));
        assertThat(Files.readString(results.resolve("0/result.txt"))).isEqualTo("primes below 100000: 9592\n");

        String task = out.get("tasks").get(0).asText();
        assertThat(cli.run("task", "show", task).assertOk().out()).contains("FINALIZED");
        assertThat(cli.run("deal", "show", out.get("deal").asText()).assertOk().out()).contains("FINALIZED");
        Path again = home.resolve("again");
        cli.run("result", "get", task, "-o", again.toString()).assertOk();
        assertThat(Files.readString(again.resolve("result.txt"))).isEqualTo("primes below 100000: 9592\n");
    }

    @Test
    void anUnknownAppIsOneActionableLine() {
        assertThat(cli.run("run", "0x0000000000000000000000000000000000000bad", "--args", "1")
                .assertOneLineError(1)).contains("no compatible orders for app");
        assertThat(cli.run("run", "nonsense").assertOneLineError(2)).contains("APP must be an address");
    }
}
