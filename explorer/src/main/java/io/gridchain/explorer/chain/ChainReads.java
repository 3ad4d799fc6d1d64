package io.gridchain.explorer.chain;

import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.ChainClient;
import java.util.Optional;
import org.web3j.crypto.Credentials;

/**
 * What the pages read live from the chain rather than from the index: current balances, bonds and reputations, a
 * task's status and digest, a pool's published API URL and allowlist, an asset's registered entry. Calls only: the
 * account is a throwaway key that never signs a transaction.
 */
public final class ChainReads implements AutoCloseable {
    private final ChainClient chain;
    private final GridClient reader;

    public ChainReads(String rpcUrl, Protocol.Addresses addresses) {
        chain = ChainClient.connect(rpcUrl);
        reader = Protocol.at(chain, addresses).as(Credentials.create("0x1"));
    }

    public GridClient.TaskStatus taskStatus(String taskId) {
        return reader.taskStatus(taskId);
    }

    public GridClient.TaskStatus taskStatusAt(String taskId, long block) {
        return reader.taskStatusAt(taskId, block);
    }

    /** The certified digest, empty before the task is finalized. */
    public Optional<String> digest(String taskId) {
        String d = reader.resultDigest(taskId);
        return d.matches("0x0*") ? Optional.empty() : Optional.of(d);
    }

    public Balance balance(String account) {
        return reader.balanceOf(account);
    }

    /** {@code worker}'s standing in the pool of {@code scheduler}; a pool owner's own entry is its pool's bond. */
    public PoolStake stake(String scheduler, String worker) {
        return reader.stakeOf(scheduler, worker);
    }

    public Optional<String> poolApiUrl(String pool) {
        return reader.poolApiUrl(pool);
    }

    public boolean allowlistOnly(String pool) {
        return reader.allowlistOnly(pool);
    }

    public boolean workerAllowed(String pool, String worker) {
        return reader.workerAllowed(pool, worker);
    }

    /** A registered app or dataset as its registry holds it. */
    public record Asset(String name, String kind, String uri, String checksum) {}

    public Asset app(String app) {
        var a = GridClient.call(() -> reader.apps().appOf(app).send());
        return new Asset(a.name, a.kind, a.uri, Words.hex(a.checksum));
    }

    public Asset dataset(String dataset) {
        var d = GridClient.call(() -> reader.datasets().datasetOf(dataset).send());
        return new Asset(d.name, "dataset", d.uri, Words.hex(d.checksum));
    }

    public long blockNumber() {
        return chain.blockNumber();
    }

    @Override
    public void close() {
        chain.close();
    }
}
