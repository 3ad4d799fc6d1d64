package io.gridchain.scheduler;

import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.WorkerApi.Assignment;
import io.gridchain.api.WorkerApi.LimitsSpec;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.scheduler.chain.Certifier;
import io.gridchain.scheduler.chain.DealWatcher;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.planning.Plan;
import io.gridchain.scheduler.planning.Planner;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.scheduler.planning.Snapshot;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.results.ResultStore;
import io.gridchain.scheduler.state.GroupCommitter;
import io.gridchain.scheduler.state.StateStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The scheduler of one workerpool: follows the chain for its deals, plans replicas with the
 * {@link Planner}, answers workers, and certifies results on-chain in batches.
 *
 * <p>State lives in a {@link StateStore}; this class works on a copy in memory, under one lock. Every change
 * is queued to the store as it is made in memory, and a {@link GroupCommitter} saves what is queued in one
 * transaction for many requests. Nothing leaves the scheduler before the changes it depends on are saved: an
 * answer to a worker waits for them, and so does a batch's transaction to the chain. So a scheduler killed at
 * any moment restarts from a consistent state that covers everything it told anyone. Batches are marked
 * FINALIZING before their transaction is sent; on restart they are reconciled with the chain, and the hub
 * refuses to finalize a task twice, so nothing is paid twice.
 */
public final class SchedulerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

    /**
     * @param maxBatch most tasks in one finalizeBatch transaction
     * @param signTimeoutMillis how long a multi-task batch waits for workers' signatures before it is split
     * @param minReplicas the pool's policy of agreeing results per task, on top of the deal's trust
     * @param policy the pool's sabotage tolerance (credibility, blacklist) on top of the chain's rule
     */
    public record Options(Lifecycle lifecycle, int maxBatch, long pollMillis, long signTimeoutMillis,
            int minReplicas, ReplicationPolicy policy) {
        public static final Options DEFAULT =
                new Options(Lifecycle.DEFAULT, 200, 20, 10_000, 1, ReplicationPolicy.CHAIN_ONLY);

        public Options withMinReplicas(int value) {
            return new Options(lifecycle, maxBatch, pollMillis, signTimeoutMillis, value, policy);
        }

        public Options withPollMillis(long value) {
            return new Options(lifecycle, maxBatch, value, signTimeoutMillis, minReplicas, policy);
        }

        public Options withMaxBatch(int value) {
            return new Options(lifecycle, value, pollMillis, signTimeoutMillis, minReplicas, policy);
        }

        public Options withPolicy(ReplicationPolicy value) {
            return new Options(lifecycle, maxBatch, pollMillis, signTimeoutMillis, minReplicas, value);
        }
    }

    /** Thrown for a worker request that cannot be served; the message is one line for the worker. */
    public static final class Rejected extends RuntimeException {
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final GridClient scheduler;
    private final String workerpool;
    private final StateStore store;
    private final GroupCommitter writer;
    private final ResultStore results;
    private final Options options;
    private final Planner planner;
    private final DealWatcher watcher;
    private final Certifier certifier;
    private final long startedAt = System.currentTimeMillis();

    /** How long an answer waits for its changes to be saved before the worker is told to retry. */
    private static final long SAVE_WAIT_MILLIS = 10_000;

    private final Object lock = new Object();
    private final Map<String, DealView> deals = new HashMap<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Replicate> replicates = new HashMap<>();
    /** Concurrent, so that authenticating a request (registered, seen) needs no lock; written under the lock. */
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<String, Long> scores = new ConcurrentHashMap<>();
    private final Map<String, SpotCheckRecord> spotChecks = new ConcurrentHashMap<>();
    private final SpotChecks knownAnswers;
    private final Map<String, BigInteger> freeBalances = new ConcurrentHashMap<>();
    private final Map<String, Certifier.Pending> pending = new LinkedHashMap<>();
    private final Set<String> inPending = new HashSet<>();
    private final Set<String> solo = new HashSet<>();

    // Incremental indexes over tasks and replicates (under the lock), so that a tick or a claim costs
    // O(changed), not O(all tasks): the planner gets a view over them (Live).
    private final Map<String, List<Replicate>> byTask = new HashMap<>();
    private final Map<String, Replicate> holdingSlot = new LinkedHashMap<>();
    private final Map<String, Integer> busy = new HashMap<>();
    private final Map<String, BigInteger> staked = new HashMap<>();
    private final java.util.TreeSet<Task> runningOpen = new java.util.TreeSet<>(TASK_ORDER);
    private final java.util.TreeSet<Task> pendingOpen = new java.util.TreeSet<>(TASK_ORDER);
    private final Map<String, Integer> openByDeal = new HashMap<>();
    private final Set<String> consensusTasks = new java.util.LinkedHashSet<>();
    /** Tasks whose decision may have changed since the last tick. */
    private final Set<String> dirty = new java.util.LinkedHashSet<>();
    private final Set<String> expiredDeals = new HashSet<>();
    private volatile boolean scoresChanged;

    private static final java.util.Comparator<Task> TASK_ORDER =
            java.util.Comparator.comparing(Task::dealId).thenComparingLong(Task::index);

    private final ExecutorService submitter = Executors.newSingleThreadExecutor(daemon("gridchain-certifier"));
    private final Thread loop;
    private volatile boolean running = true;
    private volatile long chainNow;
    /** The latest block the deal scan has seen (the loop's thread only). */
    private long seenBlock = -1;
    private long lastScoreRefresh;

    public SchedulerService(GridClient scheduler, String workerpool, StateStore store, ResultStore results,
            Options options) {
        this.scheduler = scheduler;
        this.workerpool = workerpool;
        this.store = store;
        this.results = results;
        this.options = options;
        // one secret for both draws: which claims get a known-answer task, which tasks are audited
        long salt = new java.security.SecureRandom().nextLong();
        this.planner = new Planner(options.lifecycle(), options.maxBatch(), options.minReplicas(), options.policy(), salt);
        this.knownAnswers = new SpotChecks(options.policy(), salt);
        this.watcher = new DealWatcher(scheduler);
        this.certifier = new Certifier(scheduler, results);
        this.writer = new GroupCommitter(store, SAVE_WAIT_MILLIS);
        load();
        this.loop = new Thread(this::run, "gridchain-scheduler");
        this.loop.setDaemon(true);
    }

    public SchedulerService start() {
        loop.start();
        return this;
    }

    // ---------------------------------------------------------------- recovery

    private void load() {
        for (DealView d : store.deals()) deals.put(d.dealId(), d);
        for (Task t : store.liveTasks()) {
            tasks.put(t.taskId(), t);
            indexTask(t);
        }
        for (Replicate r : store.liveReplicates()) {
            if (!tasks.containsKey(r.taskId())) continue;
            replicates.put(r.id(), r);
            byTask.computeIfAbsent(r.taskId(), k -> new ArrayList<>()).add(r);
            indexReplicate(r, +1);
        }
        for (Worker w : store.workers()) workers.put(w.address(), w);
        spotChecks.putAll(store.spotChecks());
        log.info("resumed: {} deal(s), {} live task(s), {} replicate(s), {} worker(s)", deals.size(), tasks.size(),
                replicates.size(), workers.size());
        chainNow = scheduler.protocol().chain().latestTimestamp();
        // A batch sent before a crash may or may not have been mined: ask the chain.
        List<Task> reconciled = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Task t : tasks.values()) {
            if (t.status() != TaskStatus.FINALIZING) continue;
            GridClient.TaskStatus onChain = scheduler.taskStatus(t.taskId());
            reconciled.add(onChain == GridClient.TaskStatus.FINALIZED ? t.moveTo(TaskStatus.FINALIZED, now)
                    : t.moveTo(TaskStatus.CONSENSUS, now));
        }
        if (!reconciled.isEmpty()) {
            log.info("recovered {} task(s) that were being finalized when the scheduler stopped", reconciled.size());
            apply(reconciled, List.of(), List.of());
        }
        saved(writer.queued());
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        long lastScan = 0;
        ChainClient.Head head = null;
        while (running) {
            try {
                long now = System.currentTimeMillis();
                if (now - lastScan >= options.pollMillis() * 5) {
                    // one small call per poll; the block header and the logs are read only when blocks came
                    head = scheduler.protocol().chain().head(head);
                    chainNow = head.timestamp();
                    scanDeals(head.number());
                    lastScan = now;
                }
                if (now - lastScoreRefresh >= 1_000) refreshAccounts(now);
                tick(now);
                Thread.sleep(options.pollMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) log.warn("scheduler loop: {}", e.getMessage(), e);
            }
        }
    }

    /** Takes in the deals created up to block {@code latest}; nothing to read when no block came since. */
    private void scanDeals(long latest) {
        if (latest == seenBlock) return;
        long cursor = store.cursor();
        while (running) {
            DealWatcher.Scan scan = watcher.scan(cursor, latest);
            if (scan.nextBlock() == cursor) {
                seenBlock = latest;
                return;
            }
            if (scan.deals().isEmpty()) {
                store.setCursor(scan.nextBlock());
            }
            for (int i = 0; i < scan.deals().size(); i++) {
                DealView d = scan.deals().get(i);
                boolean last = i == scan.deals().size() - 1;
                long next = last ? scan.nextBlock() : cursor;
                List<Task> created = new ArrayList<>();
                long now = System.currentTimeMillis();
                for (long idx = 0; idx < d.volume(); idx++) {
                    created.add(Task.pending(d.record().taskId(idx), d.dealId(), idx, now));
                }
                synchronized (lock) {
                    if (store.addDeal(d, created, next)) {
                        deals.put(d.dealId(), d);
                        for (Task t : created) {
                            tasks.put(t.taskId(), t);
                            indexTask(t);
                        }
                        log.info("deal {}: {} task(s) of app {} at trust {}", d.dealId(), d.volume(), d.app().name(),
                                d.trust());
                    }
                }
            }
            cursor = scan.nextBlock();
        }
    }

    private void refreshAccounts(long now) {
        lastScoreRefresh = now;
        List<String> known;
        synchronized (lock) {
            known = List.copyOf(workers.keySet());
        }
        for (String w : known) account(w, scheduler.balanceOf(w));
    }

    /** Records a worker's score and free balance; a new score has running tasks decided again. */
    private void account(String worker, Balance b) {
        Long before = scores.put(worker, b.score());
        if (before == null || before != b.score()) scoresChanged = true;
        freeBalances.put(worker, b.free());
    }

    /** One round of planning: timeouts, consensus, failures, batches; then sends the ready batches. */
    void tick(long now) {
        List<Certifier.Pending> ready = new ArrayList<>();
        long sequence;
        synchronized (lock) {
            List<Task> toDecide = toDecide(now);
            Plan plan;
            try {
                plan = planner.tick(new Live(toDecide), now, chainNow);
                if (!plan.tasks().isEmpty() || !plan.replicates().isEmpty()) {
                    apply(plan.tasks(), plan.replicates(), List.of());
                    recordCaught(plan.tasks());
                }
            } catch (RuntimeException e) {
                for (Task t : toDecide) dirty.add(t.taskId()); // decided again next tick
                throw e;
            }
            for (Plan.BatchPlan b : plan.batches()) {
                List<Task> fresh = b.tasks().stream().filter(t -> !inPending.contains(t.taskId())).toList();
                for (List<Task> part : split(fresh)) {
                    Certifier.Pending p;
                    try {
                        p = certifier.prepare(deals.get(b.dealId()), part, byTask, now);
                    } catch (Certifier.MissingCallbackData e) {
                        // This batch waits (its winner's upload is missing); the other deals' batches go on.
                        log.warn("batch of deal {} not certified yet: {}", b.dealId(), e.getMessage());
                        continue;
                    }
                    pending.put(p.id(), p);
                    part.forEach(t -> inPending.add(t.taskId()));
                }
            }
            for (Certifier.Pending p : List.copyOf(pending.values())) {
                if (p.ready()) {
                    pending.remove(p.id());
                    List<Task> sending = new ArrayList<>();
                    for (Task t : p.tasks()) sending.add(tasks.get(t.taskId()).inBatch(p.id(), now));
                    apply(sending, List.of(), List.of());
                    ready.add(p);
                } else if (now - p.created() > options.signTimeoutMillis()) {
                    // Workers did not sign the batch in time: its tasks go again, each in a batch of its own.
                    log.warn("batch {} of {} task(s) not signed by its workers in time; its tasks go again one by one",
                            p.id(), p.tasks().size());
                    pending.remove(p.id());
                    p.tasks().forEach(t -> {
                        inPending.remove(t.taskId());
                        solo.add(t.taskId());
                    });
                }
            }
            sequence = writer.queued();
        }
        // a batch goes to the chain only once its tasks are saved as FINALIZING, so a restart reconciles them
        for (Certifier.Pending p : ready) submitter.submit(() -> send(p, sequence));
    }

    /**
     * Workers whose revealed result lost a consensus the pool reached were caught lying: the pool
     * records it (and may blacklist them); the chain slashes them when the batch lands.
     */
    private void recordCaught(List<Task> decided) {
        if (!options.policy().active()) return;
        Map<String, SpotCheckRecord> outcomes = new HashMap<>();
        for (Task t : decided) {
            if (t.status() != TaskStatus.CONSENSUS) continue;
            for (String w : Planner.caught(t, byTask.getOrDefault(t.taskId(), List.of()))) {
                outcomes.merge(w, new SpotCheckRecord(0, 1), SpotCheckRecord::plus);
            }
        }
        if (outcomes.isEmpty()) return;
        store.recordSpotChecks(outcomes);
        outcomes.forEach((w, o) -> spotChecks.merge(w, o, SpotCheckRecord::plus));
        log.warn("workers caught lying by a consensus: {}", outcomes.keySet());
        scoresChanged = true;
    }

    /** What the pool verified about {@code worker} (known-answer checks passed, lies caught). */
    public SpotCheckRecord spotChecks(String worker) {
        return spotChecks.getOrDefault(worker.toLowerCase(), SpotCheckRecord.NONE);
    }

    /** Records a known-answer check's outcome; a worker caught lying gets no more work under a blacklist. */
    private void spotChecked(String worker, SpotCheckRecord outcome) {
        store.recordSpotChecks(Map.of(worker, outcome));
        spotChecks.merge(worker, outcome, SpotCheckRecord::plus);
        if (outcome.caught()) {
            log.warn("worker {} caught lying by a known-answer check", worker);
            scoresChanged = true;
        }
    }

    /** Tasks marked solo (their batch could not be signed or was refused) each get a batch of their own. */
    private List<List<Task>> split(List<Task> batch) {
        List<List<Task>> out = new ArrayList<>();
        List<Task> shared = new ArrayList<>();
        for (Task t : batch) {
            if (solo.contains(t.taskId())) out.add(List.of(t));
            else shared.add(t);
        }
        if (!shared.isEmpty()) out.add(shared);
        return out;
    }

    private void send(Certifier.Pending p, long finalizingSaved) {
        try {
            saved(finalizingSaved);
        } catch (Rejected e) {
            log.warn("batch {} not sent: {}", p.id(), e.getMessage());
            long now = System.currentTimeMillis();
            synchronized (lock) {
                List<Task> back = new ArrayList<>();
                for (Task t : p.tasks()) {
                    back.add(tasks.get(t.taskId()).moveTo(TaskStatus.CONSENSUS, now));
                    inPending.remove(t.taskId());
                }
                apply(back, List.of(), List.of());
            }
            return;
        }
        long now;
        try {
            TxResult tx = certifier.submit(p);
            now = System.currentTimeMillis();
            synchronized (lock) {
                List<Task> done = new ArrayList<>();
                for (Task t : p.tasks()) {
                    Task current = tasks.get(t.taskId());
                    done.add(new Task(current.taskId(), current.dealId(), current.index(), TaskStatus.FINALIZED,
                            current.digest(), null, null, now, tx.hash()));
                    knownAnswers.certified(current, byTask.getOrDefault(current.taskId(), List.of()));
                }
                apply(done, List.of(), List.of());
                p.tasks().forEach(t -> inPending.remove(t.taskId()));
            }
            log.info("certified {} task(s) of deal {} in {} ({} gas)", p.tasks().size(), p.deal().dealId(), tx.hash(),
                    tx.gasUsed());
        } catch (RuntimeException e) {
            now = System.currentTimeMillis();
            String reason = e instanceof RevertException ? e.getMessage() : e.toString();
            log.warn("batch of {} task(s) of deal {} refused: {}", p.tasks().size(), p.deal().dealId(), reason);
            synchronized (lock) {
                List<Task> back = new ArrayList<>();
                for (Task t : p.tasks()) {
                    Task current = tasks.get(t.taskId());
                    GridClient.TaskStatus onChain = scheduler.taskStatus(t.taskId());
                    if (onChain == GridClient.TaskStatus.FINALIZED) {
                        back.add(current.moveTo(TaskStatus.FINALIZED, now));
                    } else if (p.tasks().size() == 1) {
                        back.add(current.moveTo(TaskStatus.CONSENSUS, now)
                                .failed(FailureCause.NO_CONSENSUS, "the hub refused the result: " + reason, now));
                    } else {
                        back.add(current.moveTo(TaskStatus.CONSENSUS, now));
                        solo.add(t.taskId());
                    }
                    inPending.remove(t.taskId());
                }
                apply(back, List.of(), List.of());
            }
        }
    }

    // ---------------------------------------------------------------- state

    /**
     * The tasks the tick must decide: those changed since the last tick (marked by {@link #apply}), those
     * with a replicate past its timeout or of a lost worker, every open or CONSENSUS task of a deal whose
     * deadline just passed, and every running task when scores changed. Clears the marks. Callers hold the lock.
     */
    private List<Task> toDecide(long now) {
        for (Replicate r : holdingSlot.values()) {
            Worker w = workers.get(r.worker());
            DealView d = deals.get(r.dealId());
            boolean lost = w == null || now - w.lastSeen() > options.lifecycle().workerLostAfter();
            long timeout = d == null ? Long.MAX_VALUE
                    : options.lifecycle().replicateTimeout(r.status(), d.wallTimeMillis());
            if (lost || now - r.since() > timeout) dirty.add(r.taskId());
        }
        for (DealView d : deals.values()) {
            if (chainNow >= d.deadline() && expiredDeals.add(d.dealId())) {
                for (Task t : tasks.values()) {
                    if (t.dealId().equals(d.dealId()) && (t.status().open() || t.status() == TaskStatus.CONSENSUS)) {
                        dirty.add(t.taskId());
                    }
                }
            }
        }
        if (scoresChanged) {
            scoresChanged = false;
            for (Task t : runningOpen) dirty.add(t.taskId());
        }
        List<Task> out = new ArrayList<>(dirty.size());
        for (String id : dirty) {
            Task t = tasks.get(id);
            if (t != null) out.add(t);
        }
        dirty.clear();
        return out;
    }

    /** The planner's view of the live state, over the incremental indexes. Valid while the lock is held. */
    private final class Live implements Snapshot {
        private final Collection<Task> toDecide;

        Live(Collection<Task> toDecide) {
            this.toDecide = toDecide;
        }

        @Override
        public Map<String, DealView> deals() {
            return deals;
        }

        @Override
        public Map<String, Worker> workers() {
            return workers;
        }

        @Override
        public long score(String worker) {
            return scores.getOrDefault(worker, 0L);
        }

        @Override
        public SpotCheckRecord spotChecks(String worker) {
            return spotChecks.getOrDefault(worker, SpotCheckRecord.NONE);
        }

        @Override
        public List<Replicate> replicatesOf(String taskId) {
            return byTask.getOrDefault(taskId, List.of());
        }

        @Override
        public Set<String> batching() {
            return inPending;
        }

        @Override
        public Collection<Task> toDecide() {
            return toDecide;
        }

        @Override
        public Iterable<Task> candidates() {
            return () -> java.util.stream.Stream.concat(runningOpen.stream(), pendingOpen.stream()).iterator();
        }

        @Override
        public int busy(String worker) {
            return SchedulerService.this.busy.getOrDefault(worker, 0);
        }

        @Override
        public Map<String, List<Task>> consensus() {
            Map<String, List<Task>> out = new LinkedHashMap<>();
            for (String id : consensusTasks) {
                if (inPending.contains(id)) continue;
                Task t = tasks.get(id);
                out.computeIfAbsent(t.dealId(), k -> new ArrayList<>()).add(t);
            }
            return out;
        }

        @Override
        public int openTasks(String dealId) {
            return openByDeal.getOrDefault(dealId, 0);
        }
    }

    private void indexTask(Task t) {
        switch (t.status()) {
            case PENDING -> pendingOpen.add(t);
            case RUNNING -> runningOpen.add(t);
            case CONSENSUS -> consensusTasks.add(t.taskId());
            default -> { }
        }
        if (t.status().open()) openByDeal.merge(t.dealId(), 1, Integer::sum);
        dirty.add(t.taskId());
    }

    private void unindexTask(Task t) {
        switch (t.status()) {
            case PENDING -> pendingOpen.remove(t);
            case RUNNING -> runningOpen.remove(t);
            case CONSENSUS -> consensusTasks.remove(t.taskId());
            default -> { }
        }
        if (t.status().open()) openByDeal.merge(t.dealId(), -1, Integer::sum);
    }

    /** Adds ({@code sign} +1) or removes (-1) a replicate's share of the slot and stake indexes. */
    private void indexReplicate(Replicate r, int sign) {
        if (r.status().holdsSlot()) {
            if (sign > 0) holdingSlot.put(r.id(), r);
            else holdingSlot.remove(r.id());
            busy.merge(r.worker(), sign, Integer::sum);
        }
        if (r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED) {
            DealView d = deals.get(r.dealId());
            if (d != null) {
                BigInteger stake = d.record().deal().workerStake();
                staked.merge(r.worker(), sign > 0 ? stake : stake.negate(), BigInteger::add);
            }
        }
    }

    /**
     * Makes the changes in memory and queues them, as one set, to be saved after every change queued before.
     * Callers hold the lock, and do not let anything out of the scheduler before {@link #saved} says they are.
     */
    private void apply(Collection<Task> changedTasks, Collection<Replicate> changedReplicates,
            Collection<Worker> changedWorkers) {
        writer.queue(new StateStore.Changes(changedTasks, changedReplicates, changedWorkers));
        for (Task t : changedTasks) {
            Task old = tasks.get(t.taskId());
            if (old != null) unindexTask(old);
            if (t.status().terminal()) {
                tasks.remove(t.taskId());
                List<Replicate> gone = byTask.remove(t.taskId());
                if (gone != null) {
                    for (Replicate r : gone) {
                        replicates.remove(r.id());
                        indexReplicate(r, -1);
                    }
                }
                solo.remove(t.taskId());
                dirty.remove(t.taskId());
            } else {
                tasks.put(t.taskId(), t);
                indexTask(t);
            }
        }
        for (Replicate r : changedReplicates) {
            if (!tasks.containsKey(r.taskId())) continue;
            Replicate old = replicates.put(r.id(), r);
            List<Replicate> list = byTask.computeIfAbsent(r.taskId(), k -> new ArrayList<>(3));
            if (old != null) {
                indexReplicate(old, -1);
                list.replaceAll(x -> x.id().equals(r.id()) ? r : x);
            } else {
                list.add(r);
            }
            indexReplicate(r, +1);
            dirty.add(r.taskId());
        }
        for (Worker w : changedWorkers) workers.put(w.address(), w);
    }

    /** Waits until the change numbered {@code sequence}, and every change before it, is saved. */
    private void saved(long sequence) {
        try {
            writer.await(sequence);
        } catch (GroupCommitter.Unavailable e) {
            throw new Rejected(503, e.getMessage() + "; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Rejected(503, "the scheduler is stopping; retry later");
        }
    }

    /**
     * Runs {@code work} under the lock and returns its answer once every change made so far is saved: the answer
     * may rest on another request's changes as well as on its own.
     */
    private <T> T durably(Supplier<T> work) {
        T answer;
        long sequence;
        synchronized (lock) {
            answer = work.get();
            sequence = writer.queued();
        }
        saved(sequence);
        return answer;
    }

    // ---------------------------------------------------------------- worker requests

    /**
     * Each worker's window of key-signed nonces, in memory only: after a restart the floor is this
     * scheduler's start time in microseconds (the unit workers' nonces grow in), so a request captured
     * before the restart cannot be replayed after it.
     */
    private final Map<String, RequestAuth.ReplayWindow> keyNonces = new java.util.concurrent.ConcurrentHashMap<>();

    /** Key-signed nonces from {@code worker} at or below this are refused. */
    public long nonceFloor(String worker) {
        return window(worker).floor();
    }

    private RequestAuth.ReplayWindow window(String worker) {
        return keyNonces.computeIfAbsent(worker,
                w -> new RequestAuth.ReplayWindow(RequestAuth.KEY_NONCE_WINDOW, startedAt * 1000));
    }

    /**
     * Records that an authenticated request from {@code worker} arrived (liveness and replay
     * protection). {@code nonce} is a key-signed request's nonce, or -1 for a session's (the session
     * keeps those); false if a request with that nonce got in before, or the nonce is too old.
     */
    public boolean seen(String worker, long nonce) {
        if (nonce >= 0 && !window(worker).accept(nonce)) return false;
        long now = System.currentTimeMillis();
        workers.computeIfPresent(worker, (k, w) -> w.seen(now, nonce));
        return true;
    }

    public boolean registered(String worker) {
        return workers.containsKey(worker);
    }

    public WorkerApi.RegisterResponse register(String worker, long nonce, WorkerApi.RegisterRequest request) {
        if (request.slots() < 1 || request.slots() > 256) {
            throw new Rejected(400, "slots must be between 1 and 256, got " + request.slots());
        }
        durably(() -> {
            Worker previous = workers.get(worker);
            Worker w = new Worker(worker, request.slots(), System.currentTimeMillis(),
                    Math.max(nonce, previous == null ? -1 : previous.lastNonce()));
            apply(List.of(), List.of(), List.of(w));
            return w;
        });
        account(worker, scheduler.balanceOf(worker));
        var domain = scheduler.protocol().domain();
        return new WorkerApi.RegisterResponse(workerpool, domain.hub(), domain.chainId(), stakeHint().toString(),
                Math.max(1, options.lifecycle().heartbeatMillis() / 1000));
    }

    private BigInteger stakeHint() {
        synchronized (lock) {
            return deals.values().stream().map(d -> d.record().deal().workerStake()).max(BigInteger::compareTo)
                    .orElse(BigInteger.ZERO);
        }
    }

    public WorkerApi.HeartbeatResponse heartbeat(String worker, WorkerApi.Heartbeat beat) {
        return durably(() -> {
            Set<String> mine = new HashSet<>();
            List<String> cancel = new ArrayList<>();
            for (String id : beat.running() == null ? List.<String>of() : beat.running()) {
                Replicate r = replicates.get(id);
                if (knownAnswers.of(worker, id) != null) mine.add(id);
                else if (r == null || !r.worker().equals(worker) || !r.status().holdsSlot()) cancel.add(id);
                else mine.add(id);
            }
            List<Replicate> believed = new ArrayList<>();
            for (Replicate r : holdingSlot.values()) {
                if (r.worker().equals(worker)) believed.add(r);
            }
            List<Replicate> forgotten = planner.forgotten(believed, mine, System.currentTimeMillis());
            if (!forgotten.isEmpty()) {
                log.info("worker {} no longer holds {} replicate(s): lost", worker, forgotten.size());
                apply(List.of(), forgotten, List.of());
            }
            List<String> reveal = new ArrayList<>();
            for (SpotChecks.Check c : knownAnswers.committedBy(worker)) reveal.add(c.replicateId());
            for (Replicate r : believed) {
                if (r.status() == ReplicateStatus.COMMITTED && mine.contains(r.id())) reveal.add(r.id());
            }
            return new WorkerApi.HeartbeatResponse(cancel, reveal, signRequests(worker));
        });
    }

    /** The open signature requests of batches waiting for {@code worker}. Callers hold the lock. */
    private List<WorkerApi.SignRequest> signRequests(String worker) {
        if (pending.isEmpty()) return List.of();
        List<WorkerApi.SignRequest> sign = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Certifier.Pending p : pending.values()) {
            WorkerApi.SignRequest req = p.request(worker, now);
            if (req != null) sign.add(req);
        }
        return sign;
    }

    public WorkerApi.ClaimResponse claim(String worker, int max) {
        long now = System.currentTimeMillis();
        return durably(() -> {
            List<Assignment> given = max < 1 ? List.of() : assign(worker, max, now, true);
            return new WorkerApi.ClaimResponse(WorkerApi.Work.group(given), signRequests(worker));
        });
    }

    /**
     * Up to {@code max} replicates for the worker, started (caller holds the lock). When its free balance backs
     * none of them, a claim is refused with the amount to deposit; a commit's claim ({@code refuse} false) just
     * gets nothing, so the commits it carried are not reported as refused.
     */
    private List<Assignment> assign(String worker, int max, long now, boolean refuse) {
        // a blacklisted worker gets nothing, known-answer tasks included
        SpotChecks.Check check = options.policy().refused(spotChecks(worker)) ? null
                : knownAnswers.give(worker, d -> deals.containsKey(d) && chainNow < deals.get(d).deadline());
        if (check != null) {
            SpotChecks.Known k = check.known();
            return List.of(assignment(check.replicateId(), k.dealId(), k.taskId(), k.index()));
        }
        List<Replicate> given = planner.assign(new Live(List.of()), worker, max, now, chainNow);
        BigInteger free = freeBalances.getOrDefault(worker, BigInteger.ZERO);
        List<Replicate> affordable = new ArrayList<>();
        BigInteger committed = stakedBy(worker);
        for (Replicate r : given) {
            BigInteger stake = deals.get(r.dealId()).record().deal().workerStake();
            if (committed.add(stake).compareTo(free) > 0) break;
            committed = committed.add(stake);
            affordable.add(r);
        }
        if (affordable.isEmpty() && !given.isEmpty() && refuse) {
            throw new Rejected(403, "stake too low: worker " + worker + " has " + free + " free tokens in the hub,"
                    + " deposit at least " + committed.add(deals.get(given.get(0).dealId()).record().deal()
                    .workerStake()) + " to take this work");
        }
        List<Task> started = new ArrayList<>();
        for (Replicate r : affordable) {
            Task t = tasks.get(r.taskId());
            if (t.status() == TaskStatus.PENDING) started.add(t.moveTo(TaskStatus.RUNNING, now));
        }
        apply(started, affordable, List.of());
        List<Assignment> out = new ArrayList<>();
        for (Replicate r : affordable) out.add(assignment(r));
        return out;
    }

    /** Stakes a worker's unfinished contributions must be backed by (its free balance is its stake). */
    private BigInteger stakedBy(String worker) {
        return staked.getOrDefault(worker, BigInteger.ZERO);
    }

    private Assignment assignment(Replicate r) {
        return assignment(r.id(), r.dealId(), r.taskId(), tasks.get(r.taskId()).index());
    }

    private Assignment assignment(String replicateId, String dealId, String taskId, long index) {
        DealView d = deals.get(dealId);
        // Every replica of a task gets the same seed, so honest replicas agree bit for bit.
        long seed = Numeric.toBigInt(taskId).longValue();
        return new Assignment(replicateId, dealId, index, taskId, d.app(), d.inputs(), d.args(), Map.of(),
                new LimitsSpec(d.wallTimeMillis(), 4096, 64L << 20), seed, d.deadline(),
                d.record().deal().hasCallback(), d.volume() == 1);
    }

    public WorkerApi.CommitResponse commit(String worker, WorkerApi.CommitRequest request) {
        // Signatures are checked before taking the lock: recovering a key costs more than the rest of a commit.
        for (WorkerApi.Commit c : request.commits()) {
            if (c.signature() == null) continue;
            String signer = Contributions.signerOf(scheduler.protocol().domain(), c.commitment(),
                    Numeric.hexStringToByteArray(c.signature()));
            if (signer == null || !signer.equalsIgnoreCase(worker)) {
                throw new Rejected(400, "the commitment of replicate " + c.replicateId()
                        + " is not signed by worker " + worker);
            }
        }
        long now = System.currentTimeMillis();
        return durably(() -> {
            List<Replicate> changed = new ArrayList<>();
            List<String> reveal = new ArrayList<>();
            for (WorkerApi.Commit c : request.commits()) {
                SpotChecks.Check check = knownAnswers.of(worker, c.replicateId());
                if (check != null) {
                    SpotChecks.Check committed = knownAnswers.committed(check, c.commitment());
                    if (c.digest() == null) {
                        reveal.add(check.replicateId());
                    } else {
                        spotChecked(worker, revealedCheck(committed, c.digest()));
                    }
                    continue;
                }
                Replicate r = own(worker, c.replicateId());
                if (r == null || r.status() != ReplicateStatus.ASSIGNED) continue;
                Replicate committed = r.committed(c.commitment().toLowerCase(), c.signature(), now);
                if (c.digest() == null) {
                    // The scheduler never shows a digest to other workers, so a commit may be revealed at once.
                    reveal.add(r.id());
                    changed.add(committed);
                } else {
                    changed.add(revealedReplicate(worker, committed, c.digest(), now));
                }
            }
            apply(List.of(), changed, List.of());
            List<Assignment> assignments = request.claim() > 0 ? assign(worker, request.claim(), now, false) : List.of();
            return new WorkerApi.CommitResponse(reveal, signRequests(worker), WorkerApi.Work.group(assignments));
        });
    }

    /** The committed replicate with its digest revealed; refused when the digest does not match the commitment. */
    private static Replicate revealedReplicate(String worker, Replicate r, String digest, long now) {
        String expected = Contributions.commitment(worker, List.of(new Contributions.Entry(r.taskId(), digest)));
        if (!expected.equalsIgnoreCase(r.commitment())) {
            throw new Rejected(400, "the digest revealed for replicate " + r.id() + " does not match its commitment");
        }
        return r.revealed(digest.toLowerCase(), now);
    }

    private SpotCheckRecord revealedCheck(SpotChecks.Check check, String digest) {
        SpotCheckRecord outcome = knownAnswers.revealed(check, digest);
        if (outcome == null) {
            throw new Rejected(400, "the digest revealed for replicate " + check.replicateId()
                    + " does not match its commitment");
        }
        return outcome;
    }

    public WorkerApi.Ack reveal(String worker, WorkerApi.RevealRequest request) {
        long now = System.currentTimeMillis();
        return durably(() -> {
            List<Replicate> changed = new ArrayList<>();
            for (WorkerApi.Reveal rv : request.reveals()) {
                SpotChecks.Check check = knownAnswers.of(worker, rv.replicateId());
                if (check != null) {
                    spotChecked(worker, revealedCheck(check, rv.digest()));
                    continue;
                }
                Replicate r = own(worker, rv.replicateId());
                if (r == null || r.status() != ReplicateStatus.COMMITTED) continue;
                changed.add(revealedReplicate(worker, r, rv.digest(), now));
            }
            apply(List.of(), changed, List.of());
            return new WorkerApi.Ack(changed.size());
        });
    }

    public WorkerApi.Ack fail(String worker, WorkerApi.FailRequest request) {
        long now = System.currentTimeMillis();
        return durably(() -> {
            List<Replicate> changed = new ArrayList<>();
            for (WorkerApi.Failure f : request.failures()) {
                SpotChecks.Check check = knownAnswers.of(worker, f.replicateId());
                if (check != null) {
                    SpotCheckRecord outcome = knownAnswers.failed(check, FailureCause.parse(f.cause()).deterministic());
                    if (outcome != null) spotChecked(worker, outcome);
                    continue;
                }
                Replicate r = own(worker, f.replicateId());
                if (r == null || r.status() != ReplicateStatus.ASSIGNED) continue;
                changed.add(r.ended(ReplicateStatus.FAILED, FailureCause.parse(f.cause()), oneLine(f.message()), now));
            }
            apply(List.of(), changed, List.of());
            return new WorkerApi.Ack(changed.size());
        });
    }

    public WorkerApi.Ack sign(String worker, WorkerApi.SignResponse response) {
        Certifier.Pending p;
        List<WorkerApi.Entry> entries;
        synchronized (lock) {
            p = pending.get(response.batchId());
            if (p == null) return new WorkerApi.Ack(0);
            entries = p.entriesOf(worker);
        }
        byte[] signature = Numeric.hexStringToByteArray(response.signature());
        if (entries == null || !Certifier.Pending.signs(worker, entries, signature, scheduler.protocol().domain())) {
            throw new Rejected(400, "the signature for batch " + response.batchId() + " does not cover "
                    + "exactly your entries");
        }
        synchronized (lock) {
            // the batch may have been split meanwhile (sign timeout): then the signature is no longer needed
            if (pending.get(response.batchId()) != p) return new WorkerApi.Ack(0);
            p.signed(worker, signature);
            return new WorkerApi.Ack(1);
        }
    }

    /**
     * A worker uploads a result (or partial output) while it holds a replicate; the bytes must hash to
     * the digest. The result of a deal whose params ask for encryption is stored sealed to the
     * beneficiary's key and never in the clear.
     */
    public void putResult(String worker, String digest, byte[] archive) {
        String encryptTo;
        synchronized (lock) {
            if (knownAnswers.uploading(worker, digest)) return; // a known-answer check's output is not kept
            List<Replicate> held = replicates.values().stream().filter(r -> r.worker().equals(worker)
                    && (r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED)).toList();
            if (held.isEmpty()) throw new Rejected(403, "worker " + worker + " holds no replicate: nothing to upload");
            Replicate committedTo = held.stream().filter(r -> r.commitment() != null && r.commitment().equalsIgnoreCase(
                    Contributions.commitment(worker, List.of(new Contributions.Entry(r.taskId(), digest)))))
                    .findFirst().orElse(null);
            if (committedTo != null) {
                // Callback data is published on-chain anyway: it is never sealed.
                encryptTo = hasCallback(committedTo.dealId()) ? null : encryptionKey(committedTo.dealId());
            } else if (held.stream().anyMatch(r -> encryptionKey(r.dealId()) != null)) {
                throw new Rejected(403, "partial output is not stored for deals whose results are encrypted");
            } else {
                encryptTo = null;
            }
        }
        try {
            if (encryptTo == null) {
                results.put(digest, archive);
            } else {
                String actual = "0x" + io.gridchain.scheduler.results.FileResultStore.sha256(archive);
                if (!actual.equalsIgnoreCase(digest)) {
                    throw new IllegalArgumentException("result bytes hash to " + actual + ", not to " + digest);
                }
                results.putSealed(digest, io.gridchain.api.ResultEncryption.seal(archive, encryptTo));
            }
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    private boolean hasCallback(String dealId) {
        DealView d = deals.get(dealId);
        return d != null && d.record().deal().hasCallback();
    }

    private String encryptionKey(String dealId) {
        DealView d = deals.get(dealId);
        return d == null ? null : io.gridchain.scheduler.chain.DealParams.parse(d.record().terms().params()).encryptTo();
    }

    /** A sealed result, if the digest's deal asked for encryption. */
    public java.util.Optional<byte[]> sealedResult(String digest) {
        try {
            return results.sealed(digest);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    /** Whether the store holds the result under {@code digest}, in the clear or sealed. */
    public boolean hasResult(String digest) {
        try {
            return results.contains(digest) || results.sealed(digest).isPresent();
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    public java.util.Optional<byte[]> result(String digest) {
        try {
            return results.get(digest);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    /** What the requester sees of a task: its status, and its result or its typed failure. */
    public record TaskView(String taskId, String dealId, long index, String status, String digest, String cause,
            String message, String transaction) {}

    public java.util.Optional<TaskView> task(String taskId) {
        Task t;
        synchronized (lock) {
            t = tasks.get(taskId);
        }
        if (t == null) {
            saved(writer.queued()); // an ended task left memory; the store has it once its end is saved
            t = store.task(taskId).orElse(null);
        }
        if (t == null) return java.util.Optional.empty();
        return java.util.Optional.of(new TaskView(t.taskId(), t.dealId(), t.index(), t.status().name(), t.digest(),
                t.cause() == null ? null : t.cause().name(), t.message(),
                t.status() == TaskStatus.FINALIZED ? t.batch() : null));
    }

    /**
     * The worker's live replicate, or null when it belongs to a task that already ended (a late
     * commit, reveal or failure report is then simply not needed). Anything else is refused.
     */
    private Replicate own(String worker, String replicateId) {
        Replicate r = replicates.get(replicateId);
        if (r != null && r.worker().equals(worker)) return r;
        Replicate stored = r == null ? store.replicate(replicateId).orElse(null) : null;
        if (stored != null && stored.worker().equals(worker)) return null;
        throw new Rejected(404, "replicate " + replicateId + " is not assigned to worker " + worker);
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String line = s.replace('\n', ' ').replace('\r', ' ').trim();
        return line.length() > 500 ? line.substring(0, 500) : line;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        submitter.shutdown();
        try {
            loop.join(5_000);
            submitter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        store.close();
    }
}
