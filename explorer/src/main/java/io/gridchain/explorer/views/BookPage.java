package io.gridchain.explorer.views;

import io.gridchain.explorer.remote.OrderBook;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order book page: for each app, dataset and pool on offer, its best (lowest) price per task and the book's depth
 * (how many orders, how many tasks they still offer); and the open requests.
 */
public record BookPage(List<Depth> offers, List<Depth> requests, String error) {

    /** One asset's side of the book. */
    public record Depth(String kind, String asset, long bestPrice, int orders, long tasks) {}

    /**
     * The depth of each asset among {@code entries}: for offers the best price is the lowest, cheapest first; for
     * requests ({@code bids}) it is the highest a requester pays, highest first.
     */
    public static List<Depth> depth(List<OrderBook.Entry> entries, boolean bids) {
        Map<String, Depth> by = new LinkedHashMap<>();
        for (OrderBook.Entry e : entries) {
            by.merge(e.kind() + " " + e.asset(), new Depth(e.kind(), e.asset(), e.price(), 1, e.remaining()),
                    (a, b) -> new Depth(a.kind(), a.asset(), bids ? Math.max(a.bestPrice(), b.bestPrice())
                            : Math.min(a.bestPrice(), b.bestPrice()),
                            a.orders() + b.orders(), a.tasks() + b.tasks()));
        }
        List<Depth> out = new ArrayList<>(by.values());
        Comparator<Depth> price = Comparator.comparingLong(Depth::bestPrice);
        out.sort(Comparator.comparing(Depth::kind).thenComparing(bids ? price.reversed() : price)
                .thenComparing(Depth::asset));
        return out;
    }
}
