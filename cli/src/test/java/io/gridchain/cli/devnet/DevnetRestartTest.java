package io.gridchain.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's loop: `devnet up`, a run, `devnet down`, `devnet up`, a run again. The second devnet is a new anvil
 * with the same chain id and the same contract addresses; its scheduler and order book must not resume the state
 * they saved on the first (the scheduler's cursor there skipped every new deal, and `run --watch` hung).
 */
class DevnetRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path home;

    private Cli cli;

    @AfterEach
    void down() {
        if (cli != null) cli.run("devnet", "down");
    }

    @Test
    void downThenUpGivesAWorkingNetworkThatStartsFresh() throws Exception {
        cli = new Cli(home).env("GRIDCHAIN_PASSWORD", "devnet");
        JsonNode first = JSON.readTree(cli.run("devnet", "up", "--workers", "1", "--json").assertOk().out());
        runCertified(first);
        cli.run("devnet", "down").assertOk();

        JsonNode second = JSON.readTree(cli.run("devnet", "up", "--workers", "1", "--json").assertOk().out());
        assertThat(second.get("addresses")).as("the new chain looks the same").isEqualTo(first.get("addresses"));
        assertThat(second.get("chainId")).isEqualTo(first.get("chainId"));
        runCertified(second);

        Path log = home.resolve(".gridchain").resolve("devnet").resolve("devnet.log");
        assertThat(Files.readString(log))
                .contains("the scheduler's state in").contains("the order book in")
                .contains("discarded it and started fresh");
    }

    private void runCertified(JsonNode devnet) throws Exception {
        cli.run("account", "deposit", "100").assertOk();
        String app = devnet.get("apps").get(0).get("address").asText();
        Cli.Run run = cli.run("run", app, "--args", "1000", "--watch", "--json").assertOk();
        JsonNode out = JSON.readTree(run.out());
        assertThat(out.get("results")).hasSize(1)
                .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("CERTIFIED"));
    }
}
