package io.gridchain.explorer.index;

/**
 * A deal's terms as its {@code DealCreated} event published them, kept so that an app's, a dataset's or a pool's page
 * can count the deals that used it and what they paid, without reading every deal back from the chain.
 */
public record DealRow(String dealId, long block, String requester, String workerpool, String app, String dataset,
        long appPrice, long datasetPrice, long workerpoolPrice, long volume, long trust) {}
