package io.gridchain.explorer.index;

import io.gridchain.explorer.store.IndexStore;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.BlockHashes;
import io.gridchain.protocol.chain.BlockTrail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Follows the chain into the {@link IndexStore} with the rules of the other services ({@link BlockTrail}): it reads a
 * block only once {@code confirmations} blocks follow it, and when a reorganisation replaced blocks it read, it takes
 * their events out and reads again from the fork point. Each range goes in with its cursor and trail as one
 * transaction, so a restart resumes where the index stands. {@link #step} runs on one thread.
 */
public final class EventIndex {
    private static final Logger log = LoggerFactory.getLogger(EventIndex.class);
    /** Most blocks read in one step: a node limits a log query's range, and a step must stay short. */
    static final long MAX_RANGE = 2_000;

    private final Web3j web3j;
    private final List<String> addresses;
    private final IndexStore store;
    private final int confirmations;
    private final BlockTrail trail;
    private final long fromBlock;

    /** @param fromBlock the first block to read: an index starts there (one that went further resumes where it is) */
    public EventIndex(Web3j web3j, Protocol.Addresses protocol, IndexStore store, int confirmations, long fromBlock) {
        this.fromBlock = fromBlock;
        this.web3j = web3j;
        this.addresses = List.of(protocol.hub(), protocol.apps(), protocol.datasets(), protocol.workerpools());
        this.store = store;
        this.confirmations = confirmations;
        this.trail = new BlockTrail(BlockTrail.WINDOW, store.trail());
    }

    /** Reads one range if one is confirmed; returns whether it moved (so a caller catching up loops at once). */
    public boolean step() {
        long head = head();
        long cursor = Math.max(store.cursor(), fromBlock);
        BlockTrail.Step step = trail.next(cursor, head, confirmations, n -> BlockHashes.hashAt(web3j, n));
        if (step instanceof BlockTrail.Rewind r) {
            long from = Math.min(cursor, r.from(0));
            trail.rewound(r.fork());
            store.rewind(from, trail.marks());
            log.warn("chain reorganisation: the blocks from {} were replaced; their events are read again", from);
            return true;
        }
        if (!(step instanceof BlockTrail.Advance a)) return false;
        long to = Math.min(a.to(), a.from() + MAX_RANGE - 1);
        String hash = BlockHashes.hashAt(web3j, to);
        if (hash == null) return false; // the head went back meanwhile: the next step sees it
        List<HubEvent> events = new ArrayList<>();
        List<DealRow> deals = new ArrayList<>();
        Map<String, TxRow> txs = new LinkedHashMap<>();
        Map<Long, Long> times = new HashMap<>();
        for (Log l : logs(a.from(), to)) {
            DealRow d = HubEvents.dealOf(l);
            HubEvent e = d != null ? HubEvents.created(d, l) : HubEvents.of(l);
            if (e == null) continue;
            events.add(e);
            if (d != null) deals.add(d);
            if (!txs.containsKey(e.tx())) {
                long time = times.computeIfAbsent(e.block(), this::timeOf);
                txs.put(e.tx(), new TxRow(e.tx(), e.block(), gasOf(e.tx()), time));
            }
        }
        trail.processed(new BlockTrail.Mark(to, hash));
        store.add(events, deals, List.copyOf(txs.values()), to + 1, trail.marks());
        return true;
    }

    private long gasOf(String tx) {
        try {
            var receipt = web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt();
            // a node that pruned the receipt still has the event: its gas counts as unknown (0), not as an error
            return receipt.map(r -> r.getGasUsed().longValueExact()).orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the receipt of " + tx + ": " + e.getMessage(), e);
        }
    }

    private long timeOf(long block) {
        try {
            var b = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false).send()
                    .getBlock();
            if (b == null) throw new IllegalStateException("block " + block + " is gone: the next step rewinds");
            return b.getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read block " + block + ": " + e.getMessage(), e);
        }
    }

    private long head() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chain's head: " + e.getMessage(), e);
        }
    }

    private List<Log> logs(long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), addresses);
        filter.addOptionalTopics(HubEvents.topics().toArray(String[]::new));
        try {
            EthLog r = web3j.ethGetLogs(filter).send();
            if (r.hasError()) throw new IllegalStateException("eth_getLogs failed: " + r.getError().getMessage());
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> x : r.getLogs()) out.add((Log) x.get());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read logs from the chain: " + e.getMessage(), e);
        }
    }
}
