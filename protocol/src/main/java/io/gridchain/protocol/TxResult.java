package io.gridchain.protocol;

import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** A mined, successful transaction: its hash and the gas it used. */
public record TxResult(String hash, long gasUsed, long blockNumber, TransactionReceipt receipt) {
    public static TxResult of(TransactionReceipt r) {
        return new TxResult(r.getTransactionHash(), r.getGasUsed().longValueExact(), r.getBlockNumber().longValueExact(), r);
    }
}
