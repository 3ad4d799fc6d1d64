package io.gridchain.protocol.deal;

import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;

/**
 * The deal terms the hub commits to (Deals.Deal): it stores only their hash, and every later
 * call passes them back. Field order and types mirror the Solidity struct.
 */
public record Deal(
        String requester,
        String appOwner,
        String datasetOwner,
        String scheduler,
        String callback,
        BigInteger appPrice,
        BigInteger datasetPrice,
        BigInteger workerpoolPrice,
        BigInteger volume,
        BigInteger trust,
        BigInteger categoryTime,
        BigInteger startTime,
        BigInteger workerStake,
        BigInteger schedulerRewardRatio) {

    public static final long FINAL_DEADLINE_RATIO = 10;
    public static final long REVEAL_DEADLINE_RATIO = 2;
    public static final long SCHEDULER_STAKE_RATIO = 30;

    /** keccak256(abi.encode(deal)), what the hub stores under the deal id. */
    public String hash() {
        return Words.of().address(requester).address(appOwner).address(datasetOwner).address(scheduler)
                .address(callback).uint(appPrice).uint(datasetPrice).uint(workerpoolPrice).uint(volume).uint(trust)
                .uint(categoryTime).uint(startTime).uint(workerStake).uint(schedulerRewardRatio).keccakHex();
    }

    /** Unix time after which unfinished tasks can be claimed. */
    public long deadline() {
        return startTime.longValueExact() + FINAL_DEADLINE_RATIO * categoryTime.longValueExact();
    }

    public BigInteger taskPrice() {
        return appPrice.add(datasetPrice).add(workerpoolPrice);
    }

    public BigInteger schedulerStake() {
        return workerpoolPrice.multiply(BigInteger.valueOf(SCHEDULER_STAKE_RATIO)).divide(BigInteger.valueOf(100));
    }

    public boolean hasCallback() {
        return !Words.ZERO_ADDRESS.equalsIgnoreCase(callback);
    }

    /** keccak256(abi.encode(dealId, index)). */
    public static String taskId(String dealId, long index) {
        return Words.of().bytes32(dealId).uint(index).keccakHex();
    }
}
