package io.gridchain.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.bench.pool.LocalPool;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * The explorer's index and JSON API on a real pool: the figures match the chain, a restart resumes without counting
 * anything twice, and a reorganisation takes out what it undid. The tests run in order on one chain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplorerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalPool pool;
    static Path data;
    static Explorer explorer;
    static String app;
    static DealRecord first;

    /** A JSON-RPC answer of any shape. */
    public static final class Raw extends Response<Object> {}

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(2);
        app = pool.publish("primes");
        data = Files.createTempDirectory("explorer");
        explorer = Explorer.start(config());
    }

    @AfterAll
    static void stop() {
        if (explorer != null) explorer.close();
        if (pool != null) pool.close();
    }

    static Explorer.Config config() {
        return Explorer.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses(), data);
    }

    static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(explorer.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    /** A figure of the network page, for waits (which cannot throw). */
    static long network(String field) {
        try {
            return get("/api/network", 200).get(field).asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static DealRecord certifiedDeal(long volume) {
        DealRecord deal = pool.request(app, "1000", volume, 1);
        LocalPool.await(volume + " certified tasks", Duration.ofSeconds(60), () -> pool.certified(deal) == volume);
        return deal;
    }

    static void awaitIndexed(long certified) {
        LocalPool.await("the index at " + certified + " certified tasks", Duration.ofSeconds(60),
                () -> network("tasksCertified") == certified
                        && explorer.cursor() > pool.requester().protocol().chain().blockNumber());
    }

    @Test
    @Order(1)
    void theNetworkAndADealMatchTheChain() throws Exception {
        first = certifiedDeal(3);
        awaitIndexed(3);
        JsonNode network = get("/api/network", 200);
        assertThat(network.get("deals").asLong()).isEqualTo(1);
        assertThat(network.get("tasksRequested").asLong()).isEqualTo(3);
        assertThat(network.get("tasksRefunded").asLong()).isZero();
        assertThat(network.get("workerpools").asLong()).isEqualTo(1);
        assertThat(network.get("apps").asLong()).isGreaterThanOrEqualTo(1);

        JsonNode deal = get("/api/deal/" + first.dealId(), 200);
        assertThat(deal.get("requester").asText()).isEqualToIgnoringCase(first.deal().requester());
        assertThat(deal.get("workerpool").asText()).isEqualToIgnoringCase(pool.workerpool());
        assertThat(deal.get("volume").asLong()).isEqualTo(3);
        assertThat(deal.get("certified").asLong()).isEqualTo(3);
        for (long i = 0; i < 3; i++) {
            assertThat(pool.requester().taskStatus(first.taskId(i))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        }
    }

    @Test
    @Order(2)
    void searchNamesThePageAndAnythingElseIsOneLine() throws Exception {
        assertThat(get("/api/search?q=" + first.dealId().toUpperCase().replace("0X", "0x"), 200).get("url").asText())
                .isEqualTo("/deal/" + first.dealId().toLowerCase());
        assertThat(get("/api/search?q=" + pool.workerpool(), 200).get("kind").asText()).isEqualTo("pool");
        assertThat(get("/api/search?q=" + app, 200).get("kind").asText()).isEqualTo("app");
        assertThat(get("/api/search?q=" + first.deal().requester(), 200).get("kind").asText()).isEqualTo("account");
        assertThat(get("/api/search?q=%3Cscript%3E", 404).get("error").asText())
                .isEqualTo("search for a deal id, a task id (0x and 64 hex digits) or an address (0x and 40), not"
                        + " '<script>'");
        assertThat(get("/api/deal/0x" + "ab".repeat(32), 404).get("error").asText()).contains("no deal");
        assertThat(get("/api/deal/nonsense", 404).get("error").asText()).isEqualTo("not a deal id (0x and 64 hex digits): nonsense");
    }

    @Test
    @Order(3)
    void aRestartedIndexResumesWithoutCountingAnythingTwice() throws Exception {
        explorer.close();
        explorer = Explorer.start(config());
        certifiedDeal(2);
        awaitIndexed(5);
        JsonNode network = get("/api/network", 200);
        assertThat(network.get("deals").asLong()).isEqualTo(2);
        assertThat(network.get("tasksRequested").asLong()).isEqualTo(5);
    }

    @Test
    @Order(4)
    void theJsonTwinsOfTheTaskPoolAppAndAccountPagesMatchTheChain() throws Exception {
        String taskId = first.taskId(0).toLowerCase(java.util.Locale.ROOT);
        JsonNode task = get("/api/task/" + taskId, 200);
        assertThat(task.get("status").asText()).isEqualTo("certified");
        assertThat(task.get("digest").asText()).isEqualTo(pool.requester().resultDigest(taskId));
        assertThat(task.get("dealId").asText()).isEqualTo(first.dealId().toLowerCase(java.util.Locale.ROOT));
        // nothing private: no logs, no key, only the certified digest and where anyone may fetch the result
        assertThat(task.toString()).doesNotContain("logs").doesNotContain("secret");

        JsonNode p = get("/api/pool/" + pool.workerpool(), 200);
        assertThat(p.get("bond").asLong()).isEqualTo(pool.stakeOf(pool.owner()).bond().longValueExact());
        assertThat(p.get("owner").asText()).isEqualToIgnoringCase(pool.owner());
        assertThat(p.get("usage").get("certified").asLong()).isEqualTo(5);

        JsonNode a = get("/api/app/" + app, 200);
        assertThat(a.get("checksum").asText()).isEqualTo(Words.hex(GridClient.call(
                () -> pool.requester().apps().appOf(app).send()).checksum));
        assertThat(a.get("usage").get("earned").asLong()).isEqualTo(5 * LocalPool.APP_PRICE);
        assertThat(a.get("ordersError").asText()).contains("no order book is configured");

        String requester = pool.requester().address();
        JsonNode account = get("/api/account/" + requester, 200);
        assertThat(account.get("free").asText()).isEqualTo(pool.requester().balanceOf(requester).free().toString());
        assertThat(account.get("deals")).hasSize(2);
        assertThat(get("/api/task/0x" + "12".repeat(32), 404).get("error").asText()).startsWith("no task 0x1212");
    }

    @Test
    @Order(5)
    void aPoolWhoseApiIsOnAPrivateAddressIsNotReadByAPublicExplorer() throws Exception {
        // the pool's URL is 127.0.0.1: an explorer on a public network must not be aimed at its own host by it
        JsonNode p = get("/api/pool/" + pool.workerpool(), 200);
        assertThat(p.get("workers")).isEmpty();
        assertThat(p.get("workersError").asText()).isEqualTo("127.0.0.1 is a private address: this explorer reads"
                + " pools on public addresses only (`explorer start --pools-on-private-network` allows others)");
    }

    @Test
    @Order(6)
    void aPoolThatFloodsTheExplorerIsCutOffAndItsPageStillShows() throws Exception {
        HttpServer flood = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = ("[" + "{\"worker\":\"0x00\"},".repeat(60_000) + "{}]").getBytes();
        flood.createContext("/", x -> {
            x.sendResponseHeaders(200, body.length);
            try (var out = x.getResponseBody()) {
                out.write(body);
            }
        });
        flood.start();
        GridClient attacker = pool.net().client(2);
        attacker.deposit(java.math.BigInteger.TEN);
        attacker.bond(attacker.address(), java.math.BigInteger.ONE);
        String evil = Words.canonical(attacker.createWorkerpool("flood"));
        attacker.setPoolApiUrl(evil, "http://127.0.0.1:" + flood.getAddress().getPort());
        Path other = Files.createTempDirectory("explorer-private");
        try (Explorer local = Explorer.start(Explorer.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses(),
                other).withPoolsOnPrivateNetwork(true))) {
            LocalPool.await("the flooding pool indexed", Duration.ofSeconds(60), () -> local.cursor()
                    > pool.requester().protocol().chain().blockNumber());
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(local.url() + "/api/pool/" + evil))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode p = JSON.readTree(r.body());
            assertThat(p.get("workers")).isEmpty();
            assertThat(p.get("workersError").asText()).isEqualTo("127.0.0.1 answered over 262144 bytes");
        } finally {
            flood.stop(0);
        }
    }

    @Test
    @Order(7)
    void anIndexStartedFromALaterBlockCountsNothingBeforeIt() throws Exception {
        long head = pool.requester().protocol().chain().blockNumber();
        try (Explorer late = Explorer.start(Explorer.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses(),
                Files.createTempDirectory("explorer-late")).withFromBlock(head + 1))) {
            certifiedDeal(1);
            LocalPool.await("the late index caught up", Duration.ofSeconds(60), () -> late.cursor()
                    > pool.requester().protocol().chain().blockNumber());
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(late.url() + "/api/network")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode network = JSON.readTree(r.body());
            assertThat(network.get("deals").asLong()).isEqualTo(1);
            assertThat(network.get("tasksCertified").asLong()).isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    void aReorganisationTakesOutTheEventsItUndid() throws Exception {
        HttpService rpc = new HttpService(pool.net().rpcUrl());
        String snapshot = (String) new Request<>("evm_snapshot", List.of(), rpc, Raw.class).send().getResult();
        DealRecord undone = certifiedDeal(1);
        awaitIndexed(7);
        get("/api/deal/" + undone.dealId(), 200);
        assertThat(get("/api/network", 200).get("deals").asLong()).isEqualTo(4);
        // the blocks of that deal are replaced: the chain goes back and grows again without them
        assertThat(new Request<>("evm_revert", List.of(snapshot), rpc, Raw.class).send().getResult()).isEqualTo(true);
        for (int i = 0; i < 3; i++) new Request<>("evm_mine", List.of(), rpc, Raw.class).send();
        LocalPool.await("the index rolled back", Duration.ofSeconds(60),
                () -> network("deals") == 3);
        JsonNode network = get("/api/network", 200);
        assertThat(network.get("tasksRequested").asLong()).isEqualTo(6);
        assertThat(network.get("tasksCertified").asLong()).isEqualTo(6);
        // its deal, its task ids and its transactions' gas went with it
        get("/api/deal/" + undone.dealId(), 404);
        get("/api/task/" + undone.taskId(0).toLowerCase(java.util.Locale.ROOT), 404);
        assertThat(get("/api/account/" + pool.requester().address(), 200).get("deals")).hasSize(3);
    }
}
