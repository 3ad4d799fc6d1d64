package io.gridchain.scheduler.certification;

import io.gridchain.api.WorkerApi.Entry;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.chain.BlockHashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import java.util.List;

/** The {@link CertificationChain} of a running scheduler: the hub, through the pool owner's {@link GridClient}. */
public final class Certifier implements CertificationChain {
    private final GridClient hub;

    public Certifier(GridClient hub) {
        this.hub = hub;
    }

    /** Sends the batch; its workers' signatures must all be in. */
    @Override
    public TxResult submit(PreparedBatch p) {
        if (!p.ready()) throw new IllegalStateException("batch " + p.id() + " still waits for signatures");
        List<byte[]> sigs = new ArrayList<>();
        for (String w : p.batch.workers()) sigs.add(p.signatures.get(w));
        return hub.finalizeBatch(p.deal().record(), p.batch, sigs);
    }

    /** The receipt's block must still be the canonical one at its height, and {@code confirmations} below the head. */
    @Override
    public Depth depth(TxResult tx, int confirmations) {
        Web3j web3j = hub.protocol().chain().web3j();
        Optional<TransactionReceipt> receipt;
        try {
            receipt = web3j.ethGetTransactionReceipt(tx.hash()).send().getTransactionReceipt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (receipt.isEmpty()) return Depth.REMOVED;
        long block = receipt.get().getBlockNumber().longValueExact();
        if (!receipt.get().getBlockHash().equalsIgnoreCase(String.valueOf(BlockHashes.hashAt(web3j, block)))) {
            return Depth.REMOVED;
        }
        return hub.protocol().chain().blockNumber() - block >= confirmations ? Depth.CONFIRMED : Depth.PENDING;
    }

    @Override
    public void reorganised() {
        hub.forgetNonce();
    }

    @Override
    public GridClient.TaskStatus taskStatus(String taskId) {
        return hub.taskStatus(taskId);
    }

    /**
     * Recovering the key is the costly part of a signature, and needs nothing of the batch's mutable state, so the
     * room runs it without the scheduler's lock.
     */
    @Override
    public boolean signs(String worker, List<Entry> entries, byte[] signature) {
        List<Contributions.Entry> chain = entries.stream()
                .map(e -> new Contributions.Entry(e.taskId(), e.digest())).toList();
        String signer = Contributions.signerOf(hub.protocol().domain(), Contributions.commitment(worker, chain),
                signature);
        return signer != null && signer.equalsIgnoreCase(worker);
    }
}
