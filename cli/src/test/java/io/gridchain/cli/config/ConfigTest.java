package io.gridchain.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.cli.UserError;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.FeePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    static final Protocol.Addresses ADDRESSES = new Protocol.Addresses(
            "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
            "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
            "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9");

    @TempDir Path dir;

    @Test
    void aMissingFileIsAnEmptyConfigAndSavingIsAtomicAndRoundTrips() throws Exception {
        Path file = dir.resolve("sub/config.json");
        assertThat(Config.load(file).profiles()).isEmpty();
        Config c = Config.load(file)
                .withProfile("devnet", Profile.of("http://127.0.0.1:8545", 31337, ADDRESSES)
                        .with("market", "http://127.0.0.1:8081"))
                .withWallet("~/.gridchain/wallets/0xabc.json");
        c.save(file);
        assertThat(Files.list(file.getParent())).containsExactly(file); // no temporary file left
        Config back = Config.load(file);
        assertThat(back.profile()).isEqualTo("devnet"); // the first profile becomes the current one
        assertThat(back.profile("devnet").orElseThrow().addresses()).contains(ADDRESSES);
        assertThat(back.profile("devnet").orElseThrow().chainId()).isEqualTo(31337L);
        assertThat(back.profile("devnet").orElseThrow().market()).isEqualTo("http://127.0.0.1:8081");
        assertThat(back.wallet()).isEqualTo("~/.gridchain/wallets/0xabc.json");
    }

    @Test
    void unknownKeysWrittenByOtherToolsAreKept() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"profile\":\"devnet\",\"profiles\":{\"devnet\":{\"rpc\":\"http://127.0.0.1:8545\","
                + "\"anvilPid\":1234}},\"telemetry\":false}");
        Config.load(file).withProfile("sepolia", Profile.empty().with("rpc", "https://rpc.sepolia.org")).save(file);
        String text = Files.readString(file);
        assertThat(text).contains("\"anvilPid\" : 1234").contains("\"telemetry\" : false").contains("sepolia");
        assertThat(Config.load(file).profile()).isEqualTo("devnet");
    }

    @Test
    void malformedFilesAndValuesAreOneLineUsageErrors() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"profiles\": {");
        assertThatThrownBy(() -> Config.load(file)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("malformed config file " + file)
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> Profile.empty().with("hub", "0x12")).hasMessageContaining("hub must be an address");
        assertThatThrownBy(() -> Profile.empty().with("rpc", "localhost")).hasMessageContaining("rpc must be an http(s) URL");
        assertThatThrownBy(() -> Profile.empty().with("chainId", "-1")).hasMessageContaining("chainId must be");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() {
        Path file = dir.resolve("config.json");
        Config.empty()
                .withProfile("devnet", Profile.of("http://127.0.0.1:8545", 31337, ADDRESSES))
                .withProfile("other", Profile.empty().with("rpc", "http://other:8545"))
                .withWallet("/w/file.json")
                .save(file);
        Map<String, String> env = Map.of("GRIDCHAIN_CONFIG", file.toString(), "GRIDCHAIN_RPC", "http://env:8545",
                "GRIDCHAIN_WALLET", "/w/env.json");
        Settings fromEnv = Settings.resolve(Settings.Flags.NONE, env);
        assertThat(fromEnv.configFile()).isEqualTo(file);
        assertThat(fromEnv.profileName().value()).isEqualTo("devnet");
        assertThat(fromEnv.rpc()).isEqualTo(new Settings.Value("http://env:8545", "env GRIDCHAIN_RPC"));
        assertThat(fromEnv.hub()).isEqualTo(new Settings.Value(ADDRESSES.hub(), "profile devnet"));
        assertThat(fromEnv.hubFromProfile()).isTrue();
        assertThat(fromEnv.wallet().value()).isEqualTo("/w/env.json");

        Settings fromFlags = Settings.resolve(new Settings.Flags(null, "other", "http://flag:8545", "/w/flag.json", null),
                env);
        assertThat(fromFlags.rpc()).isEqualTo(new Settings.Value("http://flag:8545", "flag --rpc"));
        assertThat(fromFlags.profileName()).isEqualTo(new Settings.Value("other", "flag --profile"));
        assertThat(fromFlags.hub()).isNull();
        assertThat(fromFlags.wallet().value()).isEqualTo("/w/flag.json");

        Settings fileOnly = Settings.resolve(Settings.Flags.NONE, Map.of("GRIDCHAIN_CONFIG", file.toString()));
        assertThat(fileOnly.rpc()).isEqualTo(new Settings.Value("http://127.0.0.1:8545", "profile devnet"));
        assertThat(fileOnly.wallet()).isEqualTo(new Settings.Value("/w/file.json", "config file"));
    }

    @Test
    void feeFlagsBeatTheirEnvironmentAndNeitherMeansTheNodesFees() {
        Path file = dir.resolve("c.json");
        Map<String, String> env = Map.of("GRIDCHAIN_CONFIG", file.toString(), "GRIDCHAIN_MAX_FEE_GWEI", "30",
                "GRIDCHAIN_PRIORITY_FEE_GWEI", "2");
        Settings fromEnv = Settings.resolve(Settings.Flags.NONE, env);
        assertThat(fromEnv.feePolicy()).isEqualTo(FeePolicy.ofGwei("30", "2"));
        assertThat(fromEnv.effective().get("max-fee-gwei")).isEqualTo(new Settings.Value("30", "env GRIDCHAIN_MAX_FEE_GWEI"));

        Settings flagged = Settings.resolve(new Settings.Flags(null, null, null, null, null, null, "0.5"), env);
        assertThat(flagged.feePolicy()).isEqualTo(FeePolicy.ofGwei("30", "0.5"));
        assertThat(flagged.priorityFeeGwei().source()).isEqualTo("flag --priority-fee-gwei");

        assertThat(Settings.resolve(Settings.Flags.NONE, Map.of("GRIDCHAIN_CONFIG", file.toString())).feePolicy())
                .isEqualTo(FeePolicy.AUTO);
        Settings bad = Settings.resolve(Settings.Flags.NONE, Map.of("GRIDCHAIN_CONFIG", file.toString(),
                "GRIDCHAIN_PRIORITY_FEE_GWEI", "-1"));
        assertThatThrownBy(bad::feePolicy).isInstanceOf(UserError.class)
                .hasMessage("the priority fee cannot be negative: -1 (env GRIDCHAIN_PRIORITY_FEE_GWEI)");
    }
}
