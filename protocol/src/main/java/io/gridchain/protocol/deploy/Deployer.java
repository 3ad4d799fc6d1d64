package io.gridchain.protocol.deploy;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.GridHub;
import io.gridchain.contracts.GridHubExtension;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.chain.TxSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Puts gridchain's contracts on a chain the way a real network needs: one contract at a time, each confirmed
 * {@code confirmations} blocks deep and its code verified before the next, every step recorded in a {@link Journal} so
 * that a second run resumes or recognises the deployment instead of making another set.
 *
 * <p>Verification replays the creation: an {@code eth_call} of the same creation data, from the deployer, in the state
 * just before the deployment's block, returns the runtime code the constructor produced there (immutables included,
 * and the same address since the deployer's nonce is the same); the code at the address must be exactly that.
 */
public final class Deployer {
    /** The steps in order; {@code token} is deployed only for a DevToken, else the given token is recorded. */
    public static final List<String> STEPS = List.of("token", "apps", "datasets", "workerpools", "extension", "hub");

    /** Gas for replaying a creation: under the per-transaction cap of EIP-7825 (16,777,216), above any of ours. */
    private static final BigInteger REPLAY_GAS = BigInteger.valueOf(16_000_000);
    private static final long POLL_MILLIS = 250;

    /** What the caller is told as the deployment goes. */
    public interface Progress {
        void step(String step, String address, String what);
    }

    /** The deployment: its addresses, the journal as it ends, and whether anything was sent by this run. */
    public record Result(Protocol.Addresses addresses, Journal journal, boolean sentNothing, boolean resumed) {}

    /** A contract found at a journal's address whose code is not what was deployed there. */
    public static final class TamperedException extends RuntimeException {
        TamperedException(String message) {
            super(message);
        }
    }

    private final ChainClient chain;
    private final Web3j web3j;
    private final TxSender sender;
    private final Credentials deployer;
    private final long confirmations;
    private final Progress progress;

    public Deployer(ChainClient chain, Credentials deployer, long confirmations, Progress progress) {
        this.chain = chain;
        this.web3j = chain.web3j();
        this.sender = chain.sender(deployer);
        this.deployer = deployer;
        this.confirmations = confirmations;
        this.progress = progress;
    }

    /**
     * Deploys what {@code journal} lacks, writing it to {@code file} after each contract. {@code token} is the currency
     * when the journal is not for a DevToken.
     */
    public Result deploy(Journal journal, Path file, String token) {
        boolean resumed = !journal.contracts().isEmpty();
        long gasBefore = journal.gasUsed();
        String owner = deployer.getAddress();
        if (journal.devToken()) {
            journal = step(journal, file, "token", DevToken.BINARY, List.of(new Address(owner)));
        } else if (journal.entry("token").isEmpty()) {
            // recorded so that a second run prints the deployment with the token its hub was made with, whatever
            // --token that run is given (the command refuses another one)
            journal = journal.with("token", new Journal.Entry(token, codeHash(token)), 0, BigInteger.ZERO);
            journal.write(file);
        }
        token = journal.entry("token").orElseThrow().address();
        for (String registry : List.of("apps", "datasets", "workerpools")) {
            String binary = switch (registry) {
                case "apps" -> AppRegistry.BINARY;
                case "datasets" -> DatasetRegistry.BINARY;
                default -> WorkerpoolRegistry.BINARY;
            };
            journal = step(journal, file, registry, binary, List.of());
        }
        String apps = journal.entry("apps").orElseThrow().address();
        String datasets = journal.entry("datasets").orElseThrow().address();
        String pools = journal.entry("workerpools").orElseThrow().address();
        List<Type> shared = List.of(new Address(token), new Address(apps), new Address(datasets), new Address(pools),
                new Address(owner), new Uint256(Protocol.MIN_POOL_BOND));
        journal = step(journal, file, "extension", GridHubExtension.BINARY, shared);
        String extension = journal.entry("extension").orElseThrow().address();
        List<Type> hubArgs = new java.util.ArrayList<>(shared);
        hubArgs.add(new Address(extension));
        journal = step(journal, file, "hub", GridHub.BINARY, hubArgs);
        String hub = journal.entry("hub").orElseThrow().address();
        // every deployment costs gas: none spent means this run sent nothing
        boolean sentNothing = journal.gasUsed() == gasBefore;
        return new Result(new Protocol.Addresses(token, hub, apps, datasets, pools), journal, sentNothing, resumed);
    }

    /** Checks a recorded contract, or deploys, confirms, verifies and records it. */
    private Journal step(Journal journal, Path file, String step, String binary, List<Type> args) {
        Optional<Journal.Entry> recorded = journal.entry(step);
        if (recorded.isPresent()) {
            String hash = codeHash(recorded.get().address());
            if (!hash.equals(recorded.get().codeHash())) {
                throw new TamperedException("the journal " + file + " records " + step + " at "
                        + recorded.get().address() + " but the code there is not what was deployed (code hash " + hash
                        + "): move the journal aside and deploy again with --new");
            }
            progress.step(step, recorded.get().address(), "already deployed, code unchanged");
            return journal;
        }
        String creation = binary + FunctionEncoder.encodeConstructor(args);
        progress.step(step, null, "deploying");
        TransactionReceipt receipt = sender.send(null, creation, BigInteger.ZERO);
        String address = receipt.getContractAddress();
        receipt = confirmed(step, receipt);
        String hash = verify(step, address, creation, receipt.getBlockNumber());
        BigInteger price = receipt.getEffectiveGasPrice() == null ? BigInteger.ZERO
                : Numeric.decodeQuantity(receipt.getEffectiveGasPrice());
        Journal next = journal.with(step, new Journal.Entry(address, hash), receipt.getGasUsed().longValueExact(),
                receipt.getGasUsed().multiply(price));
        next.write(file);
        progress.step(step, address, (confirmations > 0 ? confirmations + " confirmation(s), " : "") + "code verified");
        return next;
    }

    /** Waits until the receipt's block has {@code confirmations} blocks on top and is still on the chain. */
    private TransactionReceipt confirmed(String step, TransactionReceipt receipt) {
        if (confirmations == 0) return receipt;
        long target = receipt.getBlockNumber().longValueExact() + confirmations;
        try {
            while (chain.blockNumber() < target) Thread.sleep(POLL_MILLIS);
            Optional<TransactionReceipt> now = web3j.ethGetTransactionReceipt(receipt.getTransactionHash()).send()
                    .getTransactionReceipt();
            if (now.isEmpty() || !now.get().getBlockHash().equals(receipt.getBlockHash())) {
                throw new IllegalStateException("the deployment of " + step + " (" + receipt.getTransactionHash()
                        + ") left the chain in a reorganisation: run deploy again to resume");
            }
            return now.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for confirmations of " + step, e);
        } catch (IOException e) {
            throw new UncheckedIOException("RPC failure at " + chain.rpcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** The code at {@code address} must be what replaying the creation just before its block produces. */
    private String verify(String step, String address, String creation, BigInteger block) {
        try {
            String code = code(address);
            if (Numeric.hexStringToByteArray(code).length == 0) {
                throw new TamperedException("no code at " + address + " after deploying " + step);
            }
            Transaction replay = Transaction.createFunctionCallTransaction(deployer.getAddress(), null, null,
                    REPLAY_GAS, null, BigInteger.ZERO, creation);
            BigInteger before = block.subtract(BigInteger.ONE).max(BigInteger.ZERO);
            EthCall expected = web3j.ethCall(replay, DefaultBlockParameter.valueOf(before)).send();
            if (expected.hasError()) {
                throw new IllegalStateException("cannot verify " + step + " at " + address + ": the node at "
                        + chain.rpcUrl() + " cannot replay its creation at block " + before + " ("
                        + expected.getError().getMessage() + "); use a node that keeps recent state");
            }
            if (!Numeric.cleanHexPrefix(expected.getValue()).equalsIgnoreCase(Numeric.cleanHexPrefix(code))) {
                throw new TamperedException("the code at " + address + " is not what deploying " + step
                        + " produces: the node or a front-runner interfered; deploy again with --new");
            }
            return Hash.sha3(code);
        } catch (IOException e) {
            throw new UncheckedIOException("RPC failure at " + chain.rpcUrl() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a currency that is not an ERC-20 contract: no code, or no answer to totalSupply, decimals or balanceOf.
     * The message says what to do.
     */
    public void requireErc20(String token) {
        if (Numeric.hexStringToByteArray(code(token)).length == 0) {
            throw new IllegalArgumentException("--token " + token + " is not a contract on chain " + chain.chainId()
                    + " (no code there): give the address of an ERC-20 token, or --dev-token to deploy a test token");
        }
        String holder = Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(deployer.getAddress()), 64);
        for (String[] call : new String[][] {{"totalSupply()", "0x18160ddd"}, {"decimals()", "0x313ce567"},
                {"balanceOf(address)", "0x70a08231" + holder}}) {
            try {
                EthCall answer = web3j.ethCall(Transaction.createEthCallTransaction(deployer.getAddress(), token,
                        call[1]), DefaultBlockParameterName.LATEST).send();
                if (answer.hasError() || Numeric.hexStringToByteArray(answer.getValue()).length < 32) {
                    throw new IllegalArgumentException("--token " + token + " does not answer " + call[0]
                            + " like an ERC-20 token: give the address of an ERC-20 token, or --dev-token");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("RPC failure at " + chain.rpcUrl() + ": " + e.getMessage(), e);
            }
        }
    }

    private String code(String address) {
        try {
            String code = web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode();
            return code == null ? "0x" : code;
        } catch (IOException e) {
            throw new UncheckedIOException("RPC failure at " + chain.rpcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** The keccak-256 of the code at {@code address} (of empty code when there is none). */
    public String codeHash(String address) {
        return Hash.sha3(code(address));
    }
}
