package io.gridchain.market;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.GridHub;
import io.gridchain.contracts.GridHubExtension;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.BlockHashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/** Read-only view of a deployment: the hub and the three registries. The market never sends transactions. */
public class ChainView {
    /**
     * A workerpool's standing on-chain: its owner, the owner's bond in its own pool, whether the owner asked for it
     * back (the hub then refuses the pool's deals), and the owner's reputation (+1 per certified priced task, -10 per
     * refunded one).
     */
    public record PoolStanding(String owner, BigInteger bond, boolean leaving, long reputation) {
        public boolean registered() {
            return !Words.ZERO_ADDRESS.equals(owner);
        }
    }

    /** Hashes of orders touched (matched or cancelled) in a block range, and the next block to scan. */
    public record Touched(Set<String> hashes, long nextBlock) {}

    static final long MAX_RANGE = 5_000;
    static final BigInteger CANCELLED = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    private static final String ERC1271_MAGIC = "0x1626ba7e";
    /**
     * Gas an off-chain ERC-1271 check may burn: a signer contract is untrusted code, and an uncapped eth_call runs
     * it up to the node's limit (a block's gas) for every publication that names it.
     */
    static final BigInteger ERC1271_GAS = BigInteger.valueOf(100_000);
    private static final String DEAL_CREATED = EventEncoder.encode(GridHub.DEALCREATED_EVENT);
    private static final String ORDER_CANCELLED = EventEncoder.encode(GridHub.ORDERCANCELLED_EVENT);

    private final Protocol protocol;
    private final Web3j web3j;
    private final GridHub hub;
    private final GridHubExtension extension;
    private final AppRegistry apps;
    private final DatasetRegistry datasets;
    private final WorkerpoolRegistry workerpools;

    public ChainView(Protocol protocol) {
        this.protocol = protocol;
        this.web3j = protocol.chain().web3j();
        var tm = new ReadonlyTransactionManager(web3j, Words.ZERO_ADDRESS);
        var gas = new DefaultGasProvider();
        Protocol.Addresses a = protocol.addresses();
        this.hub = GridHub.load(a.hub(), web3j, tm, gas);
        // the extension's functions (bonds among them) are served at the hub's address
        this.extension = GridHubExtension.load(a.hub(), web3j, tm, gas);
        this.apps = AppRegistry.load(a.apps(), web3j, tm, gas);
        this.datasets = DatasetRegistry.load(a.datasets(), web3j, tm, gas);
        this.workerpools = WorkerpoolRegistry.load(a.workerpools(), web3j, tm, gas);
    }

    public Protocol protocol() {
        return protocol;
    }

    public String appOwner(String app) {
        return Words.canonical(GridClient.call(() -> apps.ownerOfAsset(app).send()));
    }

    public String datasetOwner(String dataset) {
        return Words.canonical(GridClient.call(() -> datasets.ownerOfAsset(dataset).send()));
    }

    public String workerpoolOwner(String pool) {
        return Words.canonical(GridClient.call(() -> workerpools.ownerOfAsset(pool).send()));
    }

    /** {@code pool}'s standing: what a requester weighs before trusting the pool with a run. */
    public PoolStanding poolStanding(String pool) {
        String owner = workerpoolOwner(pool);
        if (Words.ZERO_ADDRESS.equals(owner)) return new PoolStanding(owner, BigInteger.ZERO, false, 0);
        var stake = GridClient.call(() -> extension.stakeOf(owner, owner).send());
        var account = GridClient.call(() -> hub.accountOf(owner).send());
        return new PoolStanding(owner, stake.component1(), stake.component4().signum() != 0,
                account.component3().longValueExact());
    }

    /** The description its owner registered for {@code pool}: the owner's own words, not a fact about the pool. */
    public String workerpoolDescription(String pool) {
        return GridClient.call(() -> workerpools.workerpoolOf(pool).send()).description;
    }

    public BigInteger consumedOf(String hash) {
        return GridClient.call(() -> hub.consumedOf(Words.toBytes32(hash)).send());
    }

    /**
     * The volume of order {@code hash} the hub reported consumed at block {@code block} ({@link #CANCELLED} when
     * cancelled): the book applies matches and cancellations only once they have their confirmations.
     */
    public BigInteger consumedOf(String hash, long block) {
        Function f = new Function(GridHub.FUNC_CONSUMEDOF, List.of(new Bytes32(Words.toBytes32(hash))),
                List.of(new TypeReference<Uint256>() {}));
        try {
            var r = web3j.ethCall(Transaction.createEthCallTransaction(Words.ZERO_ADDRESS, protocol.addresses().hub(),
                    FunctionEncoder.encode(f)), DefaultBlockParameter.valueOf(BigInteger.valueOf(block))).send();
            if (r.hasError()) throw new IllegalStateException("consumedOf failed: " + r.getError().getMessage());
            return Numeric.toBigInt(r.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hub: " + e.getMessage(), e);
        }
    }

    /** The hash the node now gives block {@code number}, null when it has none. */
    public String hashAt(long number) {
        return BlockHashes.hashAt(web3j, number);
    }

    public String presignerOf(String hash) {
        return Words.canonical(GridClient.call(() -> hub.presignerOf(Words.toBytes32(hash)).send()));
    }

    public long categoryCount() {
        return GridClient.call(() -> hub.categoryCount().send()).longValueExact();
    }

    public long chainTime() {
        return protocol.chain().latestTimestamp();
    }

    public long blockNumber() {
        return protocol.chain().blockNumber();
    }

    /**
     * ERC-1271: asks {@code signer}'s code whether {@code signature} is valid for {@code digest}, with at most
     * {@link #ERC1271_GAS} gas; a call that runs out of gas or fails is an invalid signature.
     */
    public boolean isValidErc1271(String signer, byte[] digest, byte[] signature) {
        try {
            String code = web3j.ethGetCode(signer, DefaultBlockParameterName.LATEST).send().getCode();
            if (code == null || Numeric.cleanHexPrefix(code).isEmpty()) return false;
            Function f = new Function("isValidSignature", List.of(new Bytes32(digest), new DynamicBytes(signature)),
                    List.of(new TypeReference<Bytes4>() {}));
            Transaction call = new Transaction(Words.ZERO_ADDRESS, null, null, ERC1271_GAS, signer, null,
                    FunctionEncoder.encode(f));
            var r = web3j.ethCall(call, DefaultBlockParameterName.LATEST).send();
            if (r.hasError() || r.getValue() == null || Numeric.cleanHexPrefix(r.getValue()).length() < 8) return false;
            return r.getValue().toLowerCase().startsWith(ERC1271_MAGIC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Scans DealCreated and OrderCancelled logs of the hub from {@code fromBlock} up to {@code latest} (at most
     * {@value #MAX_RANGE} blocks).
     */
    public Touched touched(long fromBlock, long latest) {
        try {
            if (fromBlock > latest) return new Touched(Set.of(), fromBlock);
            long to = Math.min(latest, fromBlock + MAX_RANGE - 1);
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), protocol.addresses().hub());
            filter.addOptionalTopics(DEAL_CREATED, ORDER_CANCELLED);
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            Set<String> hashes = new LinkedHashSet<>();
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log log = (Log) result.get();
                String topic0 = log.getTopics().get(0);
                if (DEAL_CREATED.equalsIgnoreCase(topic0)) {
                    GridHub.DealTerms t = GridHub.getDealCreatedEventFromLog(log).terms;
                    for (byte[] h : new ArrayList<>(List.of(t.appOrderHash, t.datasetOrderHash, t.workerpoolOrderHash,
                            t.requestOrderHash))) {
                        hashes.add(Words.hex(h));
                    }
                } else if (ORDER_CANCELLED.equalsIgnoreCase(topic0) && log.getTopics().size() > 2) {
                    hashes.add(log.getTopics().get(2).toLowerCase());
                }
            }
            hashes.remove(Words.ZERO_BYTES32);
            return new Touched(hashes, to + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hub's logs: " + e.getMessage(), e);
        }
    }
}
