package io.gridchain.cli.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.apps.ExampleApps;
import io.gridchain.cli.config.Cli;
import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/** {@code gridchain app publish}, {@code dataset publish}, {@code pool create} at the process level. */
class ProviderCommandTest {
    private static final String KEY = LocalChain.DEV_PRIVATE_KEYS.get(5);
    private static final String ADDRESS = Credentials.create(KEY).getAddress();
    private static LocalProtocol net;
    private static AppRegistry apps;
    private static DatasetRegistry datasets;
    private static WorkerpoolRegistry pools;

    @TempDir Path home;

    @BeforeAll
    static void devnet() {
        net = Cli.devnet();
        Protocol.Addresses a = net.protocol().addresses();
        var web3j = net.chain().web3j();
        var ro = new ReadonlyTransactionManager(web3j, ADDRESS);
        apps = AppRegistry.load(a.apps(), web3j, ro, new DefaultGasProvider());
        datasets = DatasetRegistry.load(a.datasets(), web3j, ro, new DefaultGasProvider());
        pools = WorkerpoolRegistry.load(a.workerpools(), web3j, ro, new DefaultGasProvider());
    }

    private Cli provider() {
        Cli cli = new Cli(home).withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw");
        cli.run("wallet", "import", "--private-key-file", cli.file("key.txt", KEY).toString()).assertOk();
        return cli;
    }

    @Test
    void appPublishRegistersTheModuleWithItsChecksumAndPrintsItsAddress() throws Exception {
        Cli cli = provider();
        byte[] wasm = ExampleApps.load("primes");
        Path file = home.resolve("primes.wasm");
        Files.write(file, wasm);
        Cli.Run r = cli.run("app", "publish", file.toString(), "--json").assertOk();
        JsonNode json = new ObjectMapper().readTree(r.out());
        String app = json.get("app").asText();
        assertThat(app).matches("0x[0-9a-fA-F]{40}");
        assertThat(apps.ownerOfAsset(app).send()).isEqualToIgnoringCase(ADDRESS);
        AppRegistry.App onChain = apps.appOf(app).send();
        assertThat(onChain.name).isEqualTo("primes");
        assertThat(onChain.uri).isEqualTo(file.toUri().toString()).startsWith("file:///");
        assertThat(Words.hex(onChain.checksum)).isEqualTo(sha256(wasm)).isEqualTo(json.get("checksum").asText());
        assertThat(r.err()).contains("workers").contains("--uri"); // the note about file:// URIs

        Cli.Run text = cli.run("app", "publish", file.toString(), "--name", "p2", "--uri", "https://example.org/p.wasm")
                .assertOk();
        assertThat(text.out()).contains("app ").contains("https://example.org/p.wasm");
        assertThat(text.err()).isEmpty();
    }

    @Test
    void poolCreatePrintsTheAddressOfAWorkerpoolOwnedByTheWallet() throws Exception {
        Cli cli = provider();
        JsonNode json = new ObjectMapper().readTree(
                cli.run("pool", "create", "--description", "three workers", "--json").assertOk().out());
        String pool = json.get("workerpool").asText();
        assertThat(pools.ownerOfAsset(pool).send()).isEqualToIgnoringCase(ADDRESS);
        assertThat(pools.workerpoolOf(pool).send().description).isEqualTo("three workers");

        // its standing, as `run` weighs it: nothing bonded yet, so run's default minimum passes it over
        JsonNode shown = new ObjectMapper().readTree(cli.run("pool", "show", pool, "--json").assertOk().out());
        assertThat(shown.get("owner").asText()).isEqualToIgnoringCase(ADDRESS);
        assertThat(shown.get("description").asText()).isEqualTo("three workers");
        assertThat(shown.get("bond").asText()).isEqualTo("0");
        assertThat(shown.get("leaving").asBoolean()).isFalse();
        assertThat(shown.get("reputation").asLong()).isZero();
        assertThat(cli.run("pool", "show", "0x" + "0".repeat(39) + "1").assertOneLineError(1))
                .contains("is not registered on this chain");
        assertThat(cli.run("pool", "show", "nonsense").assertOneLineError(2)).contains("POOL must be an address");
    }

    @Test
    void datasetPublishHashesALocalFileOrTheBytesOfAUrl() throws Exception {
        Cli cli = provider();
        byte[] words = "alpha\nbeta\ngamma\n".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data/words.txt", ex -> {
            ex.sendResponseHeaders(200, words.length);
            ex.getResponseBody().write(words);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/data/words.txt";
            JsonNode json = new ObjectMapper().readTree(cli.run("dataset", "publish", url, "--json").assertOk().out());
            String dataset = json.get("dataset").asText();
            assertThat(datasets.ownerOfAsset(dataset).send()).isEqualToIgnoringCase(ADDRESS);
            assertThat(json.get("checksum").asText()).isEqualTo(sha256(words));
            assertThat(json.get("uri").asText()).isEqualTo(url);
            assertThat(json.get("name").asText()).isEqualTo("words");

            String missing = url.replace("words.txt", "nothing.txt");
            assertThat(cli.run("dataset", "publish", missing).assertOneLineError(1)).contains("HTTP 404");
        } finally {
            server.stop(0);
        }
        Path local = home.resolve("local.csv");
        Files.write(local, words);
        JsonNode json = new ObjectMapper().readTree(cli.run("dataset", "publish", local.toString(), "--name", "w",
                "--json").assertOk().out());
        assertThat(json.get("checksum").asText()).isEqualTo(sha256(words));
        assertThat(datasets.ownerOfAsset(json.get("dataset").asText()).send()).isEqualToIgnoringCase(ADDRESS);
    }

    @Test
    void aMissingOrNonWasmFileIsOneLineExit2AndNothingIsRegistered() throws Exception {
        Cli cli = provider();
        long appsBefore = apps.assetCount().send().longValueExact();
        Path missing = home.resolve("missing.wasm");
        assertThat(cli.run("app", "publish", missing.toString()).assertOneLineError(2))
                .isEqualTo("error: no such file: " + missing);
        Path notWasm = cli.file("notes.wasm", "hello, I am text");
        assertThat(cli.run("app", "publish", notWasm.toString()).assertOneLineError(2))
                .contains("is not a WebAssembly module");
        assertThat(cli.run("dataset", "publish", missing.toString()).assertOneLineError(2)).contains("no such file");
        assertThat(apps.assetCount().send().longValueExact()).isEqualTo(appsBefore);
    }

    @Test
    void helpOfEveryProviderCommandHasExamples() {
        for (String[] args : new String[][] {{"app"}, {"app", "publish"}, {"dataset"}, {"dataset", "publish"},
                {"pool"}, {"pool", "create"}, {"pool", "show"}}) {
            assertThat(Cli.help(args)).as(String.join(" ", args)).contains("Examples:");
        }
        assertThat(Cli.help("app", "publish")).contains("file://").contains("workers");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return Words.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
