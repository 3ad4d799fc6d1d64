package io.gridchain.sms.release;

import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.util.Optional;

/** Reads what {@link ReleaseRules} decides on from the chain, at its latest block. */
public final class ChainFacts {
    private final GridClient chain;

    public ChainFacts(GridClient chain) {
        this.chain = chain;
    }

    public long chainId() {
        return chain.protocol().chain().chainId();
    }

    public String hub() {
        return chain.protocol().addresses().hub();
    }

    /** The facts of the task a release asks for; empty if the chain holds no such deal. */
    public Optional<DealFacts> of(SmsApi.Release r) {
        Optional<DealRecord> found;
        try {
            found = chain.dealById(r.dealId());
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        if (found.isEmpty()) return Optional.empty();
        DealRecord d = found.get();
        long volume = d.deal().volume().longValueExact();
        boolean inRange = r.taskIndex() >= 0 && r.taskIndex() < volume;
        String taskId = inRange ? d.taskId(r.taskIndex()) : null;
        boolean taskFinal = inRange && switch (chain.taskStatus(taskId)) {
            case FINALIZED, CLAIMED -> true;
            default -> false;
        };
        String pool = Words.canonical(d.terms().workerpool());
        String authorizer = taskId == null ? null
                : Signatures.authorizer(chainId(), hub(), taskId, r.worker(), r.authorization()).orElse(null);
        return Optional.of(new DealFacts(d.dealId(), taskId, volume, Words.canonical(d.deal().requester()),
                Words.canonical(d.terms().app()), Words.canonical(d.terms().dataset()), pool,
                Words.canonical(d.deal().scheduler()), d.deal().deadline(), chain.protocol().chain().latestTimestamp(),
                taskFinal, chain.allowlistOnly(pool), chain.workerAllowed(pool, r.worker()), authorizer,
                secretsNamed(d.terms().params())));
    }

    /** The {@code "secrets"} of a deal's JSON params (docs/CONFIDENTIALITY.md); none for plain arguments. */
    static java.util.List<String> secretsNamed(String params) {
        if (params == null || !params.strip().startsWith("{")) return java.util.List.of();
        try {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (var name : JSON.readTree(params).path("secrets")) out.add(name.asText());
            return out;
        } catch (java.io.IOException notJson) {
            return java.util.List.of();
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The current owner of a secret's subject: the asset's owner, or the requester itself; empty if none. */
    public Optional<String> ownerOf(SmsApi.Kind kind, String subject) {
        String owner = switch (kind) {
            case DATASET -> GridClient.call(() -> chain.datasets().ownerOfAsset(subject).send());
            case APP -> GridClient.call(() -> chain.apps().ownerOfAsset(subject).send());
            case REQUESTER -> subject;
        };
        return owner == null || owner.equalsIgnoreCase(Words.ZERO_ADDRESS) ? Optional.empty()
                : Optional.of(Words.canonical(owner));
    }
}
