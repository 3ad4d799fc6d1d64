package io.gridchain.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** The order book against a real anvil chain, through its HTTP API. */
class MarketTest {
    private static final String ZERO = Words.ZERO_ADDRESS;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static LocalProtocol net;
    static GridClient appOwner;
    static GridClient datasetOwner;
    static GridClient scheduler;
    static GridClient requester;
    static GridClient scheduler2;
    static GridClient stranger;
    static Market market;

    record Response(int status, JsonNode json, String body) {}

    @BeforeAll
    static void start() {
        net = LocalProtocol.start();
        appOwner = net.client(1);
        datasetOwner = net.client(2);
        scheduler = net.client(3);
        requester = net.client(4);
        scheduler2 = net.client(5);
        stranger = net.client(6);
        for (GridClient c : List.of(scheduler, requester, scheduler2)) c.deposit(BigInteger.valueOf(1_000_000));
        // a pool serves (its orders match) only while its owner keeps a bond in it
        for (GridClient c : List.of(scheduler, scheduler2)) c.bond(c.address(), BigInteger.valueOf(1_000));
        market = Market.start(config(null));
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (net != null) net.close();
    }

    static Market.Config config(Path data) {
        return Market.Config.of(net.rpcUrl(), net.protocol().addresses()).withPollMillis(50).withData(data);
    }

    // ------------------------------------------------------------------ publishing and listing

    @Test
    void publishesOrdersOfEachKindAndFiltersAndSortsThem() throws Exception {
        String app = newApp();
        String dataset = datasetOwner.createDataset("d", "http://127.0.0.1/d", digest("d"));
        String pool = scheduler.createWorkerpool("p");

        AppOrder a5 = AppOrder.of(app, 5, 10);
        AppOrder a3 = AppOrder.of(app, 3, 10);
        AppOrder onlyStranger = AppOrder.of(app, 1, 10).withRestrictions(ZERO, ZERO, stranger.address());
        for (AppOrder o : List.of(a5, a3, onlyStranger)) {
            Response r = publish(market, o, sig(appOwner, o));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().get("hash").asText()).isEqualTo(o.hash());
            assertThat(r.json().get("remaining").asLong()).isEqualTo(10);
        }
        Response dup = publish(market, a5, sig(appOwner, a5));
        assertThat(dup.status()).isEqualTo(200);
        assertThat(dup.json().get("hash").asText()).isEqualTo(a5.hash());

        assertThat(prices(get(market, "/v1/orders?kind=app&app=" + app))).containsExactly(1L, 3L, 5L);
        assertThat(prices(get(market, "/v1/orders?kind=app&app=" + app + "&requester=" + requester.address())))
                .containsExactly(3L, 5L);
        assertThat(prices(get(market, "/v1/orders?kind=app&app=" + app + "&requester=" + requester.address()
                + "&maxPrice=4"))).containsExactly(3L);
        assertThat(hashes(get(market, "/v1/orders?kind=app&app=" + app + "&sort=time")))
                .containsExactly(a5.hash(), a3.hash(), onlyStranger.hash());

        // numbers may be JSON numbers
        DatasetOrder d = DatasetOrder.of(dataset, 2, 5);
        ObjectNode dj = OrderJson.write(d);
        dj.put("price", 2).put("volume", 5).put("expiry", 0);
        Response rd = post(market, "/v1/orders", body("dataset", dj, sig(datasetOwner, d)));
        assertThat(rd.status()).as(rd.body()).isEqualTo(201);
        assertThat(rd.json().get("hash").asText()).isEqualTo(d.hash());
        JsonNode ds = get(market, "/v1/orders?kind=dataset&dataset=" + dataset).json();
        assertThat(ds).hasSize(1);
        assertThat(ds.get(0).get("order").get("price").asText()).isEqualTo("2");
        assertThat(ds.get(0).get("signer").asText()).isEqualTo(datasetOwner.address());

        WorkerpoolOrder tagged = WorkerpoolOrder.of(pool, 10, 5, 0, 1).withTag(Words.bytes32(BigInteger.valueOf(3)));
        WorkerpoolOrder cat1 = WorkerpoolOrder.of(pool, 7, 5, 1, 1);
        for (WorkerpoolOrder o : List.of(tagged, cat1)) assertThat(publish(market, o, sig(scheduler, o)).status()).isEqualTo(201);
        assertThat(hashes(get(market, "/v1/orders?kind=workerpool&workerpool=" + pool))).containsExactly(cat1.hash(), tagged.hash());
        assertThat(hashes(get(market, "/v1/orders?kind=workerpool&workerpool=" + pool + "&category=0")))
                .containsExactly(tagged.hash());
        assertThat(hashes(get(market, "/v1/orders?kind=workerpool&workerpool=" + pool + "&tag=0x1")))
                .containsExactly(tagged.hash());
        assertThat(hashes(get(market, "/v1/orders?kind=workerpool&workerpool=" + pool + "&tag=0x4"))).isEmpty();

        RequestOrder req = RequestOrder.of(requester.address(), app, 5, 10, 3, 0, 1).withParams("--n 3");
        Response rr = publish(market, req, sig(requester, req));
        assertThat(rr.status()).as(rr.body()).isEqualTo(201);
        JsonNode reqs = get(market, "/v1/orders?kind=request&requester=" + requester.address() + "&app=" + app).json();
        assertThat(reqs).hasSize(1);
        assertThat(reqs.get(0).get("order").get("params").asText()).isEqualTo("--n 3");

        Response one = get(market, "/v1/orders/" + a3.hash());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("kind").asText()).isEqualTo("app");
        assertThat(one.json().get("order").get("price").asText()).isEqualTo("3");
        assertThat(one.json().get("signer").asText()).isEqualTo(appOwner.address());
        String unknown = Words.hex(Hash.sha3("nothing".getBytes()));
        Response none = get(market, "/v1/orders/" + unknown);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("error").asText()).isEqualTo("no order " + unknown + " in this book");

        // presigned on-chain: empty signature
        AppOrder presigned = AppOrder.of(app, 4, 2);
        appOwner.presign(presigned);
        Response rp = publish(market, presigned, "");
        assertThat(rp.status()).as(rp.body()).isEqualTo(201);
        assertThat(get(market, "/v1/orders/" + presigned.hash()).json().get("signature").asText()).isEmpty();
    }

    // ------------------------------------------------------------------ best triple

    @Test
    void bestPicksTheCheapestCompatibleTriple() throws Exception {
        String app = newApp();
        String dataset = datasetOwner.createDataset("d", "http://127.0.0.1/d", digest("d"));
        String p1 = scheduler.createWorkerpool("p1");
        String p2 = scheduler2.createWorkerpool("p2");

        AppOrder cheapOnlyP2 = AppOrder.of(app, 1, 10).withRestrictions(ZERO, p2, ZERO);
        AppOrder normal = AppOrder.of(app, 3, 10);
        WorkerpoolOrder trust5 = WorkerpoolOrder.of(p1, 10, 10, 0, 5).withTag("0x" + "0".repeat(63) + "1");
        WorkerpoolOrder trust5p2 = WorkerpoolOrder.of(p2, 20, 10, 0, 5);
        WorkerpoolOrder trust1 = WorkerpoolOrder.of(p1, 2, 10, 0, 1);
        WorkerpoolOrder cat1 = WorkerpoolOrder.of(p1, 3, 10, 1, 10);
        WorkerpoolOrder forStranger = WorkerpoolOrder.of(p1, 1, 10, 0, 10).withRestrictions(ZERO, ZERO, stranger.address());
        DatasetOrder dOnlyP2 = DatasetOrder.of(dataset, 2, 10).withRestrictions(ZERO, p2, ZERO);
        for (AppOrder o : List.of(cheapOnlyP2, normal)) assertThat(publish(market, o, sig(appOwner, o)).status()).isEqualTo(201);
        for (WorkerpoolOrder o : List.of(trust5, trust1, cat1, forStranger)) {
            assertThat(publish(market, o, sig(scheduler, o)).status()).isEqualTo(201);
        }
        assertThat(publish(market, trust5p2, sig(scheduler2, trust5p2)).status()).isEqualTo(201);
        assertThat(publish(market, dOnlyP2, sig(datasetOwner, dOnlyP2)).status()).isEqualTo(201);

        String base = "/v1/best?app=" + app + "&requester=" + requester.address();
        Response best = get(market, base + "&category=0&trust=5");
        assertThat(best.status()).as(best.body()).isEqualTo(200);
        assertThat(best.json().get("appOrder").get("hash").asText()).isEqualTo(normal.hash());
        assertThat(best.json().get("workerpoolOrder").get("hash").asText()).isEqualTo(trust5.hash());
        assertThat(best.json().get("datasetOrder").isNull()).isTrue();
        assertThat(best.json().get("price").asText()).isEqualTo("13");
        assertThat(best.json().has("offers")).as("only asked for with pools=N").isFalse();
        // one offer per pool, cheapest first: the requester weighs the pools itself (bond, reputation)
        JsonNode offers = get(market, base + "&category=0&trust=5&pools=5").json().get("offers");
        assertThat(offers).hasSize(2);
        assertThat(offers.get(0).get("workerpoolOrder").get("hash").asText()).isEqualTo(trust5.hash());
        assertThat(offers.get(1).get("workerpoolOrder").get("hash").asText()).isEqualTo(trust5p2.hash());
        assertThat(offers.get(1).get("appOrder").get("hash").asText()).isEqualTo(cheapOnlyP2.hash());
        assertThat(offers.get(1).get("price").asText()).isEqualTo("21");
        assertThat(get(market, base + "&category=0&trust=5&pools=5&maxPrice=20").json().get("offers")).hasSize(1);
        // the floor reads each pool's owner's bond (1,000 each) and reputation (0) on-chain
        assertThat(get(market, base + "&category=0&trust=5&pools=5&minPoolBond=1000").json().get("offers")).hasSize(2);
        Response unbonded = get(market, base + "&category=0&trust=5&pools=5&minPoolBond=1001&minPoolReputation=0");
        assertThat(unbonded.status()).isEqualTo(404);
        assertThat(unbonded.json().get("error").asText()).contains("comes from a pool whose owner has bond >= 1001 "
                + "and reputation >= 0");
        assertThat(get(market, base + "&category=0&trust=5&pools=5&minPoolReputation=1").status()).isEqualTo(404);

        // the book's choice really matches on-chain
        RequestOrder req = RequestOrder.of(requester.address(), app, 3, 10, 1, 0, 5);
        requester.matchOrders(normal, DatasetOrder.NONE, trust5, req, Numeric.hexStringToByteArray(sig(appOwner, normal)),
                new byte[0], Numeric.hexStringToByteArray(sig(scheduler, trust5)), new byte[0]);

        assertThat(get(market, base + "&trust=1").json().get("workerpoolOrder").get("hash").asText())
                .isEqualTo(trust1.hash());
        assertThat(get(market, "/v1/best?app=" + app + "&requester=" + stranger.address() + "&trust=1").json()
                .get("workerpoolOrder").get("hash").asText()).isEqualTo(forStranger.hash());
        assertThat(get(market, base + "&category=1").json().get("workerpoolOrder").get("hash").asText())
                .isEqualTo(cat1.hash());

        Response tagged = get(market, base + "&trust=5&tag=0x2");
        assertThat(tagged.status()).isEqualTo(404);
        assertThat(tagged.json().get("error").asText()).contains("none offers the tags");
        assertThat(get(market, base + "&trust=5&tag=0x1").json().get("workerpoolOrder").get("hash").asText())
                .isEqualTo(trust5.hash());

        Response tooTrusting = get(market, base + "&category=0&trust=20");
        assertThat(tooTrusting.status()).isEqualTo(404);
        assertThat(tooTrusting.json().get("error").asText()).startsWith(
                "no workerpool order in category 0 with trust >= 20 serves app " + app).contains("lower the trust");

        Response withData = get(market, base + "&trust=5&dataset=" + dataset);
        assertThat(withData.status()).as(withData.body()).isEqualTo(200);
        assertThat(withData.json().get("appOrder").get("hash").asText()).isEqualTo(cheapOnlyP2.hash());
        assertThat(withData.json().get("datasetOrder").get("hash").asText()).isEqualTo(dOnlyP2.hash());
        assertThat(withData.json().get("workerpoolOrder").get("hash").asText()).isEqualTo(trust5p2.hash());
        assertThat(withData.json().get("price").asText()).isEqualTo("23");

        String otherDataset = datasetOwner.createDataset("e", "http://127.0.0.1/e", digest("e"));
        assertThat(get(market, base + "&dataset=" + otherDataset).json().get("error").asText())
                .startsWith("no dataset order for dataset " + otherDataset);
        Response noApp = get(market, "/v1/best?app=" + newApp() + "&requester=" + requester.address());
        assertThat(noApp.status()).isEqualTo(404);
        assertThat(noApp.json().get("error").asText()).startsWith("no app order for app");
        assertThat(get(market, base + "&trust=5&maxPrice=12").json().get("error").asText()).contains("above maxPrice 12");
        assertThat(get(market, "/v1/best?app=" + app).status()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ validation

    @Test
    void rejectsInvalidOrdersWithActionableMessages() throws Exception {
        String app = newApp();
        String pool = scheduler.createWorkerpool("p");

        AppOrder forged = AppOrder.of(app, 1, 1);
        assertThat(error(publish(market, forged, sig(stranger, forged))))
                .contains("signature is not valid for the app's current owner " + appOwner.address())
                .contains(stranger.address());

        String nowhere = Words.canonical("0x" + "ab".repeat(20));
        AppOrder unregistered = AppOrder.of(nowhere, 1, 1);
        assertThat(error(publish(market, unregistered, sig(appOwner, unregistered))))
                .isEqualTo("app " + nowhere + " is not registered in the app registry: register it first "
                        + "(`gridchain app publish`) or fix the address");

        long now = net.chain().latestTimestamp();
        AppOrder expired = AppOrder.of(app, 1, 1).withExpiry(now - 10);
        assertThat(error(publish(market, expired, sig(appOwner, expired)))).contains("expired at " + (now - 10));

        AppOrder used = AppOrder.of(app, 1, 1);
        WorkerpoolOrder w = WorkerpoolOrder.of(pool, 1, 10, 0, 1);
        RequestOrder req = RequestOrder.of(requester.address(), app, 1, 1, 1, 0, 1);
        requester.matchOrders(used, DatasetOrder.NONE, w, req, appOwner.sign(used), new byte[0], scheduler.sign(w),
                new byte[0]);
        assertThat(error(publish(market, used, sig(appOwner, used))))
                .isEqualTo("order " + used.hash() + " is fully consumed on-chain (1 of 1 tasks used): publish a new order");

        AppOrder cancelled = AppOrder.of(app, 1, 5);
        appOwner.cancel(cancelled);
        assertThat(error(publish(market, cancelled, sig(appOwner, cancelled)))).contains("was cancelled on-chain");

        AppOrder notPresigned = AppOrder.of(app, 1, 5);
        assertThat(error(publish(market, notPresigned, ""))).contains("is not presigned on-chain");

        WorkerpoolOrder badCategory = WorkerpoolOrder.of(pool, 1, 1, 99, 1);
        assertThat(error(publish(market, badCategory, sig(scheduler, badCategory))))
                .startsWith("category 99 does not exist");

        RequestOrder forgedRequest = RequestOrder.of(requester.address(), app, 1, 1, 1, 0, 1);
        assertThat(error(publish(market, forgedRequest, sig(stranger, forgedRequest))))
                .contains("not valid for the requester " + requester.address());

        assertThat(error(post(market, "/v1/orders", "{\"kind\": \"app\", \"order\": {"))).startsWith("malformed JSON body");
        assertThat(error(post(market, "/v1/orders", "{\"kind\": \"apple\", \"order\": {}}")))
                .isEqualTo("unknown order kind 'apple': use app, dataset, workerpool or request");
        ObjectNode noSalt = OrderJson.write(AppOrder.of(app, 1, 1));
        noSalt.remove("salt");
        assertThat(error(post(market, "/v1/orders", body("app", noSalt, "0x")))).isEqualTo("missing order.salt (a 0x bytes32)");
        ObjectNode badPrice = OrderJson.write(AppOrder.of(app, 1, 1));
        badPrice.put("price", "-3");
        assertThat(error(post(market, "/v1/orders", body("app", badPrice, "0x")))).startsWith("order.price must be a uint256");
        ObjectNode typo = OrderJson.write(AppOrder.of(app, 1, 1));
        typo.put("prize", "3");
        assertThat(error(post(market, "/v1/orders", body("app", typo, "0x")))).startsWith("unknown field order.prize");
    }

    // ------------------------------------------------------------------ following the chain

    @Test
    void anOrderFilledOnChainLeavesTheBook() throws Exception {
        String app = newApp();
        String pool = scheduler.createWorkerpool("p");
        AppOrder a = AppOrder.of(app, 1, 2);
        WorkerpoolOrder w = WorkerpoolOrder.of(pool, 1, 10, 0, 1);
        assertThat(publish(market, a, sig(appOwner, a)).status()).isEqualTo(201);
        assertThat(publish(market, w, sig(scheduler, w)).status()).isEqualTo(201);

        for (int i = 0; i < 2; i++) {
            RequestOrder req = RequestOrder.of(requester.address(), app, 1, 1, 1, 0, 1);
            requester.matchOrders(a, DatasetOrder.NONE, w, req, appOwner.sign(a), new byte[0], scheduler.sign(w),
                    new byte[0]);
            if (i == 0) {
                await(() -> remaining(a.hash()) == 1);
            }
        }
        await(() -> status("/v1/orders/" + a.hash()) == 404);
        await(() -> remaining(w.hash()) == 8);
        assertThat(hashes(get(market, "/v1/orders?kind=app&app=" + app))).isEmpty();
    }

    @Test
    void aCancelledOrExpiredOrderLeavesTheBook() throws Exception {
        String pool = scheduler.createWorkerpool("p");
        WorkerpoolOrder w = WorkerpoolOrder.of(pool, 1, 10, 0, 1);
        long now = net.chain().latestTimestamp();
        WorkerpoolOrder soon = WorkerpoolOrder.of(pool, 1, 10, 0, 1).withExpiry(now + 1000);
        assertThat(publish(market, w, sig(scheduler, w)).status()).isEqualTo(201);
        assertThat(publish(market, soon, sig(scheduler, soon)).status()).isEqualTo(201);
        scheduler.cancel(w);
        await(() -> status("/v1/orders/" + w.hash()) == 404);
        assertThat(status("/v1/orders/" + soon.hash())).isEqualTo(200);
        net.advanceTime(2000);
        await(() -> status("/v1/orders/" + soon.hash()) == 404);
    }

    @Test
    void theBookSurvivesARestartAndResumesFromItsCursor(@TempDir Path dir) throws Exception {
        String app = newApp();
        AppOrder kept = AppOrder.of(app, 2, 5);
        AppOrder cancelledWhileDown = AppOrder.of(app, 1, 5);
        long cursor;
        try (Market m = Market.start(config(dir))) {
            assertThat(publish(m, kept, sig(appOwner, kept)).status()).isEqualTo(201);
            assertThat(publish(m, cancelledWhileDown, sig(appOwner, cancelledWhileDown)).status()).isEqualTo(201);
            cursor = get(m, "/v1/status").json().get("cursor").asLong();
        }
        appOwner.cancel(cancelledWhileDown);
        net.advanceTime(1); // a few more blocks
        net.advanceTime(1);
        try (Market m = Market.start(config(dir))) {
            assertThat(get(m, "/v1/status").json().get("cursor").asLong()).isGreaterThanOrEqualTo(cursor);
            Response r = get(m, "/v1/orders/" + kept.hash());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("signer").asText()).isEqualTo(appOwner.address());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (get(m, "/v1/orders/" + cancelledWhileDown.hash()).status() != 404) {
                assertThat(System.nanoTime()).as("cancelled order still in the book").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(hashes(get(m, "/v1/orders?app=" + app))).containsExactly(kept.hash());
            assertThat(publish(m, kept, sig(appOwner, kept)).status()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String newApp() {
        return appOwner.createApp("app", "wasm", "http://127.0.0.1/app.wasm", digest("app"));
    }

    private static String digest(String s) {
        return Words.hex(Hash.sha3(s.getBytes()));
    }

    private static String sig(GridClient signer, Order o) {
        return Numeric.toHexString(signer.sign(o));
    }

    private static String body(String kind, JsonNode order, String signature) {
        ObjectNode b = OrderJson.MAPPER.createObjectNode();
        b.put("kind", kind);
        b.set("order", order);
        b.put("signature", signature);
        return b.toString();
    }

    private static Response publish(Market m, Order o, String signature) throws Exception {
        return post(m, "/v1/orders", body(o.kind().label(), OrderJson.write(o), signature));
    }

    private static Response post(Market m, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(m.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Response get(Market m, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(m.url() + path)).GET().build());
    }

    private static Response send(HttpRequest req) throws Exception {
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), OrderJson.MAPPER.readTree(r.body()), r.body());
    }

    /** A 400 answer's message; the body is one line {"error": "..."}. */
    private static String error(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("\n");
        assertThat(r.json().fieldNames()).toIterable().containsExactly("error");
        return r.json().get("error").asText();
    }

    private static List<Long> prices(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(r.json().spliterator(), false)
                .map(n -> n.get("order").get("price").asLong()).toList();
    }

    private static List<String> hashes(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(r.json().spliterator(), false)
                .map(n -> n.get("hash").asText()).toList();
    }

    private static int status(String path) {
        try {
            return get(market, path).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long remaining(String hash) {
        try {
            Response r = get(market, "/v1/orders/" + hash);
            return r.status() == 200 ? r.json().get("remaining").asLong() : -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (bounded) for the book to catch up with the chain. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the book did not catch up with the chain within 15 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
