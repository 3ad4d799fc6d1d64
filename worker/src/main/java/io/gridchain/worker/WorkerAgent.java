package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.runtime.Runtime;
import io.gridchain.runtime.WasmRuntime;
import io.gridchain.worker.metrics.WorkerMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker: pulls replicates from a workerpool's scheduler and runs them. This class only wires its parts and
 * owns their threads:
 *
 * <ul>
 *   <li>{@link Session} (thread {@code gridchain-worker}): registers, claims up to the free slots of the
 *       {@link SlotLedger}, backs off on errors.</li>
 *   <li>{@link Dispatcher} (threads {@code gridchain-replicate-N}): runs each replicate with the
 *       {@link ReplicateRunner}, uploads the result ({@link Uploader}) and queues its commit or failure report.</li>
 *   <li>{@link Outbox} (thread {@code gridchain-outbox}): sends commits and failure reports in batches; a commit
 *       answer starts new assignments on the slots its commits freed, so a busy worker makes one request per batch
 *       of results.</li>
 *   <li>{@link Heartbeats} (thread {@code gridchain-heartbeat}) lists what the ledger holds; its answers, and the
 *       batch signatures asked for, are handled on {@code gridchain-reveal} ({@link Reveals}, {@link BatchSigner}).</li>
 * </ul>
 *
 * <p>A scheduler error never stops the agent: the client retries transient failures, and the agent logs one line
 * and goes on.
 */
public final class WorkerAgent implements Runnable, AutoCloseable {

    /** How much of the app's stdout and stderr a failure report carries (the end of each). */
    public static final int TAIL_BYTES = 4096;

    private final WorkerConfig config;
    private final SchedulerClient client;
    private final Fetcher fetcher;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService executor;
    private final ScheduledExecutorService heartbeatTimer;
    /** Acts on heartbeat answers (uploads, reveals, signatures) so heartbeats keep their period. */
    private final ExecutorService actions;

    private final SlotLedger ledger;
    private final WorkDirs workDirs;
    private final BatchSigner signer;
    private final Reveals reveals;
    private final Outbox outbox;
    private final Dispatcher dispatcher;
    private final Session session;
    private final Heartbeats heartbeats;
    private final Thread outboxThread;
    private final WorkerMetrics metrics;
    private Thread loop;

    /** An agent with its own {@link WasmRuntime}, scheduler client and fetcher. */
    public WorkerAgent(WorkerConfig config) {
        this(config, new WasmRuntime());
    }

    /** An agent that runs apps in {@code runtime} (share one {@link WasmRuntime}: it caches compiled modules). */
    public WorkerAgent(WorkerConfig config, Runtime runtime) {
        this(config, runtime, new SchedulerClient(config.schedulerUrl(), config.key()),
                new Fetcher(config.cacheDir(), java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(5),
                        Fetcher.DEFAULT_MAX_BYTES, config.cacheMaxBytes()));
    }

    public WorkerAgent(WorkerConfig config, Runtime runtime, SchedulerClient client, Fetcher fetcher) {
        this.config = config;
        this.client = client;
        this.fetcher = fetcher;
        String address = config.address();
        // replicate threads run their apps themselves: no hand-off to an app thread and back per replicate
        this.executor = Executors.newFixedThreadPool(config.slots(),
                WasmRuntime.appRunningThreads("gridchain-replicate"));
        this.heartbeatTimer = Executors.newSingleThreadScheduledExecutor(daemon("gridchain-heartbeat"));
        this.actions = Executors.newSingleThreadExecutor(daemon("gridchain-reveal"));

        this.ledger = new SlotLedger(config.slots(), this::wakeUp);
        // a folder per worker: several workers may share one cache, and each clears its own leftovers at start
        this.workDirs = new WorkDirs(config.cacheDir().resolve("work").resolve(address), 2 * config.slots());
        Uploader uploader = new Uploader(client);
        this.signer = new BatchSigner(client, address, config.key().getEcKeyPair().getPrivateKey(),
                this::domain, actions);
        this.reveals = new Reveals(client, ledger, uploader, signer, closed::get);
        this.outbox = new Outbox(client, ledger, signer, new Outbox.CommitAnswers() {
            @Override
            public void start(List<WorkerApi.Assignment> assignments, int permits, int[] used) {
                dispatcher.start(assignments, permits, used);
            }

            @Override
            public void sign(List<WorkerApi.SignRequest> requests) {
                signer.signLater(requests);
            }

            @Override
            public void reveal(List<String> replicateIds) {
                reveals.reveal(replicateIds);
            }
        }, closed::get, System::currentTimeMillis);
        this.metrics = new WorkerMetrics(config.slots(), () -> ledger.capacity() - ledger.free(), this::commits,
                this::reveals, this::failures);
        ReplicateRunner runner = new ReplicateRunner(metrics.timed(runtime), fetcher,
                new SecretsFetch(new io.gridchain.api.sms.SmsClient(null), config.key()), workDirs, config.sabotage(),
                address);
        this.dispatcher = new Dispatcher(ledger, executor, runner, uploader, outbox, signer, address, closed::get);
        this.session = new Session(config, client, ledger, dispatcher, signer, this::startHeartbeats, closed);
        this.heartbeats = new Heartbeats(client, session, ledger, reveals, signer, actions, closed::get, fetcher::placed);
        this.outboxThread = new Thread(outbox::run, "gridchain-outbox");
        this.outboxThread.setDaemon(true);
    }

    // the ledger and the signer are built before the session they call back
    private void wakeUp() {
        session.wakeUp();
    }

    private Eip712Domain domain() {
        return session.domain();
    }

    private void startHeartbeats(long periodSeconds) {
        heartbeatTimer.scheduleWithFixedDelay(heartbeats, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Runs the agent on a background thread; returns at once. */
    public synchronized WorkerAgent start() {
        if (closed.get()) {
            throw new IllegalStateException("this worker agent is closed");
        }
        if (loop == null) {
            workDirs.clearLeftovers();
            loop = new Thread(this, "gridchain-worker");
            loop.setDaemon(true);
            loop.start();
            outboxThread.start();
        }
        return this;
    }

    /** The claim loop; returns when the agent is closed. */
    @Override
    public void run() {
        session.run();
    }

    /** Stops claiming, heartbeats and running replicates (running apps are interrupted, best effort). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            t = loop;
        }
        session.wakeUp();
        outboxThread.interrupt();
        heartbeatTimer.shutdownNow();
        actions.shutdownNow();
        executor.shutdownNow();
        ledger.cancelAll();
        try {
            if (t != null && t != Thread.currentThread()) {
                t.join(10_000);
            }
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workDirs.close();
        metrics.close();
    }

    /** Serves this worker's figures on {@code GET /metrics} at {@code host:port} (0: a free port); returns the port. */
    public int serveMetrics(String host, int port) {
        return metrics.serve(host, port);
    }

    // ------------------------------------------------------------------------------------------------ state

    /** The worker's address (lower-case 0x-hex). */
    public String address() {
        return config.address();
    }

    public WorkerConfig config() {
        return config;
    }

    /** The scheduler's answer to the last registration, empty until registered. */
    public Optional<WorkerApi.RegisterResponse> registration() {
        return Optional.ofNullable(session.registration());
    }

    /** The replicates in flight (fetching, running or committing). */
    public Set<String> running() {
        return ledger.attachedIds();
    }

    /** The committed replicates waiting for the scheduler to ask for their reveal. */
    public Set<String> awaitingReveal() {
        return ledger.inPhase(SlotLedger.Phase.COMMITTED_AWAITING_REVEAL);
    }

    /** The (taskId, digest) results this worker revealed, which it will sign in batches. */
    public Map<String, String> results() {
        return signer.results();
    }

    public long commits() {
        return outbox.commits();
    }

    public long reveals() {
        return outbox.revealed() + reveals.revealed();
    }

    public long failures() {
        return outbox.failures();
    }

    public long batchSignatures() {
        return signer.signatures();
    }

    public Fetcher fetcher() {
        return fetcher;
    }

    public SchedulerClient client() {
        return client;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
