package io.gridchain.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** `devnet up --without-scheduler`: the devnet's own pool served by `scheduler start` and `worker start`. */
class DevnetOwnPoolServicesTest {
    @TempDir Path home;

    @Test
    void theDevnetPoolIsServedByAStartedSchedulerAndWorker() throws Exception {
        Cli cli = new Cli(home).env("GRIDCHAIN_PASSWORD", "devnet");
        JsonNode devnet = new ObjectMapper().readTree(cli.run("devnet", "up", "--without-scheduler", "--json")
                .assertOk().out());
        try {
            assertThat(devnet.get("scheduler").isNull()).isTrue();
            String pool = devnet.get("workerpool").asText();
            assertThat(cli.run("devnet", "status").assertOk().out()).contains("no scheduler: `gridchain scheduler start");
            Path wallets = home.resolve(".gridchain/devnet/wallets");
            try (Cli.Service scheduler = cli.start("scheduler", "start", "--pool", pool,
                    "--wallet", wallets.resolve("scheduler.json").toString())) {
                String url = scheduler.awaitLine("scheduler ");
                url = url.substring(url.indexOf(" : ") + 3).strip();
                try (Cli.Service worker = cli.start("worker", "start", "--scheduler", url, "--slots", "1",
                        "--wallet", wallets.resolve("worker-5.json").toString())) {
                    worker.awaitLine("worker ");
                    cli.run("account", "deposit", "100").assertOk();
                    String app = devnet.get("apps").get(0).get("address").asText();
                    JsonNode out = new ObjectMapper().readTree(cli.env("GRIDCHAIN_SCHEDULER", url)
                            .run("run", app, "--args", "1000", "--watch", "--json").assertOk().out());
                    assertThat(out.get("results").get(0).get("status").asText()).isEqualTo("CERTIFIED");
                }
            }
        } finally {
            cli.run("devnet", "down").assertOk();
        }
    }
}
