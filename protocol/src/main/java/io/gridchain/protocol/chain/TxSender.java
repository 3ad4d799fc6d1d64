package io.gridchain.protocol.chain;

import io.gridchain.protocol.errors.RevertDecoder;
import io.gridchain.protocol.errors.RevertException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
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
 *   <li>nonces are assigned locally, so several threads can send concurrently;</li>
 *   <li>the receipt comes back from {@code eth_sendRawTransactionSync} where the node has it,
 *       or from polling every 10 ms (web3j's default is 15 s).</li>
 * </ul>
 * Used directly or as the TransactionManager of generated contract wrappers.
 */
public final class TxSender extends TransactionManager {
    private static final long POLL_MS = 10;
    private static final long RECEIPT_TIMEOUT_MS = 120_000;

    private final ChainClient chain;
    private final Web3j web3j;
    private final Credentials credentials;
    private final Object nonceLock = new Object();
    private final AtomicLong nextNonce = new AtomicLong(-1);
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
            BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice();
            TransactionReceipt receipt = sendSigned(to, data, value, gasPrice, gasLimit);
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

    private TransactionReceipt sendSigned(String to, String data, BigInteger value, BigInteger gasPrice,
            BigInteger gasLimit) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long nonce = takeNonce();
            RawTransaction raw = to == null
                    ? RawTransaction.createContractTransaction(BigInteger.valueOf(nonce), gasPrice, gasLimit, value, data)
                    : RawTransaction.createTransaction(BigInteger.valueOf(nonce), gasPrice, gasLimit, to, value, data);
            String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, chain.chainId(), credentials));
            if (syncSupported) {
                EthGetTransactionReceipt sync = new Request<>("eth_sendRawTransactionSync", List.of(signed),
                        chain.service(), EthGetTransactionReceipt.class).send();
                if (!sync.hasError() && sync.getTransactionReceipt().isPresent()) {
                    return sync.getTransactionReceipt().get();
                }
                if (sync.hasError() && methodMissing(sync.getError().getCode())) {
                    syncSupported = false;
                } else if (sync.hasError()) {
                    if (retryNonce(sync.getError(), attempt)) continue;
                    throw new RevertException("Rejected", "the node rejected the transaction: "
                            + sync.getError().getMessage());
                }
            }
            EthSendTransaction sent = web3j.ethSendRawTransaction(signed).send();
            if (sent.hasError()) {
                if (retryNonce(sent.getError(), attempt)) continue;
                throw new RevertException("Rejected", "the node rejected the transaction: " + sent.getError().getMessage());
            }
            return waitForReceipt(sent.getTransactionHash());
        }
    }

    private long takeNonce() throws IOException {
        synchronized (nonceLock) {
            if (nextNonce.get() < 0) {
                nextNonce.set(web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING).send()
                        .getTransactionCount().longValueExact());
            }
            return nextNonce.getAndIncrement();
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
            nextNonce.set(-1);
        }
    }

    /** After a nonce error the local counter is re-read from the node once. */
    private boolean retryNonce(Response.Error error, int attempt) {
        String msg = String.valueOf(error.getMessage()).toLowerCase();
        if (attempt == 0 && msg.contains("nonce")) {
            synchronized (nonceLock) {
                nextNonce.set(-1);
            }
            return true;
        }
        return false;
    }

    private TransactionReceipt waitForReceipt(String hash) throws IOException {
        long deadline = System.currentTimeMillis() + RECEIPT_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            var receipt = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (receipt.isPresent()) return receipt.get();
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + hash, e);
            }
        }
        throw new IOException("no receipt for " + hash + " after " + RECEIPT_TIMEOUT_MS / 1000 + " s");
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
