package io.gridchain.e2e.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.e2e.InProcessCli;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.runtime.ResultDigest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Wallet;
import org.web3j.utils.Numeric;

/**
 * Data placement directives on a real pool, as a requester gives them: {@code gridchain run --input URL#sha256=…
 * --placement …} for a bag whose every task reads the same large input, served by a real HTTP server that counts the
 * downloads. Without directives each worker that runs a task fetches the input once; with {@code replicas=1} only one
 * worker ever fetches it, and the bag is still certified.
 */
class PlacementEndToEndTest {
    static final int WORKERS = 4;
    static final int TASKS = 12;
    /** About a quarter of a second per task: every worker polls many times while the first runs. */
    static final String ARGS = "20000000";

    static final String PASSWORD = "placement-test";

    static LocalPool pool;
    static Market market;
    static Path home;
    static HttpServer data;
    static String app;
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(LocalPool.Setup.of(WORKERS).withSlots(1));
        app = pool.publish("primes");
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        market.book().publish(pool.appOrder(app), Numeric.toHexString(pool.appOwner().sign(pool.appOrder(app))));
        market.book().publish(pool.poolOrder(), Numeric.toHexString(pool.schedulerOwner().sign(pool.poolOrder())));
        home = Files.createTempDirectory("placement");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses()).with("market", market.url())).withCurrentProfile("local")
                .save(home.resolve("config.json"));
        Files.writeString(home.resolve("password"), PASSWORD);
        Files.write(home.resolve("wallet.json"), new ObjectMapper().writeValueAsBytes(Wallet.createLight(PASSWORD,
                pool.net().accounts().get(4).getEcKeyPair())));
        data = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        data.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            byte[] body = files.get(name);
            downloads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        data.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        data.start();
    }

    @AfterAll
    static void stop() {
        if (data != null) data.stop(0);
        if (market != null) market.close();
        if (pool != null) pool.close();
    }

    /** A 4 MiB input of its own, so that one run's caches do not serve the other's. */
    static String serve(String name, byte fill) {
        byte[] body = new byte[4 << 20];
        Arrays.fill(body, fill);
        files.put(name, body);
        return "0x" + ResultDigest.sha256Hex(body);
    }

    /** {@code gridchain run} of the bag reading {@code name}, with {@code extra} options, watched until certified. */
    static Set<String> run(String name, String checksum, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", app, "--args", ARGS, "--volume", Integer.toString(TASKS),
                "--input", "http://127.0.0.1:" + data.getAddress().getPort() + "/" + name + "#sha256=" + checksum));
        args.addAll(List.of(extra));
        args.addAll(List.of("--watch", "--json"));
        InProcessCli.Result r = InProcessCli.run(home.resolve("config.json"), home.resolve("wallet.json"),
                home.resolve("password"), args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(r.out().substring(r.out().indexOf('{')));
        Set<String> digests = new HashSet<>();
        for (JsonNode t : out.get("tasks")) {
            assertThat(pool.requester().taskStatus(t.asText())).isEqualTo(GridClient.TaskStatus.FINALIZED);
            digests.add(pool.requester().resultDigest(t.asText()));
        }
        assertThat(digests).hasSize(1); // the same certified result for every task
        return digests;
    }

    @Test
    void aReusedInputIsFetchedByFewerWorkersWithDirectivesThanWithout() throws Exception {
        Set<String> without = run("plain.bin", serve("plain.bin", (byte) 1));
        int fetchedWithout = downloads.get("plain.bin").get();

        Set<String> with = run("placed.bin", serve("placed.bin", (byte) 2), "--placement", "affinity,replicas=1");
        int fetchedWith = downloads.get("placed.bin").get();

        assertThat(without).isEqualTo(with);
        assertThat(fetchedWithout).as("workers that fetched the input without directives").isGreaterThanOrEqualTo(2)
                .isLessThanOrEqualTo(WORKERS);
        assertThat(fetchedWith).as("workers that fetched it with replicas 1").isEqualTo(1).isLessThan(fetchedWithout);
    }
}
