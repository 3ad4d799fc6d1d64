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
        Cli cli = new Cli(home).env("GRIDCHAIN_PASSWORD", "pw");
        Path key = cli.file("key", LocalChain.DEV_PRIVATE_KEYS.get(devKey));
        cli.run("wallet", "import", "--private-key-file", key.toString()).assertOk();
        return cli;
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
        Path journal = journal();
        ObjectNode j = (ObjectNode) JSON.readTree(journal.toFile());
        ((ObjectNode) j.get("contracts")).remove(List.of("extension", "hub"));
        JSON.writeValue(journal.toFile(), j);
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
}
