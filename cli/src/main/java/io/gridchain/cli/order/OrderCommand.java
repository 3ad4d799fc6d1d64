package io.gridchain.cli.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.cli.provider.Provider;
import io.gridchain.market.ChainView;
import io.gridchain.market.OrderBook;
import io.gridchain.market.OrderJson;
import io.gridchain.market.Rejected;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.Salts;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain order publish|list|cancel}: signed orders in the order book. */
@Command(
        name = "order",
        mixinStandardHelpOptions = true,
        description = {"Publish, list and cancel signed orders in the order book.",
            "",
            "An app, dataset or workerpool order is its owner's signed offer (price per",
            "task, volume); a request order is a requester's signed demand. `gridchain run`",
            "matches them."},
        subcommands = {OrderCommand.Publish.class, OrderCommand.ListOrders.class, OrderCommand.Cancel.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain order publish app 0xAPP --price 1 --volume 1000",
            "  gridchain order publish workerpool 0xPOOL --price 10 --volume 1000 --trust 5",
            "  gridchain order publish --file order.json",
            "  gridchain order list --app 0xAPP", "  gridchain order cancel 0xHASH"})
public final class OrderCommand extends GroupCommand {
    /** Max uint256: the hub's consumed volume of a cancelled order. */
    private static final BigInteger CANCELLED = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = {"Sign an order with the wallet and publish it in the order book; print its",
                "hash.",
                "",
                "KIND is app, dataset, workerpool or request; ASSET is the app, dataset or pool",
                "it offers (for a request: the app to run). The wallet must own the asset (or",
                "be the requester): the book checks the signature, the registration and the",
                "volume left on arrival. With --file, the order comes from a JSON file",
                "{\"kind\": ..., \"order\": {...}} as in docs/API.md; a \"signature\" in the",
                "file is published as is, without the wallet."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain order publish app 0xAPP --price 1 --volume 1000",
                "  gridchain order publish dataset 0xDATASET --price 2 --app-restrict 0xAPP",
                "  gridchain order publish workerpool 0xPOOL --price 10 --volume 1000 --trust 5",
                "  gridchain order publish request 0xAPP --app-max-price 1 --pool-max-price 10",
                "  gridchain order publish --file order.json --json"})
    public static final class Publish implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "app, dataset, workerpool or request.")
        String kind;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ASSET",
                description = "The app, dataset or workerpool address (request: the app).")
        String asset;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the order from a JSON file instead of flags.")
        String file;

        @Option(names = "--price", paramLabel = "TOKENS", description = "Price per task (default 0).") String price;
        @Option(names = "--volume", paramLabel = "N", description = "Tasks offered (default 1).") String volume;
        @Option(names = "--tag", paramLabel = "BYTES32", description = "Required features, as bits (default 0).") String tag;
        @Option(names = "--category", paramLabel = "ID", description = "Workerpool/request: category (default 0).") String category;
        @Option(names = "--trust", paramLabel = "N", description = "Workerpool/request: trust level (default 0).") String trust;
        @Option(names = "--expiry", paramLabel = "UNIX", description = "Unix time after which it is void (default 0: never).") String expiry;
        @Option(names = "--app-restrict", paramLabel = "ADDRESS", description = "Dataset/workerpool: only for this app.") String appRestrict;
        @Option(names = "--dataset-restrict", paramLabel = "ADDRESS", description = "App/workerpool: only with this dataset.") String datasetRestrict;
        @Option(names = "--pool-restrict", paramLabel = "ADDRESS", description = "App/dataset: only on this workerpool.") String poolRestrict;
        @Option(names = "--requester-restrict", paramLabel = "ADDRESS", description = "Only for this requester.") String requesterRestrict;
        @Option(names = "--app-max-price", paramLabel = "TOKENS", description = "Request: most paid to the app per task.") String appMaxPrice;
        @Option(names = "--dataset", paramLabel = "ADDRESS", description = "Request: the dataset the app reads.") String dataset;
        @Option(names = "--dataset-max-price", paramLabel = "TOKENS", description = "Request: most paid to the dataset.") String datasetMaxPrice;
        @Option(names = "--pool", paramLabel = "ADDRESS", description = "Request: only this workerpool.") String pool;
        @Option(names = "--pool-max-price", paramLabel = "TOKENS", description = "Request: most paid to the pool per task.") String poolMaxPrice;
        @Option(names = "--params", paramLabel = "ARGS", description = "Request: the app's arguments.") String params;
        @Option(names = "--beneficiary", paramLabel = "ADDRESS", description = "Request: who gets the results.") String beneficiary;

        /** For each kind, the flags it takes and the order field each one sets. */
        private static final Map<Order.Kind, Map<String, String>> FIELDS = Map.of(
                Order.Kind.APP, fields("price", "price", "volume", "volume", "tag", "tag", "expiry", "expiry",
                        "dataset-restrict", "datasetRestrict", "pool-restrict", "workerpoolRestrict",
                        "requester-restrict", "requesterRestrict"),
                Order.Kind.DATASET, fields("price", "price", "volume", "volume", "tag", "tag", "expiry", "expiry",
                        "app-restrict", "appRestrict", "pool-restrict", "workerpoolRestrict",
                        "requester-restrict", "requesterRestrict"),
                Order.Kind.WORKERPOOL, fields("price", "price", "volume", "volume", "tag", "tag", "expiry", "expiry",
                        "category", "category", "trust", "trust", "app-restrict", "appRestrict",
                        "dataset-restrict", "datasetRestrict", "requester-restrict", "requesterRestrict"),
                Order.Kind.REQUEST, fields("app-max-price", "appMaxPrice", "dataset", "dataset",
                        "dataset-max-price", "datasetMaxPrice", "pool", "workerpool", "pool-max-price",
                        "workerpoolMaxPrice", "volume", "volume", "tag", "tag", "category", "category",
                        "trust", "trust", "beneficiary", "beneficiary", "params", "params", "expiry", "expiry"));

        @Override
        public Integer call() {
            try (Context ctx = options.context()) {
                BookClient book = BookClient.of(ctx.settings());
                Order order;
                String signature;
                if (file != null) {
                    if (kind != null || !given().isEmpty()) {
                        throw UserError.usage("--file takes the whole order: drop KIND, ASSET and the order flags");
                    }
                    OrderFile f = OrderFile.read(file, true, ctx::walletAddress);
                    order = f.order();
                    signature = f.signed() ? f.signature() : null;
                } else {
                    order = fromFlags(ctx);
                    signature = null;
                }
                if (signature == null) signature = Numeric.toHexString(ctx.client().sign(order));
                ObjectNode body = BookClient.JSON.createObjectNode();
                body.put("kind", order.kind().label());
                body.set("order", OrderJson.write(order));
                body.put("signature", signature);
                JsonNode published = book.publish(body);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("hash", published.path("hash").asText(order.hash()));
                out.put("kind", order.kind().label());
                out.put(assetLabel(order), assetOf(order));
                out.put("price", OrderBook.price(order).toString());
                out.put("volume", OrderBook.volume(order).toString());
                out.put("remaining", published.path("remaining").asText());
                out.put("market", book.url());
                if (options.json()) out.put("order", OrderJson.write(order));
                Provider.print(options, out);
                return 0;
            }
        }

        private Order fromFlags(Context ctx) {
            if (kind == null) throw UserError.usage("give KIND and ASSET, or --file: e.g. `gridchain order publish app 0xAPP --price 1`");
            Order.Kind k;
            try {
                k = OrderJson.kind(kind);
            } catch (Rejected e) {
                throw UserError.usage(e.getMessage());
            }
            if (asset == null) throw UserError.usage("missing ASSET: the " + (k == Order.Kind.REQUEST ? "app" : k.label())
                    + " address, after " + k.label());
            Map<String, String> flags = FIELDS.get(k);
            ObjectNode o = BookClient.JSON.createObjectNode();
            for (Map.Entry<String, String> e : given().entrySet()) {
                String field = flags.get(e.getKey());
                if (field == null) {
                    throw UserError.usage("--" + e.getKey() + " does not apply to " + (k == Order.Kind.APP ? "an " : "a ")
                            + k.label() + " order (it takes --"
                            + String.join(", --", flags.keySet()) + ")");
                }
                o.put(field, e.getValue());
            }
            switch (k) {
                case REQUEST -> {
                    o.put("app", asset);
                    for (String f : List.of("appMaxPrice", "workerpoolMaxPrice", "category")) {
                        if (!o.has(f)) o.put(f, "0");
                    }
                    o.put("requester", ctx.walletAddress());
                }
                case WORKERPOOL -> {
                    o.put("workerpool", asset);
                    if (!o.has("category")) o.put("category", "0");
                }
                default -> o.put(k.label(), asset);
            }
            if (k != Order.Kind.REQUEST && !o.has("price")) o.put("price", "0");
            if (!o.has("volume")) o.put("volume", "1");
            o.put("salt", Salts.random());
            try {
                return OrderJson.read(k, o);
            } catch (Rejected e) {
                throw UserError.usage(flagged(e.getMessage(), k, flags));
            }
        }

        /** "order.workerpoolMaxPrice must be ..." becomes "--pool-max-price must be ...". */
        private static String flagged(String message, Order.Kind k, Map<String, String> flags) {
            Map<String, String> names = new LinkedHashMap<>();
            flags.forEach((flag, field) -> names.put(field, "--" + flag));
            names.put(k == Order.Kind.REQUEST ? "app" : k.label(), "ASSET");
            String m = message;
            for (Map.Entry<String, String> e : names.entrySet()) {
                m = m.replaceAll("order\\." + e.getKey() + "\\b", e.getValue());
            }
            return m;
        }

        private Map<String, String> given() {
            Map<String, String> g = new LinkedHashMap<>();
            put(g, "price", price);
            put(g, "volume", volume);
            put(g, "tag", tag);
            put(g, "category", category);
            put(g, "trust", trust);
            put(g, "expiry", expiry);
            put(g, "app-restrict", appRestrict);
            put(g, "dataset-restrict", datasetRestrict);
            put(g, "pool-restrict", poolRestrict);
            put(g, "requester-restrict", requesterRestrict);
            put(g, "app-max-price", appMaxPrice);
            put(g, "dataset", dataset);
            put(g, "dataset-max-price", datasetMaxPrice);
            put(g, "pool", pool);
            put(g, "pool-max-price", poolMaxPrice);
            put(g, "params", params);
            put(g, "beneficiary", beneficiary);
            return g;
        }

        private static void put(Map<String, String> m, String k, String v) {
            if (v != null) m.put(k, v);
        }

        private static Map<String, String> fields(String... pairs) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
            return m;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {"List the orders in the order book, cheapest first, filtered by app, dataset,",
                "pool, requester, category, tag and price. Needs no wallet."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain order list", "  gridchain order list --kind workerpool --category 0",
                "  gridchain order list --app 0xAPP --max-price 5 --json"})
    public static final class ListOrders implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--kind", paramLabel = "KIND", description = "app, dataset, workerpool or request.") String kind;
        @Option(names = "--app", paramLabel = "ADDRESS", description = "Orders usable with this app.") String app;
        @Option(names = "--dataset", paramLabel = "ADDRESS", description = "Orders usable with this dataset.") String dataset;
        @Option(names = "--pool", paramLabel = "ADDRESS", description = "Orders usable on this workerpool.") String pool;
        @Option(names = "--requester", paramLabel = "ADDRESS", description = "Orders usable by this requester.") String requester;
        @Option(names = "--category", paramLabel = "ID", description = "Workerpool and request orders of this category.") String category;
        @Option(names = "--tag", paramLabel = "BYTES32", description = "Orders whose tag this tag covers.") String tag;
        @Option(names = "--max-price", paramLabel = "TOKENS", description = "At most this price per task.") String maxPrice;
        @Option(names = "--sort", paramLabel = "price|time", description = "price (cheapest first, default) or time.") String sort;
        @Option(names = "--limit", paramLabel = "N", description = "At most N orders (default 100).") String limit;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder();
            try {
                if (kind != null) add(q, "kind", OrderJson.kind(kind).label());
                if (app != null) add(q, "app", OrderJson.address("--app", app));
                if (dataset != null) add(q, "dataset", OrderJson.address("--dataset", dataset));
                if (pool != null) add(q, "workerpool", OrderJson.address("--pool", pool));
                if (requester != null) add(q, "requester", OrderJson.address("--requester", requester));
                if (category != null) add(q, "category", OrderJson.uint("--category", category).toString());
                if (tag != null) add(q, "tag", OrderJson.bytes32("--tag", tag));
                if (maxPrice != null) add(q, "maxPrice", OrderJson.uint("--max-price", maxPrice).toString());
                if (limit != null) add(q, "limit", OrderJson.uint("--limit", limit).toString());
            } catch (Rejected e) {
                throw UserError.usage(e.getMessage());
            }
            if (sort != null) {
                if (!sort.equals("price") && !sort.equals("time")) throw UserError.usage("--sort must be price or time");
                add(q, "sort", sort);
            }
            BookClient book = BookClient.of(options.settings());
            JsonNode orders = book.get("/v1/orders" + q).orElseThrow();
            if (options.json()) {
                ObjectNode out = BookClient.JSON.createObjectNode();
                out.put("market", book.url());
                out.set("orders", orders);
                Json.print(out);
                return 0;
            }
            if (orders.isEmpty()) {
                System.out.println("no orders match in the order book at " + book.url());
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KIND", "HASH", "ASSET", "PRICE", "LEFT", "CATEGORY", "SIGNER"});
            for (JsonNode e : orders) {
                Order o = OrderJson.read(OrderJson.kind(e.get("kind").asText()), e.get("order"));
                rows.add(new String[] {o.kind().label(), e.get("hash").asText(), assetOf(o), OrderBook.price(o).toString(),
                        e.get("remaining").asText(), o instanceof WorkerpoolOrder w ? w.category().toString()
                                : o instanceof RequestOrder r ? r.category().toString() : "-", e.get("signer").asText()});
            }
            int[] width = new int[rows.get(0).length];
            for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
                }
                System.out.println(line);
            }
            return 0;
        }

        private static void add(StringBuilder q, String key, String value) {
            q.append(q.length() == 0 ? '?' : '&').append(key).append('=').append(value);
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {"Cancel an order on-chain, so it can never be matched again; the order book",
                "drops it.",
                "",
                "Give the order's HASH (taken from the book) or the order itself with --file.",
                "Only the asset's owner (for a request: the requester) can cancel it."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain order cancel 0x5c1f…e2a9", "  gridchain order cancel --file order.json --json"})
    public static final class Cancel implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", arity = "0..1", paramLabel = "HASH", description = "The order's hash in the book.")
        String hash;

        @Option(names = "--file", paramLabel = "FILE", description = "The order as a JSON file (see `order publish`).")
        String file;

        @Override
        public Integer call() throws InterruptedException {
            if ((hash == null) == (file == null)) throw UserError.usage("give the order's HASH or --file FILE (one of them)");
            if (hash != null && !hash.matches("0[xX][0-9a-fA-F]{64}")) {
                throw UserError.usage("HASH must be 0x followed by 64 hex digits, got '" + hash + "'");
            }
            try (Context ctx = options.context()) {
                BookClient book = ctx.settings().marketUrl() == null ? null : BookClient.of(ctx.settings());
                Order order;
                if (file != null) {
                    order = OrderFile.read(file, false, ctx::walletAddress).order();
                } else {
                    if (book == null) throw UserError.usage("no order book configured to find order " + hash
                            + " in: give the order with --file, or `gridchain config set market URL`");
                    JsonNode entry = book.get("/v1/orders/" + hash.toLowerCase()).orElseThrow(() -> UserError.failure(
                            "no order " + hash.toLowerCase() + " in the order book at " + book.url()
                                    + ": it was filled or cancelled already, or give the order with --file"));
                    order = OrderJson.read(OrderJson.kind(entry.get("kind").asText()), entry.get("order"));
                }
                String me = ctx.walletAddress();
                String owner = ownerOf(new ChainView(ctx.protocol()), order);
                if (!Words.canonical(me).equals(owner)) {
                    throw UserError.failure("only " + owner + ", the " + role(order) + ", can cancel order "
                            + order.hash() + ": your wallet is " + Words.canonical(me) + " (pass --wallet)");
                }
                GridClient client = ctx.client();
                if (client.consumed(order).equals(CANCELLED)) {
                    throw UserError.failure("order " + order.hash() + " is already cancelled");
                }
                TxResult tx = client.cancel(order);
                String inBook = book == null ? "no book configured" : awaitDropped(book, order.hash());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("hash", order.hash());
                out.put("kind", order.kind().label());
                out.put("transaction", tx.hash());
                out.put("gas", tx.gasUsed());
                out.put("book", inBook);
                Provider.print(options, out);
                return 0;
            }
        }

        /** Waits for the book to follow the chain and drop the order. */
        private static String awaitDropped(BookClient book, String hash) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline) {
                if (book.get("/v1/orders/" + hash).isEmpty()) return "removed";
                Thread.sleep(200);
            }
            return "still listed (the book has not followed the chain yet)";
        }

        private static String ownerOf(ChainView chain, Order order) {
            String owner = order instanceof AppOrder a ? chain.appOwner(a.app())
                    : order instanceof DatasetOrder d ? chain.datasetOwner(d.dataset())
                    : order instanceof WorkerpoolOrder w ? chain.workerpoolOwner(w.workerpool())
                    : ((RequestOrder) order).requester();
            if (Words.ZERO_ADDRESS.equals(Words.canonical(owner))) {
                throw UserError.failure(assetLabel(order) + " " + assetOf(order) + " is not registered on this chain: "
                        + "check the order and the profile");
            }
            return Words.canonical(owner);
        }

        private static String role(Order order) {
            return order.kind() == Order.Kind.REQUEST ? "requester" : order.kind().label() + "'s owner";
        }
    }

    static String assetLabel(Order order) {
        return order.kind() == Order.Kind.REQUEST ? "app" : order.kind().label();
    }

    static String assetOf(Order order) {
        if (order instanceof AppOrder a) return a.app();
        if (order instanceof DatasetOrder d) return d.dataset();
        if (order instanceof WorkerpoolOrder w) return w.workerpool();
        return ((RequestOrder) order).app();
    }
}
