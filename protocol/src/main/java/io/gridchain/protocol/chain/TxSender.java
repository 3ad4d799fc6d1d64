package io.gridchain.protocol.chain;

import io.gridchain.protocol.errors.RevertDecoder;
import io.gridchain.protocol.errors.RevertException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.utils.Numeric;

/**
 * Sends one account's transactions fast and safely:
 * <ul>
 *   <li>gas is estimated first, so a transaction that would revert is refused before it costs
 *       anything, with its custom error decoded into a readable message (unless the caller bounds the gas
 *       itself: {@link #send(String, String, BigInteger, BigInteger)});</li>
 *   <li>EIP-1559 fees (type 2) from the node's base fee and tip, or the user's {@link FeePolicy}; a legacy gas
 *       price only on chains whose blocks have no base fee;</li>
 *   <li>nonces are assigned locally, so several threads can send concurrently, starting from the node's pending
 *       count (so a restarted process continues after its own pending transactions);</li>
 *   <li>the receipt comes back from {@code eth_sendRawTransactionSync} where the node has it, or from polling; a
 *       transaction without receipt in time is re-bid with the same nonce ({@link Broadcast});</li>
 *   <li>an account that cannot pay the gas gets an {@link InsufficientFundsException} naming the shortfall.</li>
 * </ul>
 * Used directly or as the TransactionManager of generated contract wrappers.
 */
public final class TxSender extends TransactionManager {
    private static final Logger log = LoggerFactory.getLogger(TxSender.class);

    private final ChainClient chain;
    private final Web3j web3j;
    private final Credentials credentials;
    private final Object nonceLock = new Object();
    private long nextNonce = -1; // guarded by nonceLock
    /** The nonces of the intents this sender is carrying now: never taken for gap fillers. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean syncSupported = true;

    TxSender(ChainClient chain, Credentials credentials) {
        super(chain.web3j(), credentials.getAddress());
        this.chain = chain;
        this.web3j = chain.web3j();
        this.credentials = credentials;
    }

    public Credentials credentials() {
        return credentials;
    }

    public String address() {
        return credentials.getAddress();
    }

    /** Sends a call to {@code to} (null deploys {@code data}) and returns its successful receipt. */
    public TransactionReceipt send(String to, String data, BigInteger value) {
        BigInteger gas;
        try {
            gas = estimate(to, data, value);
        } catch (IOException e) {
            throw new UncheckedIOException("RPC failure at " + chain.rpcUrl() + ": " + e.getMessage(), e);
        }
        return send(to, data, value, gas.add(gas.divide(BigInteger.valueOf(5))).add(BigInteger.valueOf(10_000)));
    }

    /**
     * Sends a call whose gas the caller bounds, without estimating it first: the node executes it once instead of
     * once per step of its estimate's search. For calls whose cost is known in advance, like a batch of known size.
     * A revert is then mined (it costs gas) and thrown, its reason read by replaying the call.
     */
    public TransactionReceipt send(String to, String data, BigInteger value, BigInteger gasLimit) {
        try {
            TransactionReceipt receipt = sendSigned(to, data, value, gasLimit);
            if (!receipt.isStatusOK()) throw replayRevert(to, data, value, receipt);
            return receipt;
        } catch (IOException e) {
            throw new UncheckedIOException("RPC failure at " + chain.rpcUrl() + ": " + e.getMessage(), e);
        }
    }

    private BigInteger estimate(String to, String data, BigInteger value) throws IOException {
        Transaction tx = Transaction.createFunctionCallTransaction(address(), null, null, null, to, value, data);
        EthEstimateGas est = web3j.ethEstimateGas(tx).send();
        if (est.hasError()) throw revertOf(est.getError());
        return est.getAmountUsed();
    }

    private TransactionReceipt sendSigned(String to, String data, BigInteger value, BigInteger gasLimit)
            throws IOException {
        return new Broadcast(this, to, data, value, gasLimit).run();
    }

    // ---------------------------------------------------------------- what a Broadcast uses

    ChainClient chain() {
        return chain;
    }

    FeeQuote fees() {
        return chain.feeQuote();
    }

    /** The next nonce: the node's pending count at first use, then counted here (threads share the counter). */
    long takeNonce() throws IOException {
        synchronized (nonceLock) {
            if (nextNonce < 0) nextNonce = pendingCount();
            inFlight.add(nextNonce);
            return nextNonce++;
        }
    }

    /**
     * Whether an error code says the node lacks a method: -32601 is JSON-RPC's "method not found"
     * (geth, anvil), -32004 EIP-1474's "method not supported" (Hardhat's EDR).
     */
    static boolean methodMissing(int code) {
        return code == -32601 || code == -32004;
    }

    /**
     * Forgets the local nonce counter: the next send reads it from the node. A reorganisation that dropped this
     * account's mined transactions (anvil_rollback does) leaves the counter ahead of the chain.
     */
    public void forgetNonce() {
        synchronized (nonceLock) {
            nextNonce = -1;
        }
    }

    /** A nonce taken but refused by the node before it was accepted: given back, or the counter re-read. */
    void releaseNonce(long nonce) {
        synchronized (nonceLock) {
            inFlight.remove(nonce);
            // taken last: simply given back; else later nonces are in flight and the node's count decides next time
            nextNonce = nextNonce == nonce + 1 ? nonce : -1;
        }
    }

    /** The nonce went to another transaction of this key (another process): a nonce past the node's pending count. */
    long renonce(long lost) throws IOException {
        synchronized (nonceLock) {
            inFlight.remove(lost);
            nextNonce = Math.max(nextNonce, pendingCount());
            inFlight.add(nextNonce);
            return nextNonce++;
        }
    }

    /** The intent of {@code nonce} is over (mined or given up). */
    void done(long nonce) {
        inFlight.remove(nonce);
    }

    /**
     * Fills the nonces below {@code nonce} that the chain has not mined and that no intent of this sender holds:
     * left by a process that died with a transaction pending which was then dropped or stays stuck, they keep every
     * later transaction of the key from being mined. Each gets an empty transfer to the account itself, bid up until
     * the node takes it in place of whatever waits there. Cancelling the dead process's intent is the point: nobody
     * waits for its receipt, and a live sender whose intent is cancelled this way sends it again ("nonce too low").
     */
    void fillGapsBelow(long nonce) throws IOException {
        long mined = web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
        for (long k = mined; k < nonce; k++) {
            if (!inFlight.contains(k)) fill(k);
        }
    }

    private void fill(long nonce) throws IOException {
        FeeQuote fees = chain.feeQuote();
        for (int attempt = 0; attempt <= Fees.MAX_BUMPS + 2; attempt++) {
            Signed tx = sign(nonce, fees, address(), "0x", BigInteger.ZERO, BigInteger.valueOf(21_000));
            EthSendTransaction sent = web3j.ethSendRawTransaction(tx.hex()).send();
            Fees.Refusal refusal = sent.hasError() ? Fees.classify(sent.getError().getMessage()) : null;
            if (refusal == null || refusal == Fees.Refusal.ALREADY_KNOWN) {
                log.warn("nonce {} of {} blocked later transactions (left by an earlier process?): filled by {}", nonce,
                        address(), tx.hash());
                return;
            }
            if (refusal != Fees.Refusal.UNDERPRICED && refusal != Fees.Refusal.BELOW_BASE_FEE) return; // mined since
            var next = Fees.bump(fees, chain.feePolicy());
            if (next.isEmpty()) return;
            fees = next.get();
        }
    }

    private long pendingCount() throws IOException {
        return web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING).send()
                .getTransactionCount().longValueExact();
    }

    /** A signed transaction and its hash. */
    record Signed(String hash, String hex) {}

    Signed sign(long nonce, FeeQuote fees, String to, String data, BigInteger value, BigInteger gasLimit) {
        BigInteger n = BigInteger.valueOf(nonce);
        RawTransaction raw;
        if (fees.legacy()) {
            raw = to == null
                    ? RawTransaction.createContractTransaction(n, fees.maxFeePerGas(), gasLimit, value, data)
                    : RawTransaction.createTransaction(n, fees.maxFeePerGas(), gasLimit, to, value, data);
        } else {
            // an empty "to" encodes a contract creation
            raw = RawTransaction.createTransaction(chain.chainId(), n, gasLimit, to == null ? "" : to, value, data,
                    fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        }
        String hex = Numeric.toHexString(TransactionEncoder.signMessage(raw, chain.chainId(), credentials));
        return new Signed(Hash.sha3(hex), hex);
    }

    /** Whether the node offers {@code eth_sendRawTransactionSync}: true until it says it has no such method. */
    boolean syncSupported() {
        return syncSupported;
    }

    void syncUnsupported() {
        syncSupported = false;
    }

    InsufficientFundsException insufficientFunds(FeeQuote fees, BigInteger gasLimit, BigInteger value)
            throws IOException {
        BigInteger balance = web3j.ethGetBalance(address(), DefaultBlockParameterName.LATEST).send().getBalance();
        return new InsufficientFundsException(address(), balance, fees.maxCost(gasLimit, value));
    }

    private RevertException replayRevert(String to, String data, BigInteger value, TransactionReceipt receipt)
            throws IOException {
        Transaction tx = Transaction.createFunctionCallTransaction(address(), null, null, receipt.getGasUsed(), to,
                value, data);
        BigInteger block = receipt.getBlockNumber().subtract(BigInteger.ONE).max(BigInteger.ZERO);
        EthCall call = web3j.ethCall(tx, DefaultBlockParameter.valueOf(block)).send();
        if (call.hasError()) return revertOf(call.getError());
        return new RevertException("Reverted", "transaction " + receipt.getTransactionHash()
                + " reverted on-chain (out of gas or state changed while it was pending)");
    }

    static RevertException revertOf(Response.Error error) {
        return RevertDecoder.decodeRpcError(error.getMessage(), error.getData());
    }

    // ---------------------------------------------------------------- web3j TransactionManager

    @Override
    protected TransactionReceipt executeTransaction(BigInteger gasPrice, BigInteger gasLimit, String to, String data,
            BigInteger value, boolean constructor) {
        return send(constructor ? null : to, data, value);
    }

    @Override
    public EthSendTransaction sendTransaction(BigInteger gasPrice, BigInteger gasLimit, String to, String data,
            BigInteger value, boolean constructor) {
        TransactionReceipt receipt = send(constructor ? null : to, data, value);
        EthSendTransaction response = new EthSendTransaction();
        response.setResult(receipt.getTransactionHash());
        return response;
    }

    @Override
    public EthSendTransaction sendEIP1559Transaction(long chainId, BigInteger maxPriorityFeePerGas,
            BigInteger maxFeePerGas, BigInteger gasLimit, String to, String data, BigInteger value,
            boolean constructor) {
        return sendTransaction(maxFeePerGas, gasLimit, to, data, value, constructor);
    }

    @Override
    public String sendCall(String to, String data, DefaultBlockParameter block) throws IOException {
        EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(address(), to, data), block).send();
        if (call.hasError()) throw revertOf(call.getError());
        return call.getValue();
    }

    @Override
    public EthGetCode getCode(String address, DefaultBlockParameter block) throws IOException {
        return web3j.ethGetCode(address, block).send();
    }
}
