package io.gridchain.explorer.views;

import io.gridchain.explorer.remote.OrderBook;
import io.gridchain.explorer.store.IndexQueries;
import java.util.List;

/**
 * An app's or a dataset's page: its owner and registered entry (name, URI, checksum), its orders in the book, and its
 * usage: deals, tasks, and what its owner earned from certified tasks (its price times those tasks).
 *
 * @param kind        {@code app} or {@code dataset}
 * @param runtime     an app's kind (e.g. wasm), null for a dataset
 * @param ordersError why the orders are unknown, null when known
 */
public record AssetPage(String address, String kind, String owner, String name, String runtime, String uri,
        String checksum, List<OrderBook.Entry> orders, String ordersError, IndexQueries.Usage usage,
        List<DealLine> recentDeals) {}
