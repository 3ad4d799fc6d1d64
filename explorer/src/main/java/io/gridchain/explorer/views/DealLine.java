package io.gridchain.explorer.views;

import io.gridchain.explorer.store.IndexQueries;

/** A deal in a list (the network's latest, a pool's, an app's, an account's): who, which pool, how far along. */
public record DealLine(String dealId, long block, String requester, String workerpool, String app, long volume,
        long certified, long refunded) {
    public static DealLine of(IndexQueries.DealFigures f) {
        return new DealLine(f.deal().dealId(), f.deal().block(), f.deal().requester(), f.deal().workerpool(),
                f.deal().app(), f.deal().volume(), f.certified(), f.refunded());
    }
}
