package io.gridchain.scheduler;

import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.sms.Signatures;
import io.gridchain.protocol.GridClient;
import io.gridchain.scheduler.api.WorkerHttpApi;
import io.gridchain.scheduler.certification.BatchLayout;
import io.gridchain.scheduler.certification.CertificationRoom;
import io.gridchain.scheduler.certification.Certifier;
import io.gridchain.scheduler.certification.PreparedBatch;
import io.gridchain.scheduler.chain.ChainFollower;
import io.gridchain.scheduler.chain.ChainReads;
import io.gridchain.scheduler.delivery.Deliveries;
import io.gridchain.scheduler.delivery.Destinations;
import io.gridchain.scheduler.delivery.DeliveryMachine;
import io.gridchain.scheduler.delivery.DeliveryRequests;
import io.gridchain.scheduler.delivery.DeliveryStore;
import io.gridchain.scheduler.delivery.StoredPayloads;
import io.gridchain.scheduler.delivery.TaskDelivery;
import io.gridchain.scheduler.delivery.Uploader;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.Plan;
import io.gridchain.scheduler.planning.Planner;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.scheduler.requester.TaskViews;
import io.gridchain.scheduler.results.ResultIntake;
import io.gridchain.scheduler.requester.TaskLogs;
import io.gridchain.scheduler.results.ResultStore;
import io.gridchain.scheduler.spotcheck.KnownAnswers;
import io.gridchain.scheduler.state.StateStore;
import io.gridchain.scheduler.state.StateStore.Changes;
import io.gridchain.scheduler.workers.ReplayGuard;
import io.gridchain.scheduler.workers.WorkerProtocol;
import io.gridchain.scheduler.workers.WorkerView;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of one workerpool: wires its rooms together and runs its one loop, which follows the chain
 * ({@link ChainFollower}), decides over the live state ({@link Planner}), applies the decisions ({@link Applier}),
 * and certifies results on-chain in batches ({@link CertificationRoom}). Workers are answered by the
 * {@link WorkerProtocol}, results taken in by the {@link ResultIntake}, requesters by the {@link TaskViews}.
 *
 * <p>Nothing leaves the scheduler before the changes it depends on are saved: an answer to a worker waits for
 * them, and so does a batch's transaction to the chain. So a scheduler killed at any moment restarts from a
 * consistent state that covers everything it told anyone. Batches are marked FINALIZING before their transaction
 * is sent; on restart they are reconciled with the chain, and the hub refuses to finalize a task twice, so nothing
 * is paid twice.
 */
public final class SchedulerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

    /**
     * @param maxBatch most tasks in one finalizeBatch transaction
     * @param signTimeoutMillis how long a multi-task batch waits for workers' signatures before it is split
     * @param minReplicas the pool's policy of agreeing results per task, on top of the deal's trust
     * @param policy the pool's sabotage tolerance (credibility, blacklist) on top of the chain's rule
     * @param confirmations blocks that must follow a deal's (or a batch's) block before the scheduler acts on it
     * @param deliveryToPrivate whether requesters may name delivery targets on private addresses (loopback, LAN,
     *     link-local): off by default, as a target is a stranger's choice of where this scheduler sends requests
     *     ({@link io.gridchain.scheduler.delivery.Destinations})
     */
    public record Options(Lifecycle lifecycle, int maxBatch, long pollMillis, long signTimeoutMillis,
            int minReplicas, ReplicationPolicy policy, int confirmations, boolean deliveryToPrivate) {
        public static final Options DEFAULT =
                new Options(Lifecycle.DEFAULT, 200, 20, 10_000, 1, ReplicationPolicy.CHAIN_ONLY, 0, false);

        public Options withMinReplicas(int value) {
            return new Options(lifecycle, maxBatch, pollMillis, signTimeoutMillis, value, policy, confirmations,
                    deliveryToPrivate);
        }

        public Options withPollMillis(long value) {
            return new Options(lifecycle, maxBatch, value, signTimeoutMillis, minReplicas, policy, confirmations,
                    deliveryToPrivate);
        }

        public Options withMaxBatch(int value) {
            return new Options(lifecycle, value, pollMillis, signTimeoutMillis, minReplicas, policy, confirmations,
                    deliveryToPrivate);
        }

        public Options withPolicy(ReplicationPolicy value) {
            return new Options(lifecycle, maxBatch, pollMillis, signTimeoutMillis, minReplicas, value, confirmations,
                    deliveryToPrivate);
        }

        public Options withConfirmations(int value) {
            if (value < 0) throw new IllegalArgumentException("confirmations must be 0 or more");
            return new Options(lifecycle, maxBatch, pollMillis, signTimeoutMillis, minReplicas, policy, value,
                    deliveryToPrivate);
        }

        public Options withDeliveryToPrivate(boolean value) {
            return new Options(lifecycle, maxBatch, pollMillis, signTimeoutMillis, minReplicas, policy, confirmations,
                    value);
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

    /**
     * What the requester sees of a task: its status, and its result or its typed failure; and, when the requester named
     * a delivery target, how the result's delivery there stands (a DeliveryStatus) and why it is not DELIVERED.
     */
    public record TaskView(String taskId, String dealId, long index, String status, String digest, String cause,
            String message, String transaction, String delivery, String deliveryCause, Integer replicas,
            Integer contributed) {
        public TaskView(String taskId, String dealId, long index, String status, String digest, String cause,
                String message, String transaction) {
            this(taskId, dealId, index, status, digest, cause, message, transaction, null, null, null, null);
        }
    }

    private final Options options;
    private final Planner planner;
    private final Applier applier;
    private final LiveState live;
    private final ChainFollower follower;
    private final CertificationRoom certification;
    private final WorkerProtocol workers;
    private final ReplayGuard replay;
    private final ResultIntake results;
    private final TaskViews views;
    private final Thread loop;
    private final RequestAuth.Scope scope;
    private final GridClient hubClient;
    private final TaskLogs logs;
    private final String workerpool;
    /** Results to the requesters' own storage; null when this scheduler keeps no deliveries. */
    private final Deliveries deliveries;
    private final DeliveryRequests deliveryRequests;
    private volatile boolean running = true;

    public SchedulerService(GridClient hub, String workerpool, StateStore store, ResultStore results,
            Options options) {
        this(hub, workerpool, store, results, options, null);
    }

    /** @param logs where the apps' output tails are kept for requesters ({@code task logs}); null keeps none */
    public SchedulerService(GridClient hub, String workerpool, StateStore store, ResultStore results,
            Options options, TaskLogs logs) {
        this(hub, workerpool, store, results, options, logs, null);
    }

    /** @param deliveryStore where requesters' delivery targets and their status are kept; null delivers nothing */
    public SchedulerService(GridClient hub, String workerpool, StateStore store, ResultStore results,
            Options options, TaskLogs logs, DeliveryStore deliveryStore) {
        this.options = options;
        this.logs = logs;
        this.hubClient = hub;
        this.workerpool = workerpool;
        this.scope = new RequestAuth.Scope(workerpool, hub.protocol().domain().chainId());
        // one secret for both draws: which claims get a known-answer task, which tasks are audited
        long salt = new SecureRandom().nextLong();
        this.planner = new Planner(options.lifecycle(), options.maxBatch(), options.minReplicas(), options.policy(), salt);
        KnownAnswers knownAnswers = new KnownAnswers(options.policy(), salt);
        this.applier = new Applier(store);
        this.live = applier.live();
        log.info("resumed: {} deal(s), {} live task(s), {} replicate(s), {} worker(s)", live.deals().size(),
                live.tasks().size(), live.replicates().size(), live.workers().size());
        Destinations destinations = Destinations.of(options.deliveryToPrivate());
        this.deliveries = deliveryStore == null ? null : new Deliveries(deliveryStore, Uploader.standard(destinations),
                new StoredPayloads(results)::of, DeliveryMachine.DEFAULT, this::certifiedOf, workerpool,
                Deliveries.RESCAN_MILLIS);
        this.deliveryRequests = new DeliveryRequests(scope.chainId(), this::requesterOf, destinations);
        this.follower = new ChainFollower(ChainReads.of(hub), applier, options.pollMillis(), options.confirmations());
        this.certification = new CertificationRoom(applier, new BatchLayout(results), new Certifier(hub),
                options.lifecycle(), options.signTimeoutMillis(), (task, replicates) -> {
                    knownAnswers.certified(task, replicates);
                    if (deliveries != null && deliveries.wanted(task.dealId())) deliveries.certified(delivery(task, 0));
                }, options.confirmations(),
                options.pollMillis() * 5);
        certification.recover();
        applier.saved(applier.queued());
        this.workers = new WorkerProtocol(applier, planner, knownAnswers, certification, options.lifecycle(),
                workerpool, hub.protocol().domain(), follower::chainNow, follower::refresh,
                (taskId, worker) -> Signatures.authorize(hub.protocol().domain().chainId(), hub.protocol().domain().hub(),
                        taskId, worker, hub.credentials()), logs);
        this.replay = new ReplayGuard(live.workers(), System.currentTimeMillis());
        this.results = new ResultIntake(applier, knownAnswers, results);
        this.views = new TaskViews(applier, deliveries);
        this.loop = new Thread(this::run, "gridchain-scheduler");
        this.loop.setDaemon(true);
    }

    public SchedulerService start() {
        if (deliveries != null) deliveries.start();
        loop.start();
        return this;
    }

    /** The one scheduler this is: the workerpool and chain every worker request must be signed for. */
    public RequestAuth.Scope scope() {
        return scope;
    }

    /** The worker protocol, for the {@link WorkerHttpApi}. */
    public WorkerProtocol workers() {
        return workers;
    }

    /**
     * Refuses a worker the pool's on-chain allowlist leaves out, when the pool declared it runs only allowlisted
     * workers; read from the chain at each registration (a worker registers once per session), so removing a worker
     * takes effect at its next registration, and at once at the secret services, which check every release.
     */
    public void admit(String worker) {
        if (hubClient.allowlistOnly(workerpool) && !hubClient.workerAllowed(workerpool, worker)) {
            throw new Rejected(403, "worker " + worker + " is not on the allowlist of pool " + workerpool
                    + ", which runs only allowlisted workers: its owner adds it with `gridchain pool allow "
                    + workerpool + " " + worker + "`");
        }
    }

    /** Who may send a request, and replays, for the {@link WorkerHttpApi}. */
    public ReplayGuard replay() {
        return replay;
    }

    /**
     * What the apps printed in the replicas of {@code taskId}, for the deal's requester only: {@code signer} must have
     * signed {@link WorkerApi#logsMessage} for this scheduler's chain, at a {@code time} within
     * {@link WorkerApi#LOGS_WINDOW_SECONDS} of its clock.
     */
    public WorkerApi.TaskLogs logs(String taskId, String time, String signature) {
        long t;
        try {
            t = Long.parseLong(time);
        } catch (NumberFormatException | NullPointerException e) {
            throw new Rejected(401, "a task's logs are for its requester: sign them with `gridchain task logs " + taskId
                    + "` (missing " + WorkerApi.LOGS_TIME + ")");
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - t) > WorkerApi.LOGS_WINDOW_SECONDS) {
            throw new Rejected(401, "the logs request was signed at " + t + ", too far from this scheduler's clock: sign"
                    + " a fresh one, and check the clock");
        }
        String signer = Signatures.recover(WorkerApi.logsMessage(scope.chainId(), taskId, t), signature).orElseThrow(() ->
                new Rejected(401, "the logs request's signature is missing or malformed"));
        TaskLogs.Logs kept;
        try {
            kept = logs == null ? null : logs.of(taskId).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, "not a task id: " + taskId);
        }
        if (kept == null) throw new Rejected(404, "no logs of task " + taskId + " here: its app printed nothing (or the"
                + " task is unknown to this scheduler)");
        if (!kept.requester().equalsIgnoreCase(signer)) {
            throw new Rejected(403, "the logs of task " + taskId + " are for its deal's requester " + kept.requester()
                    + ", not for " + signer);
        }
        return new WorkerApi.TaskLogs(taskId, kept.replicas());
    }

    /**
     * Names (or replaces) where the certified results of {@code dealId} also go, for its requester only (checked by
     * {@link DeliveryRequests}); every task certified so far goes there too.
     */
    public io.gridchain.api.Delivery.Registered deliver(String dealId, String time, String signature, byte[] body) {
        if (deliveries == null) throw new Rejected(404, "this scheduler delivers results to no other storage");
        DeliveryRequests.Checked c = deliveryRequests.check(dealId, time, signature, body,
                System.currentTimeMillis() / 1000);
        long now = System.currentTimeMillis();
        int queued = deliveries.register(dealId, new DeliveryStore.Registration(c.requester(), c.target(), now), now);
        return new io.gridchain.api.Delivery.Registered(dealId.toLowerCase(), c.target().describe(), queued);
    }

    private Optional<String> requesterOf(String dealId) {
        synchronized (applier.lock()) {
            var d = live.deals().get(dealId);
            return d == null ? Optional.empty() : Optional.of(d.record().deal().requester());
        }
    }

    /** The deal's tasks certified so far, as deliveries to start (a target named late, or a rescan). */
    private List<TaskDelivery> certifiedOf(String dealId, long now) {
        return applier.savedTasksOf(dealId).stream()
                .filter(t -> t.status() == TaskStatus.FINALIZED && t.digest() != null)
                .map(t -> delivery(t, now)).toList();
    }

    private TaskDelivery delivery(Task t, long now) {
        boolean callback;
        synchronized (applier.lock()) {
            var d = live.deals().get(t.dealId());
            callback = d != null && d.record().deal().hasCallback();
        }
        return TaskDelivery.pending(t.dealId(), t.taskId(), t.index(), t.digest(), callback, now);
    }

    /** Uploads and reads of results, for the {@link WorkerHttpApi}. */
    public ResultIntake results() {
        return results;
    }

    /** The next block the deal scan reads: {@code confirmations} below the head once it has caught up. */
    public long cursor() {
        synchronized (applier.lock()) {
            return live.cursor();
        }
    }

    public Optional<TaskView> task(String taskId) {
        return views.task(taskId);
    }

    /** The workers alive now with their slots, by address: a public read (the explorer), one consistent moment. */
    public List<WorkerView> workersAlive() {
        synchronized (applier.lock()) {
            return WorkerView.alive(live.workers().values(), live::busy, System.currentTimeMillis(),
                    options.lifecycle().workerLostAfter());
        }
    }

    /** {@code reader}'s view of the live state, read under the scheduler's lock (a census for metrics). */
    public <T> T read(Function<LiveState, T> reader) {
        synchronized (applier.lock()) {
            return reader.apply(live);
        }
    }

    /** {@code listener} hears of each batch the chain accepts (metrics). */
    public void onBatchLanded(CertificationRoom.Landed listener) {
        certification.onLanded(listener);
    }

    public Options options() {
        return options;
    }

    /** What the pool verified about {@code worker} (known-answer checks passed, lies caught). */
    public SpotCheckRecord spotChecks(String worker) {
        return live.spotChecks(worker.toLowerCase());
    }

    private void run() {
        while (running) {
            try {
                long now = System.currentTimeMillis();
                follower.follow(now, () -> running);
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

    /** One round of planning: timeouts, consensus, failures, batches; then sends the ready batches. */
    void tick(long now) {
        List<PreparedBatch> ready;
        long sequence;
        synchronized (applier.lock()) {
            List<Task> toDecide = live.toDecide(now, follower.chainNow(), options.lifecycle());
            Plan plan;
            try {
                plan = planner.tick(live.snapshot(toDecide, certification.batching()), now, follower.chainNow());
                applier.apply(plan.tasks(), plan.replicates(), List.of());
                recordCaught(plan.tasks());
            } catch (RuntimeException e) {
                live.redecide(toDecide);
                throw e;
            }
            ready = certification.take(plan.batches(), now);
            sequence = applier.queued();
        }
        // a batch goes to the chain only once its tasks are saved as FINALIZING, so a restart reconciles them
        certification.dispatch(ready, sequence);
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
            for (String w : Planner.caught(t, live.replicatesOf(t.taskId()))) {
                outcomes.merge(w, new SpotCheckRecord(0, 1), SpotCheckRecord::plus);
            }
        }
        if (outcomes.isEmpty()) return;
        applier.apply(Changes.spotChecks(outcomes));
        log.warn("workers caught lying by a consensus: {}", outcomes.keySet());
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        certification.close();
        if (deliveries != null) deliveries.close();
        applier.close();
    }
}
