package io.gridchain.cli.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import io.gridchain.contracts.CallbackProbe;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;
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

        // the explorer devnet up started shows the deal certified, as a page and as its JSON twin
        String explorer = devnet.get("explorer").asText();
        String deal = out.get("deal").asText().toLowerCase(java.util.Locale.ROOT);
        JsonNode page = null;
        for (int i = 0; i < 300 && (page == null || page.get("certified").asLong() < 2); i++) {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(explorer + "/api/deal/" + deal)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) page = new ObjectMapper().readTree(r.body());
            Thread.sleep(200);
        }
        assertThat(page).as("the deal in the explorer").isNotNull();
        assertThat(page.get("certified").asLong()).isEqualTo(2);
        assertThat(page.get("tasks")).allSatisfy(t -> assertThat(t.get("status").asText()).isEqualTo("certified"));
        String html = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(explorer + "/deal/" + deal)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(html).contains("<title>Deal ").contains(deal);
    }

    @Test
    void aRunWithACallbackDeliversTheCertifiedDataToTheContractAndTaskShowSaysSo() throws Exception {
        cli.run("account", "deposit", "100").assertOk();
        String chess = null;
        for (JsonNode a : devnet.get("apps")) if (a.get("name").asText().equals("chess")) chess = a.get("address").asText();
        assertThat(chess).as("the devnet publishes the chess app").isNotNull();
        JsonNode owner = devnet.get("accounts").get(0);
        Credentials key = WalletUtils.loadCredentials(devnet.get("walletPassword").asText(), owner.get("wallet").asText());
        Web3j web3j = Web3j.build(new HttpService(devnet.get("rpc").asText()));
        try {
            var tx = new RawTransactionManager(web3j, key, devnet.get("chainId").asLong());
            CallbackProbe probe = CallbackProbe.deploy(web3j, tx, new DefaultGasProvider(), BigInteger.ZERO).send();
            Cli.Run run = cli.run("run", chess, "--args", "perft 2 rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq -",
                    "--callback", probe.getContractAddress(), "--watch", "--json").assertOk();
            JsonNode result = new ObjectMapper().readTree(run.out()).get("results").get(0);
            assertThat(result.get("status").asText()).isEqualTo("CERTIFIED");
            assertThat(result.get("callback").get("accepted").asBoolean()).isTrue();
            byte[] expected = Numeric.toBytesPadded(BigInteger.valueOf(400), 32);
            assertThat(probe.lastData().send()).isEqualTo(expected);
            assertThat(result.get("callback").get("data").asText()).isEqualTo(Numeric.toHexString(expected));

            String shown = cli.run("task", "show", result.get("task").asText()).assertOk().out();
            assertThat(shown).contains("FINALIZED", "callback  " + probe.getContractAddress().toLowerCase().substring(0, 6),
                    "accepted the result", Numeric.toHexString(expected));
            Path got = home.resolve("callback-result");
            cli.run("result", "get", result.get("task").asText(), "-o", got.toString()).assertOk();
            assertThat(Files.readAllBytes(got.resolve("callback.bin"))).isEqualTo(expected);
        } finally {
            web3j.shutdown();
        }
        String notAContract = devnet.get("accounts").get(4).get("address").asText();
        assertThat(cli.run("run", chess, "--args", "perft 1 8/8/8/8/8/8/8/K1k5 w - -", "--callback", notAContract)
                .assertOneLineError(2)).contains("is not a contract");
    }

    @Test
    void anUnknownAppIsOneActionableLine() {
        assertThat(cli.run("run", "0x0000000000000000000000000000000000000bad", "--args", "1")
                .assertOneLineError(1)).contains("no compatible orders for app");
        assertThat(cli.run("run", "nonsense").assertOneLineError(2)).contains("APP must be an address");
    }
}
