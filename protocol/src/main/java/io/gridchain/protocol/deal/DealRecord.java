package io.gridchain.protocol.deal;

/** A deal as created on-chain: its id, the committed terms, and the off-chain terms. */
public record DealRecord(String dealId, Deal deal, DealTerms terms, long blockNumber) {
    public String taskId(long index) {
        return Deal.taskId(dealId, index);
    }
}
