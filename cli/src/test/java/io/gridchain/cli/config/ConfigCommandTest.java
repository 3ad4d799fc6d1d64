package io.gridchain.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gridchain config …} and the configuration errors, driven at the process level. */
class ConfigCommandTest {
    private static final String HUB = ConfigTest.ADDRESSES.hub();

    @TempDir Path home;

    @Test
    void setUseAndShowEditOneFileAndReportEachValuesSource() throws Exception {
        Cli cli = new Cli(home);
        cli.run("config", "set", "rpc", "http://127.0.0.1:8545", "--profile", "devnet").assertOk();
        cli.run("config", "set", "hub", HUB).assertOk(); // into the current profile: devnet
        cli.run("config", "set", "rpc", "https://rpc.sepolia.org", "--profile", "sepolia").assertOk();
        Config c = Config.load(cli.configFile());
        assertThat(c.profile()).isEqualTo("devnet");
        assertThat(c.profiles()).containsOnlyKeys("devnet", "sepolia");
        assertThat(c.profile("devnet").orElseThrow().hub()).isEqualTo(HUB);

        cli.run("config", "use", "sepolia").assertOk();
        assertThat(Config.load(cli.configFile()).profile()).isEqualTo("sepolia");

        Cli.Run show = cli.env("GRIDCHAIN_PROFILE", "devnet").run("config", "show", "--json").assertOk();
        JsonNode eff = new ObjectMapper().readTree(show.out()).get("effective");
        assertThat(eff.get("profile").get("source").asText()).isEqualTo("env GRIDCHAIN_PROFILE");
        assertThat(eff.get("rpc").get("value").asText()).isEqualTo("http://127.0.0.1:8545");
        assertThat(eff.get("hub").get("value").asText()).isEqualTo(HUB);

        Cli.Run flag = cli.run("config", "show", "--rpc", "http://flag:1").assertOk();
        assertThat(flag.out()).contains("http://flag:1  (flag --rpc)").contains("* sepolia");
    }

    @Test
    void gridchainConfigPointsAtAnotherFile() {
        Cli cli = new Cli(home);
        Path other = home.resolve("elsewhere/gc.json");
        cli.env("GRIDCHAIN_CONFIG", other.toString());
        cli.run("config", "set", "rpc", "http://127.0.0.1:8545").assertOk();
        assertThat(Config.load(other).profile("default").orElseThrow().rpc()).isEqualTo("http://127.0.0.1:8545");
        assertThat(cli.configFile()).doesNotExist();
    }

    @Test
    void badKeysValuesAndProfilesAreOneLineExit2() {
        Cli cli = new Cli(home);
        assertThat(cli.run("config", "set", "colour", "blue").assertOneLineError(2)).contains("unknown key 'colour'");
        assertThat(cli.run("config", "set", "hub", "0x1234").assertOneLineError(2)).contains("hub must be an address");
        assertThat(cli.run("config", "use", "mainnet").assertOneLineError(2)).contains("no profile 'mainnet'");
        assertThat(cli.configFile()).doesNotExist();
    }

    @Test
    void noChainConfiguredTellsToRunDevnetUpOrConfigSet() {
        Cli cli = new Cli(home);
        String msg = cli.run("account", "balance", HUB).assertOneLineError(2);
        assertThat(msg).contains("gridchain devnet up").contains("gridchain config set");
        cli.run("config", "set", "rpc", "http://127.0.0.1:1").assertOk();
        assertThat(cli.run("account", "balance", HUB).assertOneLineError(2))
                .contains("no gridchain contracts configured").contains("gridchain devnet up");
    }

    @Test
    void anUnreachableRpcUrlIsOneLineExit3() {
        Cli cli = new Cli(home);
        cli.run("config", "set", "hub", HUB, "--profile", "devnet").assertOk();
        String msg = cli.run("account", "balance", HUB, "--rpc", "http://127.0.0.1:1").assertOneLineError(3);
        assertThat(msg).contains("cannot reach an Ethereum node at http://127.0.0.1:1")
                .contains("check the RPC URL and that the node is running");
    }

    @Test
    void helpOfEveryConfigCommandHasExamples() {
        for (String[] args : new String[][] {{"config"}, {"config", "show"}, {"config", "set"}, {"config", "use"}}) {
            assertThat(Cli.help(args)).as(String.join(" ", args)).contains("Examples:");
        }
    }
}
