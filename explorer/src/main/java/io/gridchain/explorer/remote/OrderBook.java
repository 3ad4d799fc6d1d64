package io.gridchain.explorer.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.explorer.index.HubEvents;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The order book's public listing (docs/API.md §3, {@code GET /v1/orders}), as the explorer shows it. */
public final class OrderBook {
    private final Fetch fetch;
    private final String url;

    /** {@code url} null: no book configured, and the pages say so. */
    public OrderBook(Fetch fetch, String url) {
        this.fetch = fetch;
        this.url = url;
    }

    /** A listed order: what it sells or asks, at which price per task, how many tasks are left. */
    public record Entry(String kind, String hash, String asset, long price, long remaining, String signer) {}

    /** The orders listed, or the one line saying why the book could not tell. */
    public record Listing(List<Entry> entries, String error) {}

    /** The live orders of {@code kind} ({@code app}, {@code dataset}, {@code workerpool}, {@code request}). */
    public Listing orders(String kind, String filter) {
        if (url == null) return new Listing(List.of(), "no order book is configured (`explorer start --market URL`)");
        try {
            List<Entry> out = new ArrayList<>();
            for (JsonNode e : fetch.get(url, "/v1/orders?kind=" + kind + "&limit=1000" + filter)) {
                JsonNode o = e.path("order");
                String asset = kind.equals("request") ? o.path("app").asText() : o.path(kind).asText();
                long price = kind.equals("request") ? sum(o, "appMaxPrice", "datasetMaxPrice", "workerpoolMaxPrice")
                        : number(o.path("price"));
                out.add(new Entry(kind, e.path("hash").asText(), asset.toLowerCase(java.util.Locale.ROOT), price,
                        e.path("remaining").asLong(), e.path("signer").asText()));
            }
            return new Listing(out, null);
        } catch (Fetch.Failed e) {
            return new Listing(List.of(), "the order book: " + e.getMessage());
        }
    }

    private static long sum(JsonNode o, String... fields) {
        BigInteger total = BigInteger.ZERO;
        for (String f : fields) total = total.add(uint(o.path(f)));
        return HubEvents.saturated(total);
    }

    private static long number(JsonNode n) {
        return HubEvents.saturated(uint(n));
    }

    /** The book returns integers as decimal strings; anything else counts as 0 rather than failing the page. */
    private static BigInteger uint(JsonNode n) {
        try {
            return new BigInteger(n.asText("0"));
        } catch (NumberFormatException e) {
            return BigInteger.ZERO;
        }
    }
}
