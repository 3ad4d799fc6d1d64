package io.gridchain.scheduler.chain;

import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chain for the scheduler: its time, the deals made with the pool (scanned from the cursor, each taken
 * in with its tasks and the cursor as one change), and the workers' bonds and scores in the pool. Chain calls are made
 * without the scheduler's lock. {@link #follow} runs on the scheduler's loop thread only.
 */
public final class ChainFollower {
    private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);
    private static final long ACCOUNTS_EVERY_MILLIS = 1_000;

    private final ChainReads chain;
    private final Applier applier;
    private final LiveState live;
    private final long scanEveryMillis;
    private volatile long chainNow;
    private ChainClient.Head head;
    private long lastScan;
    /** The latest block the deal scan has seen. */
    private long seenBlock = -1;
    private long lastAccounts;

    /** Deals are looked for every {@code 5 x pollMillis}: one small call, blocks read only when some came. */
    public ChainFollower(ChainReads chain, Applier applier, long pollMillis) {
        this.chain = chain;
        this.applier = applier;
        this.live = applier.live();
        this.scanEveryMillis = pollMillis * 5;
        this.head = chain.head(null);
        this.chainNow = head.timestamp();
    }

    /** The chain's latest timestamp, as last followed (unix seconds). */
    public long chainNow() {
        return chainNow;
    }

    /** Reads the chain when due: new blocks and their deals, then the workers' accounts. */
    public void follow(long now, BooleanSupplier running) {
        if (now - lastScan >= scanEveryMillis) {
            head = chain.head(head);
            chainNow = head.timestamp();
            scanDeals(head.number(), running);
            lastScan = now;
        }
        if (now - lastAccounts >= ACCOUNTS_EVERY_MILLIS) refreshAccounts(now);
    }

    /** Takes in the deals created up to block {@code latest}; nothing to read when no block came since. */
    private void scanDeals(long latest, BooleanSupplier running) {
        if (latest == seenBlock) return;
        long cursor;
        synchronized (applier.lock()) {
            cursor = live.cursor();
        }
        while (running.getAsBoolean()) {
            DealWatcher.Scan scan = chain.scan(cursor, latest);
            if (scan.nextBlock() == cursor) {
                seenBlock = latest;
                return;
            }
            if (scan.deals().isEmpty()) {
                synchronized (applier.lock()) {
                    applier.apply(Changes.cursor(scan.nextBlock()));
                }
            }
            for (int i = 0; i < scan.deals().size(); i++) {
                DealView d = scan.deals().get(i);
                boolean last = i == scan.deals().size() - 1;
                takeIn(d, last ? scan.nextBlock() : cursor);
            }
            cursor = scan.nextBlock();
        }
    }

    /** A deal seen again (a rescan after a restart) only moves the cursor: a deal is never processed twice. */
    private void takeIn(DealView d, long nextCursor) {
        List<Task> created = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (long idx = 0; idx < d.volume(); idx++) {
            created.add(Task.pending(d.record().taskId(idx), d.dealId(), idx, now));
        }
        synchronized (applier.lock()) {
            if (live.deals().containsKey(d.dealId())) {
                applier.apply(Changes.cursor(nextCursor));
                return;
            }
            applier.apply(Changes.deal(d, created, nextCursor));
            log.info("deal {}: {} task(s) of app {} at trust {}", d.dealId(), d.volume(), d.app().name(), d.trust());
        }
    }

    private void refreshAccounts(long now) {
        lastAccounts = now;
        List<String> known;
        synchronized (applier.lock()) {
            known = List.copyOf(live.workers().keySet());
        }
        for (String w : known) refresh(w);
    }

    /** Reads a worker's bond and score in this pool from the chain. */
    public void refresh(String worker) {
        live.account(worker, chain.stakeOf(worker));
    }
}
