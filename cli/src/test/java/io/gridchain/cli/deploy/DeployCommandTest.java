package io.gridchain.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.config.Cli;
import io.gridchain.cli.config.Config;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.local.LocalChain;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;

/** {@code gridchain deploy} against a real anvil, as a new network's operator runs it. */
class DeployCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalChain anvil;
    private static ChainClient chain;

    @TempDir Path home;

    @BeforeAll
    static void startChain() {
        anvil = LocalChain.start();
        chain = ChainClient.connect(anvil.rpcUrl());
    }

    @AfterAll
    static void stopChain() {
        chain.close();
        anvil.close();
    }

    private Cli operator(int devKey) {
        return operator(LocalChain.DEV_PRIVATE_KEYS.get(devKey));
    }

    private Cli operator(String privateKey) {
        Cli cli = new Cli(home).env("GRIDCHAIN_PASSWORD", "pw");
        Path key = cli.file("key", privateKey);
        cli.run("wallet", "import", "--private-key-file", key.toString()).assertOk();
        return cli;
    }

    private static String address(int devKey) {
        return Credentials.create(LocalChain.DEV_PRIVATE_KEYS.get(devKey)).getAddress();
    }

    private static long nonce(int devKey) throws IOException {
        String address = Credentials.create(LocalChain.DEV_PRIVATE_KEYS.get(devKey)).getAddress();
        return chain.web3j().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    private static JsonNode json(Cli.Run run) throws IOException {
        return JSON.readTree(run.assertOk().out());
    }

    private static boolean hasCode(String address, DefaultBlockParameter block) throws IOException {
        String code = chain.web3j().ethGetCode(address, block).send().getCode();
        return code != null && code.length() > 2;
    }

    private Path journal() throws IOException {
        try (var files = Files.list(home.resolve(".gridchain").resolve("deployments"))) {
            return files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    /** Removes {@code steps} from the journal, as if the deployment had stopped before them. */
    private void forget(String... steps) throws IOException {
        Path journal = journal();
        ObjectNode j = (ObjectNode) JSON.readTree(journal.toFile());
        ((ObjectNode) j.get("contracts")).remove(List.of(steps));
        JSON.writeValue(journal.toFile(), j);
    }

    @Test
    void deployWritesAUsableProfileAndASecondRunSendsNothing() throws IOException {
        Cli cli = operator(9);
        JsonNode first = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab", "--json"));
        assertThat(first.get("alreadyDeployed").asBoolean()).isFalse();
        assertThat(hasCode(first.get("hub").asText(), DefaultBlockParameterName.LATEST)).isTrue();
        var profile = Config.load(cli.configFile()).profile("lab").orElseThrow();
        assertThat(profile.hub()).isEqualTo(first.get("hub").asText());
        assertThat(Config.load(cli.configFile()).profile()).isEqualTo("lab");
        long sent = nonce(9);

        JsonNode again = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab", "--json"));
        assertThat(again.get("alreadyDeployed").asBoolean()).isTrue();
        assertThat(again.get("hub").asText()).isEqualTo(first.get("hub").asText());
        assertThat(nonce(9)).as("a second deploy sends nothing").isEqualTo(sent);

        // the profile is enough to act on the deployment
        JsonNode pool = json(cli.run("pool", "create", "--json"));
        assertThat(pool.get("workerpool").asText()).startsWith("0x");

        JsonNode fresh = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab", "--new",
                "--json"));
        assertThat(fresh.get("hub").asText()).as("--new deploys another set on purpose")
                .isNotEqualTo(first.get("hub").asText());
    }

    @Test
    void anInterruptedDeploymentResumesReusingWhatWasConfirmed() throws IOException {
        Cli cli = operator(8);
        JsonNode first = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab", "--json"));
        // as if the process died after the registries: the journal has no extension and no hub yet
        forget("extension", "hub");
        long before = nonce(8);

        JsonNode resumed = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "resumed",
                "--json"));
        assertThat(resumed.get("resumed").asBoolean()).isTrue();
        for (String reused : List.of("token", "apps", "datasets", "workerpools")) {
            assertThat(resumed.get(reused).asText()).as(reused).isEqualTo(first.get(reused).asText());
        }
        assertThat(nonce(8) - before).as("only the extension and the hub are deployed").isEqualTo(2);
        assertThat(hasCode(resumed.get("hub").asText(), DefaultBlockParameterName.LATEST)).isTrue();
    }

    @Test
    void aJournalPointingAtOtherCodeIsRefused() throws IOException {
        Cli cli = operator(7);
        json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab", "--json"));
        Path journal = journal();
        ObjectNode j = (ObjectNode) JSON.readTree(journal.toFile());
        ObjectNode contracts = (ObjectNode) j.get("contracts");
        // an attacker (or a mistake) swaps the apps registry for another contract
        ((ObjectNode) contracts.get("apps")).put("address", contracts.get("datasets").get("address").asText());
        JSON.writeValue(journal.toFile(), j);
        long before = nonce(7);

        Cli.Run refused = cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab");
        assertThat(refused.code()).isEqualTo(1);
        // progress lines come first; the refusal is the one error line, with no stack trace
        List<String> errors = refused.err().lines().filter(l -> !l.startsWith("[deploy]")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith("error: ").contains("apps").contains("not what was deployed");
        assertThat(nonce(7)).isEqualTo(before);
    }

    @Test
    void aCurrencyThatIsNotATokenIsRefusedInOneLine() throws IOException {
        Cli cli = operator(6);
        String eoa = Credentials.create(LocalChain.DEV_PRIVATE_KEYS.get(5)).getAddress();
        String error = cli.run("deploy", "--rpc", anvil.rpcUrl(), "--token", eoa).assertOneLineError(1);
        assertThat(error).contains("not a contract").contains("--dev-token");
        assertThat(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--token", "0x12").assertOneLineError(2))
                .contains("--token");
        assertThat(cli.run("deploy", "--rpc", anvil.rpcUrl()).code()).isEqualTo(2);
        assertThat(cli.run("deploy", "--rpc", "http://127.0.0.1:1", "--dev-token").assertOneLineError(3))
                .contains("127.0.0.1:1");
        assertThat(nonce(6)).isZero();
    }

    @Test
    void eachContractIsConfirmedBeforeDeployReturns() throws IOException {
        try (LocalChain timed = LocalChain.start(List.of("--block-time", "1"));
                ChainClient c = ChainClient.connect(timed.rpcUrl())) {
            Cli cli = operator(9);
            JsonNode out = json(cli.run("deploy", "--rpc", timed.rpcUrl(), "--dev-token", "--name", "timed",
                    "--confirmations", "2", "--json"));
            long head = c.blockNumber();
            // the hub, deployed last, already existed two blocks below the head when deploy returned
            String code = c.web3j().ethGetCode(out.get("hub").asText(),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(head - 2))).send().getCode();
            assertThat(code).hasSizeGreaterThan(2);
            assertThat(Config.load(cli.configFile()).profile("timed").orElseThrow().get("confirmations"))
                    .isEqualTo("2");
        }
    }

    @Test
    void anExistingTokenIsRecordedAndAnotherOneIsRefusedWithoutNew() throws IOException {
        Cli cli = operator(5);
        JsonNode dev = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "dev", "--json"));
        String erc20 = dev.get("token").asText();
        // an ERC-721 registry answers balanceOf but not decimals: not a currency
        assertThat(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--token", dev.get("apps").asText(), "--new")
                .assertOneLineError(1)).contains("does not answer").contains("ERC-20");

        JsonNode on = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--token", erc20, "--name", "erc20", "--new",
                "--json"));
        assertThat(on.get("token").asText()).isEqualToIgnoringCase(erc20);
        long sent = nonce(5);
        String other = cli.run("deploy", "--rpc", anvil.rpcUrl(), "--token", dev.get("hub").asText(), "--name",
                "erc20").assertOneLineError(2);
        assertThat(other).contains("uses the token " + erc20.toLowerCase()).contains("--new");
        JsonNode again = json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--token", erc20, "--name", "erc20",
                "--json"));
        assertThat(again.get("alreadyDeployed").asBoolean()).isTrue();
        assertThat(again.get("hub").asText()).isEqualTo(on.get("hub").asText());
        assertThat(Config.load(cli.configFile()).profile("erc20").orElseThrow().token()).isEqualToIgnoringCase(erc20);
        assertThat(nonce(5)).isEqualTo(sent);
    }

    @Test
    void theDeployerMintsTheDevTokenToWhoeverTakesPart() throws IOException {
        Cli cli = operator(4);
        json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "lab", "--json"));
        String worker = address(3);
        JsonNode minted = json(cli.run("token", "mint", "5000", "--to", worker + "," + address(2), "--json"));
        assertThat(minted.get("minted")).hasSize(2);
        assertThat(minted.get("minted").get(0).get("balance").asText()).isEqualTo("5000");
        cli.run("token", "mint", "700").assertOk(); // to the deployer itself, who can then deposit
        JsonNode dep = json(cli.run("account", "deposit", "700", "--json"));
        assertThat(dep.get("balance").get("free").asText()).isEqualTo("700");

        // anyone else, with the same profile as a participant sets it up, is refused before sending, in one line
        Cli stranger = new Cli(home.resolve("stranger")).env("GRIDCHAIN_PASSWORD", "pw");
        stranger.run("wallet", "import", "--private-key-file",
                stranger.file("key", LocalChain.DEV_PRIVATE_KEYS.get(3)).toString()).assertOk();
        var lab = Config.load(cli.configFile()).profile("lab").orElseThrow();
        stranger.run("config", "set", "rpc", lab.rpc(), "--profile", "lab").assertOk();
        stranger.run("config", "set", "hub", lab.hub(), "--profile", "lab").assertOk();
        stranger.run("config", "use", "lab").assertOk();
        long before = nonce(3);
        String refused = stranger.run("token", "mint", "1").assertOneLineError(1);
        assertThat(refused).contains("only " + address(4).toLowerCase()).contains("--wallet");
        assertThat(nonce(3)).isEqualTo(before);
    }

    @Test
    void anUnfinishedDeploymentIsResumedOnlyByTheKeyThatStartedIt() throws IOException {
        Cli cli = operator(2);
        json(cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "half", "--json"));
        forget("hub"); // as if the process died before the hub

        Path otherKey = cli.file("other", LocalChain.DEV_PRIVATE_KEYS.get(1));
        cli.run("wallet", "import", "--private-key-file", otherKey.toString()).assertOk(); // now the default wallet
        long before = nonce(1);
        String refused = cli.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token", "--name", "other")
                .assertOneLineError(2);
        assertThat(refused).contains("started by " + address(2)).contains("--wallet");
        assertThat(nonce(1)).isEqualTo(before);
    }

    @Test
    void aWalletWithoutEtherIsToldTheShortfallAndNoWalletIsAUsageError() throws Exception {
        Cli none = new Cli(home.resolve("none"));
        assertThat(none.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token").assertOneLineError(2))
                .contains("no wallet");
        String key = org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(
                org.web3j.crypto.Keys.createEcKeyPair().getPrivateKey(), 64);
        Cli poor = operator(key);
        String error = poor.run("deploy", "--rpc", anvil.rpcUrl(), "--dev-token").err().lines()
                .filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
        assertThat(error).contains(Credentials.create(key).getAddress().toLowerCase()).contains("send it at least");
    }
}
