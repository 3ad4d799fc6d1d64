package io.gridchain.protocol.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final FeeOracle fees;
    /** Runs the bounded eth_sendRawTransactionSync calls; daemon threads, so a forgotten close never holds the JVM. */
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gridchain-tx-sync");
        t.setDaemon(true);
        return t;
    });
    private volatile FeePolicy feePolicy;
    private volatile Duration receiptTimeout = DEFAULT_RECEIPT_TIMEOUT;

    /** How long a transaction may go without receipt before it is looked up and, if dropped or stuck, re-bid. */
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(30);

    private ChainClient(String rpcUrl, HttpService service, Web3j web3j, long chainId, FeePolicy feePolicy) {
        this.rpcUrl = rpcUrl;
        this.service = service;
        this.web3j = web3j;
        this.chainId = chainId;
        this.fees = new FeeOracle(web3j);
        this.feePolicy = feePolicy;
    }

    /**
     * Connects to {@code rpcUrl}, bidding the fees $GRIDCHAIN_MAX_FEE_GWEI and $GRIDCHAIN_PRIORITY_FEE_GWEI set, else
     * the node's ({@link FeePolicy#fromEnv}); fails with a one-line message when nothing answers there.
     */
    public static ChainClient connect(String rpcUrl) {
        return connect(rpcUrl, FeePolicy.fromEnv(System.getenv()));
    }

    /** Connects to {@code rpcUrl}, its transactions bidding as {@code feePolicy} says. */
    public static ChainClient connect(String rpcUrl, FeePolicy feePolicy) {
        HttpService service = new HttpService(rpcUrl);
        Web3j web3j = Web3j.build(service, 50, Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "web3j-poll");
            t.setDaemon(true);
            return t;
        }));
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            return new ChainClient(rpcUrl, service, web3j, chainId, feePolicy);
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

    ExecutorService async() {
        return async;
    }

    public FeePolicy feePolicy() {
        return feePolicy;
    }

    public ChainClient feePolicy(FeePolicy policy) {
        this.feePolicy = policy;
        return this;
    }

    public Duration receiptTimeout() {
        return receiptTimeout;
    }

    /** Sets how long a transaction may go without receipt before it is re-bid; tests shorten it. */
    public ChainClient receiptTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("receipt timeout must be > 0");
        this.receiptTimeout = timeout;
        return this;
    }

    /** The fees a new transaction bids now (read from the node at most once a second). */
    public FeeQuote feeQuote() {
        try {
            return fees.quote(feePolicy);
        } catch (IOException e) {
            throw new UncheckedIOException("RPC failure at " + rpcUrl + ": " + e.getMessage(), e);
        }
    }

    void invalidateFees() {
        fees.invalidate();
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
        async.shutdownNow();
        web3j.shutdown();
    }
}
