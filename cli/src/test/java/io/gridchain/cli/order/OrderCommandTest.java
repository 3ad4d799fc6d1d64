package io.gridchain.cli.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.apps.ExampleApps;
import io.gridchain.cli.config.Cli;
import io.gridchain.market.Market;
import io.gridchain.market.OrderJson;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * {@code gridchain order publish|list|cancel} at the process level against a local chain and a real order
 * book, and the bad inputs of the issue: a malformed order file, an order signed by the wrong key, an
 * unknown app, an insufficient balance, a wrong password, an unreachable RPC URL or book.
 */
class OrderCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNER_KEY = LocalChain.DEV_PRIVATE_KEYS.get(6);
    private static final String OWNER = Credentials.create(OWNER_KEY).getAddress();
    private static final String STRANGER_KEY = LocalChain.DEV_PRIVATE_KEYS.get(7);
    private static final String STRANGER = Credentials.create(STRANGER_KEY).getAddress();
    private static final String NOWHERE = "0x0000000000000000000000000000000000000bad";

    @TempDir static Path shared;
    @TempDir Path home;

    private static LocalProtocol net;
    private static Market market;
    private static GridClient observer;
    private static String app;
    private static String pool;

    @BeforeAll
    static void start() throws Exception {
        net = Cli.devnet();
        observer = net.client(0);
        market = Market.start(Market.Config.of(net.rpcUrl(), net.protocol().addresses()).withPollMillis(100));
        Cli owner = wallet(new Cli(shared), OWNER_KEY);
        Path wasm = shared.resolve("primes.wasm");
        Files.write(wasm, ExampleApps.load("primes"));
        app = json(owner.run("app", "publish", wasm.toString(), "--json").assertOk()).get("app").asText();
        pool = json(owner.run("pool", "create", "--json").assertOk()).get("workerpool").asText();
    }

    @AfterAll
    static void stop() {
        market.close();
    }

    private static Cli wallet(Cli cli, String key) {
        cli.withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw").env("GRIDCHAIN_MARKET", market.url());
        cli.run("wallet", "import", "--private-key-file", cli.file("key.txt", key).toString()).assertOk();
        return cli;
    }

    private Cli owner() {
        return wallet(new Cli(home.resolve("owner")), OWNER_KEY);
    }

    private Cli stranger() {
        return wallet(new Cli(home.resolve("stranger")), STRANGER_KEY);
    }

    @Test
    void anOwnerPublishesListsAndCancelsOrders() throws Exception {
        Cli cli = owner();
        JsonNode published = json(cli.run("order", "publish", "app", app, "--price", "3", "--volume", "5", "--json")
                .assertOk());
        String hash = published.get("hash").asText();
        assertThat(published.get("remaining").asText()).isEqualTo("5");
        assertThat(market.book().get(hash)).hasValueSatisfying(l -> {
            assertThat(l.signed().signer()).isEqualToIgnoringCase(OWNER);
            assertThat(l.price()).isEqualTo(BigInteger.valueOf(3));
        });
        String poolHash = json(cli.run("order", "publish", "workerpool", pool, "--price", "7", "--volume", "10",
                "--category", "0", "--trust", "5", "--json").assertOk()).get("hash").asText();

        JsonNode listed = json(cli.run("order", "list", "--app", app, "--json").assertOk()).get("orders");
        assertThat(listed).extracting(e -> e.get("hash").asText()).contains(hash, poolHash);
        assertThat(json(cli.run("order", "list", "--app", app, "--max-price", "2", "--json").assertOk()).get("orders"))
                .extracting(e -> e.get("hash").asText()).doesNotContain(hash, poolHash);
        JsonNode pools = json(cli.run("order", "list", "--kind", "workerpool", "--pool", pool, "--json").assertOk())
                .get("orders");
        assertThat(pools).extracting(e -> e.get("hash").asText()).contains(poolHash);
        assertThat(pools).extracting(e -> e.get("kind").asText()).containsOnly("workerpool");
        String table = cli.run("order", "list", "--pool", pool).assertOk().out();
        assertThat(table).startsWith("KIND").contains(poolHash).contains("workerpool");

        // an order from a file, signed by the wallet: the salt is filled in
        Path file = cli.file("order.json", "{\"kind\": \"app\", \"order\": {\"app\": \"" + app
                + "\", \"price\": 2, \"volume\": \"0x4\"}}");
        JsonNode fromFile = json(cli.run("order", "publish", "--file", file.toString(), "--json").assertOk());
        assertThat(fromFile.get("price").asText()).isEqualTo("2");
        assertThat(fromFile.get("remaining").asText()).isEqualTo("4");

        JsonNode cancelled = json(cli.run("order", "cancel", hash, "--json").assertOk());
        assertThat(cancelled.get("book").asText()).isEqualTo("removed");
        assertThat(market.book().get(hash)).isEmpty();
        AppOrder order = (AppOrder) OrderJson.read(io.gridchain.protocol.orders.Order.Kind.APP,
                published.get("order"));
        assertThat(observer.consumed(order)).isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
        assertThat(json(cli.run("order", "list", "--app", app, "--json").assertOk()).get("orders"))
                .extracting(e -> e.get("hash").asText()).doesNotContain(hash).contains(poolHash);
        assertThat(cli.run("order", "cancel", hash).assertOneLineError(1))
                .contains("no order " + hash.toLowerCase() + " in the order book");
    }

    @Test
    void aMalformedOrderFileIsOneLineNamingTheFieldAndNothingIsPublished() {
        Cli cli = owner();
        int before = market.book().size();
        Balance balance = observer.balanceOf(OWNER);
        assertThat(cli.run("order", "publish", "--file", cli.file("bad.json", "{ \"kind\": \"app\", ").toString())
                .assertOneLineError(1)).contains("bad.json is not valid JSON");
        assertThat(cli.run("order", "publish", "--file", cli.file("noprice.json", "{\"kind\": \"app\", \"order\": "
                + "{\"app\": \"" + app + "\", \"volume\": 1}}").toString()).assertOneLineError(1))
                .endsWith("noprice.json: missing order.price (a non-negative integer)");
        assertThat(cli.run("order", "publish", "--file", cli.file("negative.json", "{\"kind\": \"app\", \"order\": "
                + "{\"app\": \"" + app + "\", \"price\": -3, \"volume\": 1}}").toString()).assertOneLineError(1))
                .contains("order.price must be a uint256");
        assertThat(cli.run("order", "publish", "--file", cli.file("kind.json", "{\"kind\": \"apple\", \"order\": {}}")
                .toString()).assertOneLineError(1)).contains("unknown order kind 'apple'");
        assertThat(cli.run("order", "publish", "--file", cli.file("addr.json", "{\"kind\": \"app\", \"order\": "
                + "{\"app\": \"0x12\", \"price\": 1, \"volume\": 1}}").toString()).assertOneLineError(1))
                .contains("order.app must be a 0x-prefixed 20-byte address");
        assertThat(cli.run("order", "publish", "--file", home.resolve("none.json").toString()).assertOneLineError(2))
                .contains("no such order file");
        // flags: named as flags, exit 2
        assertThat(cli.run("order", "publish", "app", app, "--price", "cheap").assertOneLineError(2))
                .contains("--price must be a non-negative integer");
        assertThat(cli.run("order", "publish", "app", app, "--category", "1").assertOneLineError(2))
                .contains("--category does not apply to an app order");
        assertThat(market.book().size()).isEqualTo(before);
        assertThat(observer.balanceOf(OWNER)).isEqualTo(balance);
    }

    @Test
    void anOrderSignedByTheWrongKeyIsRefusedByTheBookOnOneLine() throws Exception {
        int before = market.book().size();
        Balance ownerBalance = observer.balanceOf(OWNER);
        Balance strangerBalance = observer.balanceOf(STRANGER);
        // a file carrying a signature by someone who does not own the app: no wallet needed to publish it
        AppOrder order = AppOrder.of(app, 1, 10);
        String signature = Numeric.toHexString(net.client(7).sign(order));
        Cli nobody = new Cli(home.resolve("nobody")).withDevnetProfile(net).env("GRIDCHAIN_MARKET", market.url());
        Path file = nobody.file("signed.json", "{\"kind\": \"app\", \"order\": " + OrderJson.write(order)
                + ", \"signature\": \"" + signature + "\"}");
        assertThat(nobody.run("order", "publish", "--file", file.toString()).assertOneLineError(1))
                .contains("the order book refused the order: signature is not valid for the app's current owner "
                        + OWNER.toLowerCase())
                .contains("(it was made by " + STRANGER.toLowerCase() + ")");
        // the stranger's own wallet signing an order for someone else's app
        Cli stranger = stranger();
        assertThat(stranger.run("order", "publish", "app", app, "--price", "1").assertOneLineError(1))
                .contains("signature is not valid for the app's current owner");
        // nor can the stranger cancel the owner's order
        String hash = json(owner().run("order", "publish", "app", app, "--price", "9", "--json").assertOk())
                .get("hash").asText();
        assertThat(stranger.run("order", "cancel", hash).assertOneLineError(1))
                .contains("only " + OWNER.toLowerCase() + ", the app's owner, can cancel order " + hash);
        assertThat(market.book().get(hash)).isPresent();
        assertThat(market.book().size()).isEqualTo(before + 1);
        assertThat(observer.balanceOf(OWNER)).isEqualTo(ownerBalance);
        assertThat(observer.balanceOf(STRANGER)).isEqualTo(strangerBalance);
    }

    @Test
    void anUnknownAppIsRefusedOnOneLine() {
        Cli cli = owner();
        int before = market.book().size();
        assertThat(cli.run("order", "publish", "app", NOWHERE, "--price", "1").assertOneLineError(1))
                .contains("app " + NOWHERE + " is not registered in the app registry")
                .contains("gridchain app publish");
        assertThat(cli.run("order", "publish", "app", "primes", "--price", "1").assertOneLineError(2))
                .contains("ASSET must be a 0x-prefixed 20-byte address");
        assertThat(cli.run("order", "list", "--app", "primes").assertOneLineError(2))
                .contains("--app must be a 0x-prefixed 20-byte address");
        assertThat(market.book().size()).isEqualTo(before);
    }

    @Test
    void aRequesterWithoutEnoughBalanceIsToldWhatToDepositAndPaysNothing() throws Exception {
        Cli owner = owner();
        owner.run("order", "publish", "app", app, "--price", "1", "--volume", "100").assertOk();
        owner.run("order", "publish", "workerpool", pool, "--price", "10", "--volume", "100", "--trust", "5")
                .assertOk();
        Cli requester = new Cli(home.resolve("requester")).withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw")
                .env("GRIDCHAIN_MARKET", market.url());
        String address = json(requester.run("wallet", "create", "--json").assertOk()).get("address").asText();
        // this pool's owner has not bonded in it: run refuses it by default, in one line saying why and what to do
        assertThat(requester.run("run", app, "--args", "1000", "--pool", pool).assertOneLineError(1))
                .startsWith("error: no pool meets your minimum (bond >= 1,000 and reputation >= 0): ")
                .containsIgnoringCase(pool + " bond 0 < 1,000").contains("lower --min-pool-bond");
        assertThat(requester.run("run", app, "--args", "1000", "--pool", pool, "--min-pool-bond", "0")
                .assertOneLineError(1))
                .matches("error: insufficient balance: this run costs \\d+ tokens but " + address
                        + " has 0 free in the hub: `gridchain account deposit \\d+`");
        assertThat(observer.balanceOf(address)).isEqualTo(new Balance(BigInteger.ZERO, BigInteger.ZERO, 0));
    }

    @Test
    void aWrongPasswordOrAnUnreachableNodeOrBookIsOneLineWithItsExitCode() throws Exception {
        Cli cli = owner();
        String hash = json(cli.run("order", "publish", "app", app, "--price", "8", "--json").assertOk())
                .get("hash").asText();
        int before = market.book().size();
        Balance balance = observer.balanceOf(OWNER);
        assertThat(cli.env("GRIDCHAIN_PASSWORD", "wrong").run("order", "publish", "app", app, "--price", "1")
                .assertOneLineError(4)).isEqualTo("error: wrong password for wallet " + OWNER.toLowerCase());
        cli.env("GRIDCHAIN_PASSWORD", "pw");
        assertThat(cli.run("order", "publish", "app", app, "--price", "1", "--rpc", "http://127.0.0.1:1")
                .assertOneLineError(3)).contains("cannot reach an Ethereum node at http://127.0.0.1:1");
        assertThat(cli.run("order", "cancel", hash, "--rpc", "http://127.0.0.1:1")
                .assertOneLineError(3)).contains("http://127.0.0.1:1");
        assertThat(cli.env("GRIDCHAIN_MARKET", "http://127.0.0.1:1").run("order", "list").assertOneLineError(3))
                .contains("the order book at http://127.0.0.1:1 is unreachable (connection refused)")
                .doesNotContain("null").doesNotContain("devnet");
        assertThat(market.book().get(hash)).isPresent();
        assertThat(market.book().size()).isEqualTo(before);
        assertThat(observer.balanceOf(OWNER)).isEqualTo(balance);
    }

    private static JsonNode json(Cli.Run r) throws Exception {
        return JSON.readTree(r.out());
    }
}
