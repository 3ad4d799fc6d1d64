package io.gridchain.e2e.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.Main;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.market.Market;
import io.gridchain.market.OrderBook;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Wallet;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * Issue 14, guarantee 5: a malicious or careless pool cannot be chosen silently. Next to the honest, bonded local
 * pool, an attacker registers a pool with the smallest bond the hub takes and publishes the order that used to win
 * every run: free, trust 2^64, every tag. The order book, which cannot judge pools, still ranks it first; the
 * requester's {@code gridchain run} (run in-process, as a user types it) passes it over by default and says why,
 * refuses it when named with {@code --pool} under the default minimums, and takes it only when the requester lowers
 * the minimum on purpose.
 */
class MaliciousPoolAttackTest {
    static final String PASSWORD = "attack-test";

    @TempDir
    static Path home;

    static LocalPool pool;
    static Market market;
    static GridClient attacker;
    static String app;
    static String sybil;
    static WorkerpoolOrder honestOrder;
    static WorkerpoolOrder sybilOrder;
    static Path config;
    static Path wallet;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(0);
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        app = pool.publish("primes");
        AppOrder appOrder = pool.appOrder(app);
        publish(appOrder, pool.appOwner());
        honestOrder = pool.poolOrder();
        publish(honestOrder, pool.schedulerOwner());

        // Account 2 is nobody's in the local pool: the attacker. It bonds 1, the least the dev hub accepts.
        attacker = pool.net().client(2);
        attacker.deposit(BigInteger.TEN);
        attacker.bond(attacker.address(), BigInteger.ONE);
        sybil = Words.canonical(attacker.createWorkerpool("official gridchain pool"));
        sybilOrder = new WorkerpoolOrder(sybil, BigInteger.ZERO, BigInteger.valueOf(1_000), "0x" + "f".repeat(64),
                BigInteger.ZERO, BigInteger.TWO.pow(64), Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, Words.ZERO_ADDRESS,
                BigInteger.ZERO, io.gridchain.protocol.orders.Salts.random());
        publish(sybilOrder, attacker);

        config = home.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses()).with("market", market.url())).withCurrentProfile("local")
                .save(config);
        wallet = home.resolve("requester.json");
        Files.write(wallet, new ObjectMapper().writeValueAsBytes(Wallet.createLight(PASSWORD,
                pool.net().accounts().get(4).getEcKeyPair())));
        passwordFile = Files.writeString(home.resolve("password"), PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (pool != null) pool.close();
    }

    @Test
    void theBookAloneWouldPickTheFreeSybilPool() {
        OrderBook.Triple cheapest = market.book().best(new OrderBook.Want(app, Words.ZERO_ADDRESS,
                pool.requester().address(), Words.ZERO_ADDRESS, BigInteger.ZERO, BigInteger.ONE, Words.ZERO_BYTES32,
                BigInteger.ONE, null));
        assertThat(((WorkerpoolOrder) cheapest.workerpool().order()).workerpool()).isEqualTo(sybil);
    }

    @Test
    void byDefaultRunPassesOverTheSybilSaysWhyAndMatchesOnTheBondedPool() {
        BigInteger honestBefore = pool.requester().consumed(honestOrder);
        BigInteger sybilBefore = pool.requester().consumed(sybilOrder);
        Result r = run("run", app, "--args", "10");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("chose pool " + honest() + " \"local pool\" (bond ")
                .contains("meeting bond >= 1,000 and reputation >= 0; passed over 1 cheaper: " + sybil + " bond 1 < 1,000");
        // said before paying: the reason comes first, the deal after
        assertThat(r.out().indexOf("chose pool")).isLessThan(r.out().indexOf("deal 0x"));
        assertThat(pool.requester().consumed(honestOrder)).isEqualTo(honestBefore.add(BigInteger.ONE));
        assertThat(pool.requester().consumed(sybilOrder)).isEqualTo(sybilBefore);
    }

    @Test
    void namingTheSybilWithPoolIsStillRefusedUnderTheMinimumsInOneLine() {
        BigInteger sybilBefore = pool.requester().consumed(sybilOrder);
        Result r = run("run", app, "--args", "10", "--pool", sybil);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("error: no pool meets your minimum (bond >= 1,000 and reputation >= 0): "
                + sybil + " bond 1 < 1,000").contains("lower --min-pool-bond");
        assertThat(pool.requester().consumed(sybilOrder)).isEqualTo(sybilBefore);
    }

    @Test
    void aRequesterWhoLowersTheMinimumOnPurposeGetsTheSybilAndIsToldItsBond() throws Exception {
        BigInteger sybilBefore = pool.requester().consumed(sybilOrder);
        Result r = run("run", app, "--args", "10", "--min-pool-bond", "0", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode out = new ObjectMapper().readTree(r.out());
        assertThat(out.get("pool").get("address").asText()).isEqualTo(sybil);
        assertThat(out.get("pool").get("bond").asText()).isEqualTo("1");
        assertThat(out.get("pool").get("reason").asText()).startsWith("chose pool " + sybil
                + " \"official gridchain pool\" (bond 1, reputation 0, price 5)");
        assertThat(pool.requester().consumed(sybilOrder)).isEqualTo(sybilBefore.add(BigInteger.ONE));
    }

    @Test
    void anAllowlistLeavingOutTheBondedPoolLeavesNothingAndSaysSo() {
        Result r = run("run", app, "--args", "10", "--pool-allowlist", sybil + "," + Words.ZERO_ADDRESS);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(honest() + " not in your allowlist")
                .contains(sybil + " bond 1 < 1,000");
    }

    static String honest() {
        return Words.canonical(pool.workerpool());
    }

    record Result(int code, String out, String err) {}

    /** {@code gridchain ARGS} in this JVM as the requester (account 4), with the test's config and wallet. */
    static synchronized Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--wallet", wallet.toString(), "--password-file",
                passwordFile.toString()));
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    static void publish(Order order, GridClient signer) {
        market.book().publish(order, Numeric.toHexString(signer.sign(order)));
    }
}
