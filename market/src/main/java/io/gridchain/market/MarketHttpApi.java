package io.gridchain.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.ChainUnreachableException;
import io.gridchain.protocol.http.BoundedBody;
import io.gridchain.protocol.http.Https;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** The market's HTTP API (docs/API.md). Public, read-mostly; orders carry their own signatures. */
public final class MarketHttpApi implements AutoCloseable {
    public static final String ORDERS = "/v1/orders";
    public static final String BEST = "/v1/best";
    public static final String STATUS = "/v1/status";
    /** PUT and GET {@code /v1/blobs/{sha256}}: the network's content-addressed store ({@link Blobs}). */
    public static final String BLOBS = "/v1/blobs/";
    static final int MAX_LIMIT = 1000;
    /** The largest body: an order is well under 2 KiB of JSON. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Most pools one /v1/best answer lists with pools=N. */
    static final int MAX_POOLS = 200;

    private final MarketService service;
    private final Blobs blobs;
    private final Javalin app;

    public MarketHttpApi(MarketService service, String host, int port) {
        this(service, host, port, null, app -> { }, null);
    }

    public MarketHttpApi(MarketService service, String host, int port, SSLContext tls, Consumer<Javalin> extras) {
        this(service, host, port, tls, extras, null);
    }

    /**
     * @param tls serves HTTPS only with this context ({@link io.gridchain.protocol.http.Tls#serverContext}); null
     *     for plain HTTP
     * @param extras more routes and handlers (metrics), installed before the server starts
     */
    /** @param blobs the content-addressed store served at {@link #BLOBS}; null serves none */
    public MarketHttpApi(MarketService service, String host, int port, SSLContext tls, Consumer<Javalin> extras,
            Blobs blobs) {
        this.service = service;
        this.blobs = blobs;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            // Jetty holds a request until its body starts; headers alone must be enough to refuse it
            cfg.jetty.modifyHttpConfiguration(http -> http.setDelayDispatchUntilContent(false));
            Https.configure(cfg, tls, host, port);
        });
        extras.accept(app);
        app.post(ORDERS, this::publish);
        app.get(ORDERS, this::list);
        app.get(ORDERS + "/{hash}", this::one);
        app.get(BEST, this::best);
        app.get(STATUS, this::status);
        if (blobs != null) {
            app.put(BLOBS + "{digest}", this::putBlob);
            app.get(BLOBS + "{digest}", this::getBlob);
        }
        app.exception(Rejected.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(JsonProcessingException.class, (e, ctx) -> error(ctx, 400, "malformed JSON body: "
                + firstLine(((JsonProcessingException) e).getOriginalMessage())
                + ": send {\"kind\": ..., \"order\": {...}, \"signature\": \"0x...\"}"));
        app.exception(ChainUnreachableException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
        app.exception(UncheckedIOException.class, (e, ctx) -> error(ctx, 503, "cannot reach the chain: "
                + firstLine(e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "market error: " + firstLine(e.getMessage())));
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, "no route " + ctx.method() + " " + ctx.path() + ": see docs/API.md");
            }
        });
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    private void publish(Context ctx) throws IOException {
        byte[] raw;
        try {
            // read bounded whatever the transfer encoding: Javalin's own limit trusts Content-Length
            raw = BoundedBody.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), MAX_BODY_BYTES);
        } catch (BoundedBody.TooLarge e) {
            throw new Rejected(413, e.getMessage() + ": an order is a few KiB of JSON");
        }
        if (raw.length == 0) throw Rejected.badRequest("empty body: send {\"kind\": ..., \"order\": {...}, \"signature\": \"0x...\"}");
        JsonNode body = OrderJson.MAPPER.readTree(raw);
        OrderBook.Published p = service.book().publish(body);
        ObjectNode out = OrderJson.MAPPER.createObjectNode();
        out.put("hash", p.hash());
        out.put("remaining", p.remaining());
        ctx.status(p.created() ? 201 : 200);
        reply(ctx, out);
    }

    private void putBlob(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > Blobs.MAX_BYTES) {
            throw new Rejected(413, "a blob is at most " + Blobs.MAX_BYTES + " bytes: host larger files yourself (--uri)");
        }
        byte[] raw;
        try {
            raw = BoundedBody.read(ctx.req().getInputStream(), declared, Blobs.MAX_BYTES);
        } catch (BoundedBody.TooLarge e) {
            throw new Rejected(413, e.getMessage() + ": host larger files yourself (--uri)");
        }
        if (!blobs.reserve(ctx.ip(), raw.length, System.currentTimeMillis())) {
            throw new Rejected(429, ctx.ip() + " uploaded its " + Blobs.BUDGET_PER_HOUR + " bytes for this hour: wait");
        }
        try {
            blobs.put(ctx.pathParam("digest"), raw);
        } catch (IllegalArgumentException e) {
            throw Rejected.badRequest(e.getMessage());
        }
        ctx.status(201);
        ObjectNode out = OrderJson.MAPPER.createObjectNode();
        out.put("digest", ctx.pathParam("digest").toLowerCase());
        out.put("size", raw.length);
        reply(ctx, out);
    }

    private void getBlob(Context ctx) {
        byte[] bytes;
        try {
            bytes = blobs.get(ctx.pathParam("digest")).orElseThrow(() -> new Rejected(404, "no blob "
                    + ctx.pathParam("digest") + " in this store"));
        } catch (IllegalArgumentException e) {
            throw Rejected.badRequest(e.getMessage());
        }
        ctx.contentType("application/octet-stream").result(bytes);
    }

    private void list(Context ctx) throws IOException {
        String sort = param(ctx, "sort");
        if (sort != null && !sort.equals("price") && !sort.equals("time")) {
            throw Rejected.badRequest("sort must be price (cheapest first) or time (oldest first), got '" + sort + "'");
        }
        String kind = param(ctx, "kind");
        BigInteger limit = uint(ctx, "limit");
        int n = limit == null ? 100 : limit.min(BigInteger.valueOf(MAX_LIMIT)).intValue();
        var q = new OrderBook.Query(kind == null ? null : OrderJson.kind(kind), address(ctx, "app"),
                address(ctx, "dataset"), address(ctx, "workerpool"), address(ctx, "requester"), uint(ctx, "category"),
                bytes32(ctx, "tag"), uint(ctx, "maxPrice"), uint(ctx, "minVolume"), "time".equals(sort), n);
        ArrayNode out = OrderJson.MAPPER.createArrayNode();
        for (OrderBook.Live l : service.book().list(q)) out.add(OrderJson.entry(l.signed(), l.remaining()));
        reply(ctx, out);
    }

    private void one(Context ctx) throws IOException {
        String hash = ctx.pathParam("hash");
        if (!hash.matches("0[xX][0-9a-fA-F]{64}")) {
            throw Rejected.badRequest("order hash must be 0x followed by 64 hex digits, got '" + hash + "'");
        }
        OrderBook.Live l = service.book().get(hash)
                .orElseThrow(() -> new Rejected(404, "no order " + hash.toLowerCase() + " in this book"));
        reply(ctx, OrderJson.entry(l.signed(), l.remaining()));
    }

    private void best(Context ctx) throws IOException {
        String app = address(ctx, "app");
        String requester = address(ctx, "requester");
        if (app == null) throw Rejected.badRequest("missing query parameter app=0x... (the app to run)");
        if (requester == null) throw Rejected.badRequest("missing query parameter requester=0x... (who will sign the request)");
        String dataset = address(ctx, "dataset");
        String pool = address(ctx, "workerpool");
        BigInteger category = uint(ctx, "category");
        BigInteger trust = uint(ctx, "trust");
        String tag = bytes32(ctx, "tag");
        BigInteger volume = uint(ctx, "volume");
        var want = new OrderBook.Want(app, dataset == null ? Words.ZERO_ADDRESS : dataset, requester,
                pool == null ? Words.ZERO_ADDRESS : pool, category == null ? BigInteger.ZERO : category,
                trust == null ? BigInteger.ZERO : trust, tag == null ? Words.ZERO_BYTES32 : tag,
                volume == null || volume.signum() == 0 ? BigInteger.ONE : volume, uint(ctx, "maxPrice"));
        BigInteger pools = uint(ctx, "pools");
        BigInteger minReputation = uint(ctx, "minPoolReputation");
        var floor = new OrderBook.PoolFloor(uint(ctx, "minPoolBond"),
                minReputation == null ? null : minReputation.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue());
        List<OrderBook.Triple> offers = service.book().offers(want,
                pools == null ? 1 : pools.min(BigInteger.valueOf(MAX_POOLS)).max(BigInteger.ONE).intValue(), floor);
        ObjectNode out = triple(offers.get(0));
        if (pools != null) {
            ArrayNode all = out.putArray("offers");
            for (OrderBook.Triple t : offers) all.add(triple(t));
        }
        reply(ctx, out);
    }

    private static ObjectNode triple(OrderBook.Triple t) {
        ObjectNode out = OrderJson.MAPPER.createObjectNode();
        out.set("appOrder", OrderJson.entry(t.app().signed(), t.app().remaining()));
        out.set("datasetOrder", t.dataset() == null ? null : OrderJson.entry(t.dataset().signed(), t.dataset().remaining()));
        out.set("workerpoolOrder", OrderJson.entry(t.workerpool().signed(), t.workerpool().remaining()));
        out.put("price", t.price().toString());
        out.put("volume", t.volume());
        return out;
    }

    private void status(Context ctx) throws IOException {
        ObjectNode out = OrderJson.MAPPER.createObjectNode();
        OrderBook b = service.book();
        out.put("orders", b.size());
        out.put("cursor", b.cursor());
        out.put("chainTime", b.chainTime());
        if (service.lastError() == null) out.putNull("error");
        else out.put("error", service.lastError());
        reply(ctx, out);
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String address(Context ctx, String name) {
        String v = param(ctx, name);
        return v == null ? null : OrderJson.address(name, v);
    }

    private static BigInteger uint(Context ctx, String name) {
        String v = param(ctx, name);
        return v == null ? null : OrderJson.uint(name, v);
    }

    private static String bytes32(Context ctx, String name) {
        String v = param(ctx, name);
        return v == null ? null : OrderJson.bytes32(name, v);
    }

    private static void reply(Context ctx, JsonNode body) throws IOException {
        ctx.contentType("application/json").result(OrderJson.MAPPER.writeValueAsBytes(body));
    }

    private static void error(Context ctx, int status, String message) {
        // The body of a refused publication may be unread: closing the connection spares the server from draining
        // it (Jetty would otherwise wait for a declared body the client may never send before it answers).
        if ("POST".equals(ctx.method().name())) ctx.header("Connection", "close");
        try {
            ctx.status(status).contentType("application/json")
                    .result(OrderJson.MAPPER.writeValueAsBytes(Map.of("error", message)));
        } catch (IOException e) {
            ctx.status(status).result(message);
        }
    }

    private static String firstLine(String m) {
        if (m == null) return "unknown error";
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        app.stop();
    }
}
