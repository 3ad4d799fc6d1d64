package io.gridchain.protocol.deal;

import java.math.BigInteger;

/** What a deal's parties need off-chain, as published in the DealCreated event. */
public record DealTerms(
        String app,
        String dataset,
        String workerpool,
        String beneficiary,
        String tag,
        BigInteger category,
        String params,
        String appOrderHash,
        String datasetOrderHash,
        String workerpoolOrderHash,
        String requestOrderHash) {}
