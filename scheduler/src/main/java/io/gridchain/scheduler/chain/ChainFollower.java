package io.gridchain.scheduler.chain;

import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.scheduler.lifecycle.DealRemoval;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chain for the scheduler: its time, the deals made with the pool (scanned from the cursor up to
 * {@code confirmations} blocks below the head, each taken in with its tasks and the cursor as one change), and the
 * workers' bonds and scores in the pool. A {@link BlockTrail} of the processed blocks' hashes, saved across
 * restarts, shows a reorganisation: the cursor goes back to the fork point, the deals with live tasks are checked
 * against the chain and those it no longer knows are removed ({@link DealRemoval}); a deal seen again is taken in
 * once. Chain calls are made without the scheduler's lock. {@link #follow} runs on the scheduler's loop thread only.
 */
public final class ChainFollower {
    private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);
    private static final long ACCOUNTS_EVERY_MILLIS = 1_000;
    /**
     * How often the trail is saved: every scan would cost a synced write each few milliseconds under load. A restart
     * treats the blocks scanned after the saved trail's newest mark as unverified ({@link #verifyResumed}).
     */
    private static final long SAVE_TRAIL_MILLIS = 1_000;

    private final ChainReads chain;
    private final Applier applier;
    private final LiveState live;
    private final long scanEveryMillis;
    private final int confirmations;
    private final BlockTrail trail;
    private volatile long chainNow;
    private ChainClient.Head head;
    private long lastScan;
    /** When the trail was last saved (scheduler clock, ms; 0 saves it at the first scan). */
    private long lastTrailSave;
    private boolean resumed = true;
    private long lastAccounts;
    /** Removed deals whose FINALIZING tasks wait for their batch to end before they are removed too. */
    private final Set<String> removing = new LinkedHashSet<>();

    /** Deals are looked for every {@code 5 x pollMillis}, as soon as a block is confirmed (0: at once). */
    public ChainFollower(ChainReads chain, Applier applier, long pollMillis) {
        this(chain, applier, pollMillis, 0);
    }

    /**
     * Deals are looked for every {@code 5 x pollMillis}: one small call, blocks read only when some came; a deal is
     * taken in once {@code confirmations} blocks follow its own.
     */
    public ChainFollower(ChainReads chain, Applier applier, long pollMillis, int confirmations) {
        if (confirmations < 0) throw new IllegalArgumentException("confirmations must be 0 or more");
        this.chain = chain;
        this.applier = applier;
        this.live = applier.live();
        this.scanEveryMillis = pollMillis * 5;
        this.confirmations = confirmations;
        this.trail = new BlockTrail(BlockTrail.WINDOW, applier.trail());
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
            scanDeals(head.number(), now, running);
            lastScan = now;
        }
        if (!removing.isEmpty()) removeDeals(List.copyOf(removing));
        if (now - lastAccounts >= ACCOUNTS_EVERY_MILLIS) refreshAccounts(now);
    }

    /**
     * Takes in the deals created up to {@code confirmations} below block {@code latest}. When no block came since,
     * only the newest processed block's hash is read: a reorganisation that keeps the height is seen at once.
     */
    private void scanDeals(long latest, long now, BooleanSupplier running) {
        long cursor;
        synchronized (applier.lock()) {
            cursor = live.cursor();
        }
        if (resumed) {
            resumed = false;
            cursor = verifyResumed(cursor);
        }
        BlockTrail.Step step = trail.next(cursor, latest, confirmations, chain::hashAt);
        if (step instanceof BlockTrail.Rewind r) {
            cursor = rewind(r, cursor);
            step = trail.next(cursor, latest, confirmations, chain::hashAt);
            if (step instanceof BlockTrail.Rewind) return; // reorganised again meanwhile: the next pass rewinds
        }
        if (step instanceof BlockTrail.Advance a) {
            String hash = chain.hashAt(a.to());
            if (hash == null) return; // the head went back meanwhile: the next pass sees it
            // saved before the range is scanned, so that a reorganisation in between is a mismatch next time
            trail.processed(new BlockTrail.Mark(a.to(), hash));
            if (now - lastTrailSave >= SAVE_TRAIL_MILLIS) {
                applier.saveTrail(trail.marks());
                lastTrailSave = now;
            }
            scanRange(cursor, a.to(), running);
        }
    }

    /**
     * The trail is saved at most every {@link #SAVE_TRAIL_MILLIS}, so a restarted scheduler may have scanned blocks
     * past its saved newest mark: those are scanned again from the block after it (a deal seen again is taken in
     * once) and the deals with live tasks are checked against the chain, as after a reorganisation. A store from
     * before the trail existed has no mark: its deals are checked, its cursor kept.
     */
    private long verifyResumed(long cursor) {
        BlockTrail.Mark newest = trail.newest();
        if (newest != null && newest.number() >= cursor - 1) return cursor;
        if (newest == null && cursor == 0) return cursor;
        log.info("resuming: the blocks after {} are scanned again and the live deals checked against the chain",
                newest == null ? "the cursor's" : "block " + newest.number());
        if (newest == null) {
            removeDeals(goneDeals());
            return cursor;
        }
        return rewind(new BlockTrail.Rewind(newest), cursor);
    }

    private void scanRange(long cursor, long to, BooleanSupplier running) {
        while (running.getAsBoolean()) {
            DealWatcher.Scan scan = chain.scan(cursor, to);
            if (scan.nextBlock() == cursor) return;
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

    /**
     * A reorganisation removed blocks the scan had processed: the cursor goes back to the block after the fork point
     * (to block 0 when it is older than the trail), and the deals with live tasks the chain no longer knows are
     * removed. The others stay, and the rescan finds them again without taking them in twice. Returns the cursor.
     */
    private long rewind(BlockTrail.Rewind r, long cursor) {
        long from = Math.min(cursor, r.from(0));
        if (from < cursor) {
            log.warn("chain reorganisation: blocks after {} were replaced; deals are scanned again from block {}",
                    r.fork() == null ? "the trail's oldest (deeper than " + BlockTrail.WINDOW + " scans)"
                            : Long.toString(r.fork().number()), from);
        }
        trail.rewound(r.fork());
        applier.saveTrail(trail.marks());
        synchronized (applier.lock()) {
            applier.apply(Changes.cursor(from));
        }
        removeDeals(goneDeals());
        return from;
    }

    /** The deals with live tasks that the chain no longer knows. */
    private List<String> goneDeals() {
        Set<String> dealsWithTasks = new LinkedHashSet<>();
        synchronized (applier.lock()) {
            for (Task t : live.tasks()) dealsWithTasks.add(t.dealId());
        }
        List<String> gone = new ArrayList<>();
        for (String dealId : dealsWithTasks) {
            if (!chain.dealExists(dealId)) gone.add(dealId);
        }
        return gone;
    }

    /** Abandons the live tasks of deals the chain no longer knows; those in a batch when it ends. */
    private void removeDeals(List<String> dealIds) {
        long now = System.currentTimeMillis();
        synchronized (applier.lock()) {
            for (String dealId : dealIds) {
                List<Task> tasks = live.tasks().stream().filter(t -> t.dealId().equals(dealId)).toList();
                DealRemoval.Outcome out = DealRemoval.of(tasks, live::replicatesOf, now);
                if (!out.tasks().isEmpty()) {
                    applier.apply(Changes.of(out.tasks(), out.replicates()));
                    log.warn("deal {} was removed from the chain by a reorganisation: {} task(s) abandoned", dealId,
                            out.tasks().size());
                }
                if (out.waiting()) removing.add(dealId);
                else removing.remove(dealId);
            }
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
