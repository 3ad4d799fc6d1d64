package io.gridchain.protocol.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A connection to any Ethereum JSON-RPC node. Hands out one {@link TxSender} per account so
 * that nonces are managed in one place even when several threads send concurrently.
 */
public final class ChainClient implements AutoCloseable {
    private final String rpcUrl;
    private final HttpService service;
    private final Web3j web3j;
    private final long chainId;
    private final Map<String, TxSender> senders = new ConcurrentHashMap<>();

    private ChainClient(String rpcUrl, HttpService service, Web3j web3j, long chainId) {
        this.rpcUrl = rpcUrl;
        this.service = service;
        this.web3j = web3j;
        this.chainId = chainId;
    }

    /** Connects to {@code rpcUrl}; fails with a one-line message when nothing answers there. */
    public static ChainClient connect(String rpcUrl) {
        HttpService service = new HttpService(rpcUrl);
        Web3j web3j = Web3j.build(service, 50, java.util.concurrent.Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "web3j-poll");
            t.setDaemon(true);
            return t;
        }));
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            return new ChainClient(rpcUrl, service, web3j, chainId);
        } catch (IOException | RuntimeException e) {
            web3j.shutdown();
            throw new ChainUnreachableException("cannot reach an Ethereum node at " + rpcUrl
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "): check the RPC URL and that the node is running");
        }
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public Web3j web3j() {
        return web3j;
    }

    HttpService service() {
        return service;
    }

    public long chainId() {
        return chainId;
    }

    public TxSender sender(Credentials credentials) {
        return senders.computeIfAbsent(credentials.getAddress().toLowerCase(), a -> new TxSender(this, credentials));
    }

    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest block's number and timestamp (seconds). */
    public record Head(long number, long timestamp) {}

    /** The latest block, read in one call. */
    public Head head() {
        try {
            var block = web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
                    .send().getBlock();
            return new Head(block.getNumber().longValueExact(), block.getTimestamp().longValueExact());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The latest block, {@code last} itself if no block came since: a poller then pays one small call
     * ({@code eth_blockNumber}) instead of reading and parsing a block header.
     */
    public Head head(Head last) {
        if (last != null && blockNumber() == last.number()) return last;
        return head();
    }

    /** Timestamp of the latest block, the clock deadlines are measured against. */
    public long latestTimestamp() {
        return head().timestamp();
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
