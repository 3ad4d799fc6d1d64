package io.gridchain.scheduler.chain;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.api.WorkerApi.Confidential;
import io.gridchain.api.WorkerApi.SecretSource;
import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.model.DealView;
import java.io.IOException;
import java.math.BigInteger;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Finds the deals made with this scheduler's pool by polling {@code eth_getLogs} for DealCreated
 * events whose indexed scheduler is this one, in block ranges from a persisted cursor.
 */
public final class DealWatcher {
    /** A scanned range: the deals found and the next block to scan. */
    public record Scan(List<DealView> deals, long nextBlock) {}

    private static final long MAX_RANGE = 5_000;

    /** The pool owner's client: the deals sought name its address as their scheduler. */
    private final GridClient owner;
    private final Web3j web3j;
    private final String hubAddress;

    public DealWatcher(GridClient owner) {
        this.owner = owner;
        this.web3j = owner.protocol().chain().web3j();
        this.hubAddress = owner.protocol().addresses().hub();
    }

    /** The deals created for this scheduler from {@code fromBlock} on, up to {@code latest} at most. */
    public Scan scan(long fromBlock, long latest) {
        try {
            if (fromBlock > latest) return new Scan(List.of(), fromBlock);
            long to = Math.min(latest, fromBlock + MAX_RANGE - 1);
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), hubAddress);
            filter.addSingleTopic(EventEncoder.encode(GridHub.DEALCREATED_EVENT));
            filter.addNullTopic();
            filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(owner.address()), 64));
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
            List<DealView> deals = new ArrayList<>();
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log log = (Log) result.get();
                deals.add(view(GridClient.dealOf(GridHub.getDealCreatedEventFromLog(log))));
            }
            return new Scan(deals, to + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deals from the chain: " + e.getMessage(), e);
        }
    }

    /** What workers need to run the deal's tasks: the app, the dataset and input files, the args. */
    DealView view(DealRecord record) {
        AppRegistry.App app = GridClient.call(() -> owner.apps().appOf(record.terms().app()).send());
        AppSpec spec = new AppSpec(Words.canonical(record.terms().app()), app.name, app.kind, app.uri,
                Words.hex(app.checksum));
        DealParams params = DealParams.parse(record.terms().params());
        List<InputSpec> inputs = new ArrayList<>(params.inputs());
        if (!Words.ZERO_ADDRESS.equalsIgnoreCase(record.terms().dataset())) {
            DatasetRegistry.Dataset d = GridClient.call(() -> owner.datasets().datasetOf(record.terms().dataset())
                    .send());
            inputs.add(0, new InputSpec(d.name, d.uri, Words.hex(d.checksum), params.datasetPlacement()));
        }
        long categoryTime = record.deal().categoryTime().longValueExact();
        return new DealView(record.dealId(), record, spec, List.copyOf(inputs), params.args(), record.deal().deadline(),
                categoryTime * 1000, confidential(record, params), params.sweep());
    }

    /**
     * Where the deal's workers get its secrets: the services that the dataset's owner, the app's owner and (when the
     * request names secrets) the requester named on-chain. Null when there is nothing to ask and nothing to seal.
     */
    private Confidential confidential(DealRecord record, DealParams params) {
        Map<String, String[]> bySms = new LinkedHashMap<>(); // url -> {dataset, app, requester}
        if (!Words.ZERO_ADDRESS.equalsIgnoreCase(record.terms().dataset())) {
            owner.smsUrlOf(record.deal().datasetOwner()).ifPresent(url ->
                    bySms.computeIfAbsent(url, u -> new String[3])[0] = Words.canonical(record.terms().dataset()));
        }
        owner.smsUrlOf(record.deal().appOwner()).ifPresent(url ->
                bySms.computeIfAbsent(url, u -> new String[3])[1] = Words.canonical(record.terms().app()));
        if (!params.secrets().isEmpty()) {
            owner.smsUrlOf(record.deal().requester()).ifPresent(url ->
                    bySms.computeIfAbsent(url, u -> new String[3])[2] = Words.canonical(record.deal().requester()));
        }
        List<SecretSource> sources = new ArrayList<>();
        bySms.forEach((url, asked) -> sources.add(new SecretSource(url, asked[0], asked[1], asked[2],
                asked[2] == null ? List.of() : params.secrets())));
        if (sources.isEmpty() && params.encryptTo() == null) return null;
        return new Confidential(sources, params.encryptTo());
    }
}
