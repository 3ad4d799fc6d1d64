package io.gridchain.protocol.chain;

import io.gridchain.protocol.chain.Fees.Refusal;
import io.gridchain.protocol.chain.Fees.Seen;
import io.gridchain.protocol.chain.TxSender.Signed;
import io.gridchain.protocol.errors.RevertException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One intent (to, data, value, gas limit) carried until one transaction of it is mined. Every transaction of an
 * intent has the same nonce, so at most one of them can ever be mined: re-bidding never executes an intent twice.
 *
 * <p>The first transaction goes through {@code eth_sendRawTransactionSync} where the node has it (one round trip
 * per transaction on anvil). When no receipt comes within the receipt timeout, the transaction is looked up: one the
 * node forgot (dropped) or still holds (stuck) is replaced with the same nonce and fees raised by 25 %
 * ({@link Fees#onNoReceipt}); the receipt of whichever hash is mined is returned. The node's refusals:
 * "already known" is waited for; "nonce too low" returns the receipt of an earlier hash of this intent if one was
 * mined, else (the nonce went to a transaction this sender did not make, e.g. another process on the same key) takes
 * a fresh nonce; "replacement underpriced" bids again; "insufficient funds" throws {@link InsufficientFundsException}.
 */
final class Broadcast {
    private static final long FIRST_POLL_MS = 10;
    private static final long MAX_POLL_MS = 500;
    /** How often a nonce may turn out taken by someone else before giving up. */
    private static final int MAX_RENONCES = 3;

    private final TxSender sender;
    private final ChainClient chain;
    private final String to;
    private final String data;
    private final BigInteger value;
    private final BigInteger gasLimit;
    private final long timeoutMs;

    private long nonce;
    private FeeQuote fees;
    private final List<String> hashes = new ArrayList<>();
    private Signed last;
    private int bumps;
    private boolean bumpsBlocked;
    private long deadline;

    Broadcast(TxSender sender, String to, String data, BigInteger value, BigInteger gasLimit) {
        this.sender = sender;
        this.chain = sender.chain();
        this.to = to;
        this.data = data;
        this.value = value;
        this.gasLimit = gasLimit;
        this.timeoutMs = chain.receiptTimeout().toMillis();
    }

    TransactionReceipt run() throws IOException {
        nonce = sender.takeNonce();
        try {
            return carry();
        } finally {
            sender.done(nonce);
        }
    }

    private TransactionReceipt carry() throws IOException {
        fees = sender.fees();
        Signed toSend = sign();
        int renonces = 0;
        int rounds = 0;
        while (true) {
            if (toSend != null) {
                Submitted s = submit(toSend);
                if (s.receipt() != null) return s.receipt();
                Refusal refusal = s.refusal();
                if (refusal == null || refusal == Refusal.ALREADY_KNOWN) {
                    if (!hashes.contains(toSend.hash())) hashes.add(toSend.hash());
                    last = toSend;
                    toSend = null;
                } else if (refusal == Refusal.NONCE_TOO_LOW
                        || (refusal == Refusal.UNDERPRICED && hashes.isEmpty())) {
                    // Either a hash of ours was mined, or a transaction we did not make holds this nonce.
                    TransactionReceipt mined = hashes.isEmpty() ? null : awaitReceipt(deadlineIn(timeoutMs));
                    if (mined != null) return mined;
                    if (++renonces > MAX_RENONCES) throw rejected(s.message());
                    nonce = sender.renonce(nonce);
                    hashes.clear();
                    bumps = 0;
                    fees = sender.fees();
                    toSend = sign();
                    continue;
                } else if (refusal == Refusal.UNDERPRICED || refusal == Refusal.BELOW_BASE_FEE) {
                    if (refusal == Refusal.BELOW_BASE_FEE) chain.invalidateFees();
                    Optional<FeeQuote> next = bumps < Fees.MAX_BUMPS + 2 // a refusal does not count as a try
                            ? Fees.replacement(fees, sender.fees(), chain.feePolicy()) : Optional.empty();
                    if (next.isPresent()) {
                        bumps++;
                        fees = next.get();
                        toSend = sign();
                        continue;
                    }
                    if (hashes.isEmpty()) throw rejected(s.message());
                    bumpsBlocked = true;
                    toSend = null;
                } else if (refusal == Refusal.INSUFFICIENT_FUNDS && hashes.isEmpty()) {
                    sender.releaseNonce(nonce);
                    throw sender.insufficientFunds(fees, gasLimit, value);
                } else if (hashes.isEmpty()) {
                    sender.releaseNonce(nonce);
                    throw rejected(s.message());
                } else {
                    // a re-bid refused (for instance one the account cannot pay): wait for what was sent
                    bumpsBlocked = true;
                    toSend = null;
                }
            }
            TransactionReceipt receipt = awaitReceipt(deadline);
            if (receipt != null) return receipt;
            if (++rounds > Fees.MAX_BUMPS + 2) {
                // not an RPC failure: the node answers but mines none of them (fees too low for this chain?)
                throw new IllegalStateException("no transaction of nonce " + nonce + " from " + sender.address()
                        + " was mined after " + rounds + " waits of " + timeoutMs / 1000.0 + " s and " + bumps
                        + " fee raises (last: " + fees + "; transactions " + hashes + "): check the chain's fees,"
                        + " raise --max-fee-gwei, or try again later");
            }
            Seen seen = seen(last.hash());
            if (seen != Seen.MINED) sender.fillGapsBelow(nonce); // a dead process's nonce may hold this one back
            Optional<FeeQuote> bumped = bumpsBlocked ? Optional.empty()
                    : Fees.replacement(fees, sender.fees(), chain.feePolicy());
            switch (Fees.onNoReceipt(seen, bumps, bumped.isPresent())) {
                case REPLACE -> {
                    bumps++;
                    fees = bumped.get();
                    toSend = sign();
                }
                case REBROADCAST -> toSend = last;
                case WAIT -> deadline = deadlineIn(timeoutMs);
            }
        }
    }

    private Signed sign() {
        return sender.sign(nonce, fees, to, data, value, gasLimit);
    }

    private RevertException rejected(String message) {
        return new RevertException("Rejected", "the node rejected the transaction: " + message);
    }

    /** The node's answer to one transaction: a receipt, or a refusal, or neither (accepted, receipt to come). */
    private record Submitted(TransactionReceipt receipt, Refusal refusal, String message) {
        static final Submitted ACCEPTED = new Submitted(null, null, null);
    }

    private Submitted submit(Signed tx) throws IOException {
        deadline = deadlineIn(timeoutMs);
        // Only an intent's first transaction goes the sync way: a node that holds it (automine off, slow blocks)
        // would keep a replacement's call open too.
        if (hashes.isEmpty() && sender.syncSupported()) {
            Submitted s = submitSync(tx);
            if (s != null) return s;
        }
        EthSendTransaction sent = chain.web3j().ethSendRawTransaction(tx.hex()).send();
        if (sent.hasError()) {
            String msg = sent.getError().getMessage();
            return new Submitted(null, Fees.classify(msg), msg);
        }
        return Submitted.ACCEPTED;
    }

    /** Null when the node has no {@code eth_sendRawTransactionSync}. */
    private Submitted submitSync(Signed tx) throws IOException {
        Request<?, EthGetTransactionReceipt> request = new Request<>("eth_sendRawTransactionSync", List.of(tx.hex()),
                chain.service(), EthGetTransactionReceipt.class);
        // Bounded here: the node holds the call until the transaction is mined or its own timeout (30 s on anvil).
        CompletableFuture<EthGetTransactionReceipt> call = CompletableFuture.supplyAsync(() -> {
            try {
                return request.send();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, chain.async());
        EthGetTransactionReceipt answer;
        try {
            answer = call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Sent or not, nobody knows yet: the receipt poll and the lookup after the timeout tell.
            return Submitted.ACCEPTED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending " + tx.hash(), e);
        }
        if (!answer.hasError()) {
            return answer.getTransactionReceipt().map(r -> new Submitted(r, null, null)).orElse(Submitted.ACCEPTED);
        }
        String msg = String.valueOf(answer.getError().getMessage());
        if (TxSender.methodMissing(answer.getError().getCode()) || Fees.isUnknownMethod(msg)) {
            sender.syncUnsupported();
            return null;
        }
        // the node accepted the transaction but gave up waiting for its block
        if (msg.toLowerCase().contains("timeout") || msg.toLowerCase().contains("timed out")) return Submitted.ACCEPTED;
        return new Submitted(null, Fees.classify(msg), msg);
    }

    /** The receipt of any hash of this intent, polled until {@code until} (millis); null when none came. */
    private TransactionReceipt awaitReceipt(long until) throws IOException {
        long pause = FIRST_POLL_MS;
        while (true) {
            for (String hash : hashes) {
                var receipt = chain.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
                if (receipt.isPresent()) return receipt.get();
            }
            long left = until - System.currentTimeMillis();
            if (left <= 0) return null;
            try {
                Thread.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + hashes, e);
            }
            pause = Math.min(pause * 2, MAX_POLL_MS);
        }
    }

    private Seen seen(String hash) throws IOException {
        var tx = chain.web3j().ethGetTransactionByHash(hash).send().getTransaction();
        if (tx.isEmpty()) return Seen.UNKNOWN;
        return tx.get().getBlockNumberRaw() == null ? Seen.PENDING : Seen.MINED;
    }

    private static long deadlineIn(long ms) {
        return System.currentTimeMillis() + ms;
    }
}
