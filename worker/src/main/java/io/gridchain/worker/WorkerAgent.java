package io.gridchain.worker;

import io.gridchain.api.FastSign;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Limits;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.runtime.Runtime;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The worker: pulls replicates from a workerpool's scheduler and runs them.
 *
 * <ol>
 *   <li>Registers ({@code POST /v1/workers/register}); the answer gives the hub's EIP-712 domain (chain id, hub)
 *       and the heartbeat period. Retried until it succeeds; redone when the scheduler says the worker is
 *       unknown.</li>
 *   <li>Claims up to its free slots ({@code POST /v1/replicates/claim}); never more than {@code slots} replicates
 *       are in flight. An idle worker claims again after {@code pollInterval}; a worker whose slots are full waits
 *       until one frees.</li>
 *   <li>Per assignment, on an executor thread: fetches the app and inputs ({@link Fetcher}), runs the app
 *       ({@link Runtime}; inputs under {@code /in/NAME}), makes sure the scheduler's store holds the result
 *       ({@code HEAD}, then {@code PUT /v1/results/{digest}}; content-addressed, so a result it holds is not sent
 *       again), and queues the commit with its digest in the outbox; on failure it uploads the partial output (if
 *       any) and queues the typed cause. The outbox thread sends what is queued in one request
 *       ({@code POST /v1/replicates/commit}, {@code POST /v1/replicates/fail}) as soon as no replicate is running
 *       or {@link #LINGER_MILLIS} after the first item. A commit request claims as many new replicates as its
 *       commits free slots, and the answer's assignments start on those slots: a busy worker makes one request
 *       per batch of results. A result whose upload failed is committed without its digest and revealed
 *       ({@code POST /v1/replicates/reveal}, uploading first) when a commit or heartbeat answer names it. A
 *       replicate holds its slot until its digest reaches the scheduler or it is reported or dropped.</li>
 *   <li>Heartbeats every {@code heartbeatSeconds} ({@code POST /v1/workers/heartbeat}) listing the replicates in
 *       flight; it stops the cancelled ones (best effort), reveals the ones named, and signs the batches asked for
 *       ({@code POST /v1/batches/sign}) only if every entry is a (task, digest) it revealed itself.</li>
 * </ol>
 *
 * <p>A scheduler error never stops the agent: the client retries transient failures, and the agent logs one line
 * and goes on.
 */
public final class WorkerAgent implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class);

    /** How much of the app's stdout and stderr a failure report carries (the end of each). */
    public static final int TAIL_BYTES = 4096;

    /** Heartbeat period when the scheduler names none. */
    static final long DEFAULT_HEARTBEAT_SECONDS = 10;

    /** How many own (task, digest) results are remembered for batch signing. */
    static final int MAX_REMEMBERED_RESULTS = 100_000;

    private static final long MAX_ERROR_BACKOFF_MILLIS = 5_000;

    private final WorkerConfig config;
    private final Runtime runtime;
    private final SchedulerClient client;
    private final Fetcher fetcher;
    private final String address;
    private final Path workRoot;

    private final Semaphore slots;
    private final ExecutorService executor;
    private final ScheduledExecutorService heartbeats;
    /** Acts on heartbeat responses (uploads, reveals, signatures) so heartbeats keep their period. */
    private final ExecutorService actions;
    private final Object wake = new Object();

    private final Map<String, Job> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Pending> committed = new ConcurrentHashMap<>();
    /** Replicates holding one of the agent's slot permits, until revealed, reported failed or dropped. */
    private final Set<String> holding = ConcurrentHashMap.newKeySet();
    /** Commits and failure reports waiting to be sent, in batches, by the outbox thread. */
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    private final Thread outboxThread;
    /** Digests the scheduler's store is known to hold (uploaded or seen there): not uploaded again. */
    private final Set<String> stored = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });
    /** Batches signed or being signed (a sign request repeats until the scheduler has the signature). */
    private final Set<String> signedBatches = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });
    private final Map<String, String> ownResults = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX_REMEMBERED_RESULTS;
                }
            });

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong ran = new AtomicLong();
    private final java.util.SplittableRandom sabotageRandom;
    private final AtomicLong reveals = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong signatures = new AtomicLong();

    private volatile WorkerApi.RegisterResponse registration;
    private volatile Eip712Domain domain;
    private volatile boolean heartbeatScheduled;
    private volatile boolean closed;
    private Thread loop;

    /** An agent with its own {@link WasmRuntime}, scheduler client and fetcher. */
    public WorkerAgent(WorkerConfig config) {
        this(config, new WasmRuntime());
    }

    /** An agent that runs apps in {@code runtime} (share one {@link WasmRuntime}: it caches compiled modules). */
    public WorkerAgent(WorkerConfig config, Runtime runtime) {
        this(config, runtime, new SchedulerClient(config.schedulerUrl(), config.key()),
                new Fetcher(config.cacheDir()));
    }

    public WorkerAgent(WorkerConfig config, Runtime runtime, SchedulerClient client, Fetcher fetcher) {
        this.config = config;
        this.runtime = runtime;
        this.client = client;
        this.fetcher = fetcher;
        this.address = config.address();
        this.sabotageRandom = new java.util.SplittableRandom(config.sabotage() == null ? 0 : config.sabotage().seed()
                ^ address.hashCode());
        this.workRoot = config.cacheDir().resolve("work");
        this.slots = new Semaphore(config.slots());
        // replicate threads run their apps themselves: no hand-off to an app thread and back per replicate
        this.executor = Executors.newFixedThreadPool(config.slots(),
                WasmRuntime.appRunningThreads("gridchain-replicate"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("gridchain-heartbeat"));
        this.actions = Executors.newSingleThreadExecutor(daemon("gridchain-reveal"));
        this.outboxThread = new Thread(this::flushLoop, "gridchain-outbox");
        this.outboxThread.setDaemon(true);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Runs the agent on a background thread; returns at once. */
    public synchronized WorkerAgent start() {
        if (closed) {
            throw new IllegalStateException("this worker agent is closed");
        }
        if (loop == null) {
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
        log.info("worker {} starting: {}", address, config);
        long backoff = 0;
        while (!closed) {
            try {
                if (registration == null || client.sessionLost()) {
                    register(); // also after the scheduler forgot the session (restart): a new session
                }
                int free = slots.availablePermits();
                if (free > 0 && free < config.slots() && !holding.isEmpty()) {
                    // more slots are about to free up: one claim for several saves the scheduler requests
                    Thread.sleep(CLAIM_LINGER_MILLIS);
                }
                if (claimOnce()) {
                    backoff = 0;
                } else {
                    backoff = 0;
                    pause(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SchedulerException e) {
                if (closed) {
                    break;
                }
                if (e.status() / 100 == 4 && e.getMessage() != null
                        && e.getMessage().toLowerCase(Locale.ROOT).contains("regist")) {
                    registration = null;
                }
                backoff = backoff == 0 ? 250 : Math.min(backoff * 2, MAX_ERROR_BACKOFF_MILLIS);
                log.warn("scheduler: {} (retrying in {} ms)", e.getMessage(), backoff);
                pause(backoff);
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                backoff = backoff == 0 ? 250 : Math.min(backoff * 2, MAX_ERROR_BACKOFF_MILLIS);
                log.warn("worker loop error: {} (retrying in {} ms)", e.toString(), backoff);
                pause(backoff);
            }
        }
        log.info("worker {} stopped", address);
    }

    /** Stops claiming, heartbeats and running replicates (running apps are interrupted, best effort). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = loop;
        }
        wakeUp();
        outboxThread.interrupt();
        heartbeats.shutdownNow();
        actions.shutdownNow();
        executor.shutdownNow();
        for (Job job : inFlight.values()) {
            job.interrupt();
        }
        try {
            if (t != null && t != Thread.currentThread()) {
                t.join(10_000);
            }
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path spare; (spare = spareDirs.poll()) != null; ) {
            deleteTree(spare);
        }
    }

    // ------------------------------------------------------------------------------------------------ state

    /** The worker's address (lower-case 0x-hex). */
    public String address() {
        return address;
    }

    public WorkerConfig config() {
        return config;
    }

    /** The scheduler's answer to the last registration, empty until registered. */
    public Optional<WorkerApi.RegisterResponse> registration() {
        return Optional.ofNullable(registration);
    }

    /** The replicates in flight (fetching, running or committing). */
    public Set<String> running() {
        return Set.copyOf(inFlight.keySet());
    }

    /** The committed replicates waiting for the scheduler to ask for their reveal. */
    public Set<String> awaitingReveal() {
        return Set.copyOf(committed.keySet());
    }

    /** The (taskId, digest) results this worker revealed, which it will sign in batches. */
    public Map<String, String> results() {
        synchronized (ownResults) {
            return Map.copyOf(ownResults);
        }
    }

    public long commits() {
        return commits.get();
    }

    public long reveals() {
        return reveals.get();
    }

    public long failures() {
        return failures.get();
    }

    public long batchSignatures() {
        return signatures.get();
    }

    public Fetcher fetcher() {
        return fetcher;
    }

    public SchedulerClient client() {
        return client;
    }

    // ------------------------------------------------------------------------------------------------ registration

    private void register() {
        WorkerApi.RegisterResponse r = client.register(new WorkerApi.RegisterRequest(config.slots(), SchedulerClient.AGENT));
        if (r == null || r.hub() == null) {
            throw new SchedulerException(200, "POST", WorkerApi.REGISTER,
                    "the scheduler's registration answer names no hub", null);
        }
        domain = new Eip712Domain(r.chainId(), r.hub());
        registration = r;
        long period = r.heartbeatSeconds() > 0 ? r.heartbeatSeconds() : DEFAULT_HEARTBEAT_SECONDS;
        log.info("worker {} registered with workerpool {} (chain {}, hub {}, {} slots, heartbeat every {} s)", address,
                r.workerpool(), r.chainId(), r.hub(), config.slots(), period);
        if (!heartbeatScheduled) {
            heartbeatScheduled = true;
            heartbeats.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------------ claiming

    /** Claims up to the free slots and starts what came; false when idle (nothing to claim or no free slot). */
    private boolean claimOnce() {
        int free = slots.availablePermits();
        if (free <= 0 || !slots.tryAcquire(free)) {
            return false;
        }
        int[] used = {0};
        try {
            WorkerApi.ClaimResponse response = client.claim(new WorkerApi.ClaimRequest(free));
            if (response != null) {
                signLater(response.sign());
                start(response.assignments(), free, used);
            }
            return used[0] > 0;
        } finally {
            slots.release(free - used[0]);
        }
    }

    /**
     * Starts the assignments on the {@code permits} slot permits the caller holds, counting in {@code used[0]}
     * the permits they took (the caller releases the rest, also when this throws). An assignment beyond the
     * permits is refused: the scheduler gave more than was asked for.
     */
    private void start(List<WorkerApi.Assignment> assignments, int permits, int[] used) {
        if (assignments == null) {
            return;
        }
        for (WorkerApi.Assignment a : assignments) {
            if (a == null || a.replicateId() == null) {
                continue;
            }
            if (inFlight.containsKey(a.replicateId()) || committed.containsKey(a.replicateId())) {
                log.debug("replicate {} is already being handled; ignoring the repeated assignment", a.replicateId());
                continue;
            }
            if (used[0] >= permits) {
                log.warn("the scheduler assigned more replicates than the {} asked for; refusing {}", permits,
                        a.replicateId());
                reportFailure(a, "HOST_ERROR", "the worker had no free slot for this replicate (it claimed "
                        + permits + ")", null, null, null);
                continue;
            }
            Job job = new Job(a);
            inFlight.put(a.replicateId(), job);
            holding.add(a.replicateId());
            try {
                executor.execute(job);
                used[0]++;
            } catch (RejectedExecutionException e) {
                inFlight.remove(a.replicateId());
                holding.remove(a.replicateId());
                if (!closed) {
                    throw e;
                }
            }
        }
    }

    private void pause(long millis) {
        if (millis <= 0 || closed) {
            return;
        }
        synchronized (wake) {
            try {
                wake.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------------------------ one replicate

    /**
     * A committed result waiting for its reveal; {@code unstored} holds the bytes for the scheduler's store when the
     * upload before the commit failed, null when the store already holds them.
     */
    private record Pending(WorkerApi.Assignment assignment, String digest, byte[] unstored) {}

    /** One replicate in flight; it can be interrupted only while its own thread runs it. */
    private final class Job implements Runnable {
        final WorkerApi.Assignment assignment;
        volatile boolean cancelled;
        /** Its result or failure went to the outbox, which frees the slot once the scheduler has it. */
        boolean handedOff;
        private Thread thread;

        Job(WorkerApi.Assignment assignment) {
            this.assignment = assignment;
        }

        synchronized void interrupt() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public void run() {
            synchronized (this) {
                thread = Thread.currentThread();
            }
            try {
                handedOff = execute(this);
            } catch (RuntimeException | Error e) {
                log.warn("replicate {}: {}", assignment.replicateId(), e.toString());
            } finally {
                synchronized (this) {
                    thread = null;
                    Thread.interrupted(); // a late cancel must not leak into the pool thread's next replicate
                }
                inFlight.remove(assignment.replicateId());
                if (!handedOff) {
                    finish(assignment.replicateId());
                }
            }
        }
    }

    /**
     * Runs the replicate; true if its commit or failure report was queued (the outbox then frees its slot). The
     * output stays in memory (the runtime's archive of /out): a work directory on disk is used only to stage input
     * files, since listing, checking and emptying one cost more system calls than a no-op run.
     */
    private boolean execute(Job job) {
        WorkerApi.Assignment a = job.assignment;
        String id = a.replicateId();
        boolean hasInputs = a.inputs() != null && !a.inputs().isEmpty();
        Path workDir = null;
        if (hasInputs) {
            try {
                workDir = takeWorkDir();
            } catch (IOException e) {
                return reportFailure(a, "HOST_ERROR", "cannot create a work directory under " + workRoot + ": "
                        + e.getMessage(), null, null, null);
            }
        }
        try {
            WorkerApi.AppSpec app = a.app();
            if (app == null) {
                return reportFailure(a, FetchFailure.Cause.FETCH_FAILED.name(), "the assignment names no app", null,
                        null, null);
            }
            Path inDir = hasInputs ? workDir.resolve("in") : null;
            byte[] module;
            String moduleSha;
            try {
                moduleSha = Fetcher.normalize(app.checksum(), "app");
                module = fetcher.fetch(app.uri(), app.checksum(), "app");
                if (hasInputs) {
                    fetchInputs(a, inDir);
                }
            } catch (FetchFailure f) {
                if (job.cancelled || closed) {
                    log.info("replicate {} cancelled", id);
                    return false;
                }
                log.info("replicate {} (task {}): {}", id, a.taskId(), f.toString());
                return reportFailure(a, f.cause().name(), f.getMessage(), null, null, null);
            }
            if (job.cancelled || closed) {
                log.info("replicate {} cancelled before it ran", id);
                return false;
            }
            ExecutionRequest request = ExecutionRequest.of(appName(app), module, null)
                    .withModuleSha256(moduleSha)
                    .withArgs(a.args() == null ? List.of() : a.args())
                    .withEnv(a.env() == null ? Map.of() : a.env())
                    .withInputDir(inDir)
                    .withLimits(limits(a.limits()))
                    .withSeed(a.seed());
            ExecutionResult result = runtime.run(request);
            if (job.cancelled || closed) {
                log.info("replicate {} cancelled; its result is dropped", id);
                return false;
            }
            if (!result.succeeded()) {
                log.info("replicate {} (task {}) failed: {}", id, a.taskId(), result.failure());
                return reportFailure(a, result.failure().cause().name(), result.failure().message(),
                        result.stdout(), result.stderr(), result.output());
            }
            byte[] output = sabotage(a, result.output());
            // what the store keeps: a callback deal's raw data, else the output's archive
            byte[] storeBytes;
            String digest;
            if (a.callback()) {
                Optional<byte[]> data = callbackData(output);
                if (data.isEmpty()) {
                    log.info("replicate {} (task {}): the app wrote no {} for its callback deal", id, a.taskId(),
                            WorkerApi.CALLBACK_FILE);
                    return reportFailure(a, "NO_CALLBACK_DATA", "the app wrote no /out/" + WorkerApi.CALLBACK_FILE
                            + ": a callback deal needs the bytes to send to the contract", result.stdout(),
                            result.stderr(), output);
                }
                storeBytes = data.get();
                digest = Contributions.callbackDigest(storeBytes);
            } else {
                storeBytes = output;
                digest = ResultArchive.digest(storeBytes);
            }
            // The result goes to the scheduler's store before the commit, so the commit can reveal its digest too.
            // If the upload fails, the commit goes without it and the bytes are kept for a later reveal.
            boolean inStore = uploaded(a, digest, storeBytes);
            return commit(a, digest, inStore, inStore ? null : storeBytes);
        } finally {
            recycle(workDir);
        }
    }

    /** Fault injection: a saboteur worker corrupts its output before it is digested. */
    private byte[] sabotage(WorkerApi.Assignment a, byte[] output) {
        Sabotage s = config.sabotage();
        if (s == null) return output;
        boolean lie;
        synchronized (sabotageRandom) {
            lie = s.lies(a.taskId(), ran.getAndIncrement(), sabotageRandom);
        }
        if (!lie) return output;
        log.info("replicate {} (task {}): sabotaged", a.replicateId(), a.taskId());
        return s.corrupt(output, a.taskId(), address);
    }

    /**
     * Queues the commit of the digest, revealing it in the same request when the result is in the scheduler's
     * store; true (a result not revealed yet keeps its bytes for the reveal).
     */
    private boolean commit(WorkerApi.Assignment a, String digest, boolean reveal, byte[] unstored) {
        String id = a.replicateId();
        String commitment = Contributions.commitment(address, List.of(new Contributions.Entry(a.taskId(), digest)));
        // signed only when the scheduler can use it as the on-chain contribution (a single-task deal); in a
        // bag the worker signs its chain over the batch instead, and the authenticated request binds the commit
        String signature = a.signCommit() ? Numeric.toHexString(signCommitment(commitment)) : null;
        outbox.add(new CommitItem(new Pending(a, digest, unstored),
                new WorkerApi.Commit(id, commitment, signature, reveal ? digest : null)));
        return true;
    }

    /** Whether the scheduler's store holds the result, uploading it if needed; false if that failed. */
    private boolean uploaded(WorkerApi.Assignment a, String digest, byte[] bytes) {
        try {
            put(digest, bytes);
            return true;
        } catch (RuntimeException e) {
            log.info("replicate {}: upload failed, the digest will be revealed when asked: {}", a.replicateId(),
                    e.getMessage());
            return false;
        }
    }

    private static final byte[] CONTRIBUTION_TYPEHASH = Words.keccak("Contribution(bytes32 commitment)");

    /**
     * The EIP-712 signature of {@code Contribution(bytes32 commitment)}, byte for byte
     * {@link Contributions#signCommitment}'s, at a third of its cost ({@link FastSign}).
     */
    byte[] signCommitment(String commitment) {
        byte[] structHash = Words.of().bytes32(CONTRIBUTION_TYPEHASH).bytes32(commitment).keccak();
        return FastSign.sign(domain.digest(structHash), config.key().getEcKeyPair().getPrivateKey());
    }

    /** A commit waiting in the outbox. */
    private record CommitItem(Pending pending, WorkerApi.Commit commit) {
        /** Its digest goes with it: the replicate is done once the scheduler has the request. */
        boolean reveals() {
            return commit.digest() != null;
        }
    }

    /** A failure report waiting in the outbox. */
    private record FailItem(WorkerApi.Failure failure, long deadline) {}

    /** How long the outbox waits for more items before it sends what it has, while replicates still run. */
    static final long LINGER_MILLIS = 2;

    /** How long a worker with some slots still busy waits for more to free up before it claims. */
    static final long CLAIM_LINGER_MILLIS = 3;

    /** Most items in one request. */
    static final int MAX_BATCH = 256;

    /**
     * Items the scheduler could not be reached for. A scheduler restarts and comes back with its state, so
     * they are sent again, with a growing pause, until their deal's deadline; touched by the outbox thread only.
     */
    private final List<Object> retrying = new ArrayList<>();
    private long retryAt;
    private long retryPauseMillis = FIRST_RETRY_PAUSE_MILLIS;
    private static final long FIRST_RETRY_PAUSE_MILLIS = 200;
    private static final long MAX_RETRY_PAUSE_MILLIS = 5_000;

    /** Keeps {@code items} for another try; false (and nothing kept) once the deal's deadline has passed. */
    private boolean retryLater(List<?> items, long deadlineSeconds, String what, SchedulerException e) {
        if (closed || System.currentTimeMillis() / 1000 >= deadlineSeconds) {
            return false;
        }
        log.warn("{}: scheduler unreachable, trying again in {} ms: {}", what, retryPauseMillis, e.getMessage());
        retrying.addAll(items);
        retryAt = System.currentTimeMillis() + retryPauseMillis;
        retryPauseMillis = Math.min(retryPauseMillis * 2, MAX_RETRY_PAUSE_MILLIS);
        return true;
    }

    /**
     * The outbox: sends commits and failure reports in batches, as soon as every running replicate is done or
     * {@link #LINGER_MILLIS} after the first item, and reveals what the commit answer names at once.
     */
    private void flushLoop() {
        while (!closed) {
            try {
                if (!retrying.isEmpty() && System.currentTimeMillis() >= retryAt) {
                    outbox.addAll(retrying);
                    retrying.clear();
                }
                Object first = outbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Object> items = new ArrayList<>();
                items.add(first);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                while (items.size() < MAX_BATCH) {
                    outbox.drainTo(items, MAX_BATCH - items.size());
                    long left = until - System.nanoTime();
                    if (inFlight.isEmpty() || left <= 0 || items.size() >= MAX_BATCH) {
                        break;
                    }
                    Object next = outbox.poll(Math.min(left, 200_000), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        items.add(next);
                    }
                }
                List<CommitItem> toCommit = new ArrayList<>();
                List<FailItem> toFail = new ArrayList<>();
                for (Object o : items) {
                    if (o instanceof CommitItem c) {
                        toCommit.add(c);
                    } else if (o instanceof FailItem f) {
                        toFail.add(f);
                    }
                }
                if (!toFail.isEmpty()) {
                    sendFailures(toFail);
                }
                if (!toCommit.isEmpty()) {
                    sendCommits(toCommit);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("outbox: {}", e.toString());
            }
        }
    }

    private void sendCommits(List<CommitItem> items) {
        List<WorkerApi.Commit> list = new ArrayList<>(items.size());
        int freed = 0;
        for (CommitItem c : items) {
            if (c.reveals()) {
                // remembered before the request: its answer may already ask for a batch signature over it
                Pending p = c.pending();
                ownResults.put(p.assignment().taskId().toLowerCase(Locale.ROOT), p.digest());
                freed++;
            } else {
                // registered before the commit is sent, so a heartbeat that races the commit response can reveal it
                committed.put(c.commit().replicateId(), c.pending());
            }
            list.add(c.commit());
        }
        WorkerApi.CommitResponse response;
        try {
            // the slots these commits free are offered for new work in the same round trip
            response = client.commit(new WorkerApi.CommitRequest(list, closed ? 0 : freed));
            retryPauseMillis = FIRST_RETRY_PAUSE_MILLIS;
        } catch (SchedulerException e) {
            long deadline = items.stream().mapToLong(c -> c.pending().assignment().deadline()).max().orElse(0);
            if (e.isTransient() && retryLater(items, deadline, items.size() + " commit(s)", e)) {
                for (CommitItem c : items) {
                    committed.remove(c.commit().replicateId());
                }
                return;
            }
            if (items.size() > 1 && !e.isTransient()) {
                for (CommitItem c : items) {
                    sendCommits(List.of(c)); // one refused commit does not take the others with it
                }
                return;
            }
            for (CommitItem c : items) {
                String id = c.commit().replicateId();
                committed.remove(id);
                finish(id);
                log.warn("replicate {}: commit refused: {}", id, e.getMessage());
            }
            return;
        }
        commits.addAndGet(items.size());
        reveals.addAndGet(freed);
        if (log.isDebugEnabled()) {
            for (CommitItem c : items) {
                log.debug("replicate {} (task {}) committed digest {}", c.commit().replicateId(),
                        c.pending().assignment().taskId(), c.pending().digest());
            }
        }
        // The slots of the revealed replicates pass to the new assignments without going through the semaphore,
        // so the claim loop cannot take them in between.
        int permits = 0;
        for (CommitItem c : items) {
            if (c.reveals() && holding.remove(c.commit().replicateId())) {
                permits++;
            }
        }
        int[] used = {0};
        try {
            if (response != null) {
                start(response.assignments(), permits, used);
            }
        } finally {
            if (permits > used[0]) {
                slots.release(permits - used[0]);
                wakeUp();
            }
        }
        if (response != null) {
            signLater(response.sign());
            if (response.reveal() != null && !response.reveal().isEmpty()) {
                reveal(response.reveal());
            }
        }
    }

    private void sendFailures(List<FailItem> items) {
        List<WorkerApi.Failure> list = items.stream().map(FailItem::failure).toList();
        try {
            client.fail(new WorkerApi.FailRequest(list));
            retryPauseMillis = FIRST_RETRY_PAUSE_MILLIS;
            failures.addAndGet(list.size());
        } catch (RuntimeException e) {
            boolean isTransient = e instanceof SchedulerException se && se.isTransient();
            long deadline = items.stream().mapToLong(FailItem::deadline).max().orElse(0);
            if (isTransient && retryLater(items, deadline, items.size() + " failure report(s)", (SchedulerException) e)) {
                return; // the slots stay held until the reports are through
            }
            if (items.size() > 1 && !isTransient) {
                for (FailItem f : items) {
                    sendFailures(List.of(f));
                }
                return;
            }
            for (WorkerApi.Failure f : list) {
                log.warn("replicate {}: cannot report its failure ({}): {}", f.replicateId(), f.cause(), e.getMessage());
            }
        }
        for (WorkerApi.Failure f : list) {
            finish(f.replicateId());
        }
    }

    /** Frees the slot of a replicate this agent is done with (revealed, reported or dropped); idempotent. */
    private void finish(String id) {
        if (holding.remove(id)) {
            slots.release();
            wakeUp();
        }
    }

    /**
     * Uploads the results the scheduler's store lacks (content-addressed: a digest it already holds is not sent
     * again) and reveals the digests of the named replicates this worker committed, in one request.
     */
    private void reveal(List<String> ids) {
        List<Pending> batch = new ArrayList<>();
        for (String id : ids) {
            Pending p = committed.remove(id);
            if (p == null) {
                log.debug("asked to reveal {}, which this worker does not hold (already revealed?)", id);
                continue;
            }
            try {
                if (upload(p)) {
                    batch.add(p);
                } else {
                    drop(p);
                }
            } catch (SchedulerException e) {
                if (e.isTransient() && !closed) {
                    log.warn("replicate {}: upload failed, will retry when asked again: {}", id, e.getMessage());
                    committed.putIfAbsent(id, p);
                } else {
                    log.warn("replicate {}: upload refused: {}", id, e.getMessage());
                    drop(p);
                }
            } catch (RuntimeException e) {
                log.warn("replicate {}: cannot reveal: {}", id, e.toString());
                drop(p);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        for (Pending p : batch) {
            ownResults.put(p.assignment().taskId().toLowerCase(Locale.ROOT), p.digest());
        }
        List<WorkerApi.Reveal> reveals = batch.stream()
                .map(p -> new WorkerApi.Reveal(p.assignment().replicateId(), p.digest())).toList();
        try {
            client.reveal(new WorkerApi.RevealRequest(reveals));
            this.reveals.addAndGet(batch.size());
            for (Pending p : batch) {
                log.debug("replicate {} (task {}) revealed {}", p.assignment().replicateId(),
                        p.assignment().taskId(), p.digest());
                drop(p);
            }
        } catch (SchedulerException e) {
            if (e.isTransient() && !closed) {
                log.warn("{} reveal(s) failed, will retry when asked again: {}", batch.size(), e.getMessage());
                for (Pending p : batch) {
                    committed.putIfAbsent(p.assignment().replicateId(), p);
                }
            } else if (batch.size() > 1) {
                for (Pending p : batch) {
                    committed.putIfAbsent(p.assignment().replicateId(), p);
                }
                for (Pending p : batch) {
                    reveal(List.of(p.assignment().replicateId())); // one refused reveal does not take the others
                }
            } else {
                log.warn("replicate {}: reveal refused: {}", batch.get(0).assignment().replicateId(), e.getMessage());
                drop(batch.get(0));
            }
        }
    }

    /** Makes sure the scheduler's store holds the result; false if the kept bytes do not match the commit. */
    private boolean upload(Pending p) {
        if (p.unstored() == null) {
            return true; // the store held the digest when the result was committed
        }
        // A callback deal's result is its callback data, content-addressed by keccak256 like on-chain.
        WorkerApi.Assignment a = p.assignment();
        String digest = a.callback() ? Contributions.callbackDigest(p.unstored()) : ResultArchive.digest(p.unstored());
        if (!digest.equals(p.digest())) {
            log.warn("replicate {}: its kept result hashes to {}, not its commit's digest; it cannot be revealed",
                    a.replicateId(), digest);
            return false;
        }
        put(digest, p.unstored());
        return true;
    }

    /** Puts the bytes in the scheduler's store under their digest, unless it is known to hold them. */
    private void put(String digest, byte[] bytes) {
        synchronized (stored) {
            if (stored.contains(digest)) {
                return;
            }
        }
        if (!client.hasResult(digest)) {
            client.putResult(digest, bytes);
        }
        synchronized (stored) {
            stored.add(digest);
        }
    }

    /** The callback data the app wrote, if it wrote the file. */
    private static Optional<byte[]> callbackData(byte[] output) {
        for (ResultArchive.ArchivedFile f : ResultArchive.read(output)) {
            if (f.path().equals(WorkerApi.CALLBACK_FILE)) return Optional.of(f.content());
        }
        return Optional.empty();
    }

    private void drop(Pending p) {
        finish(p.assignment().replicateId());
    }

    /** Uploads partial output (if any) and queues the failure report; never throws. True: it was queued. */
    private boolean reportFailure(WorkerApi.Assignment a, String cause, String message, byte[] stdout,
            byte[] stderr, byte[] output) {
        String partialDigest = null;
        try {
            if (output != null && !ResultArchive.read(output).isEmpty()) {
                String digest = ResultArchive.digest(output);
                client.putResult(digest, output);
                partialDigest = digest;
            }
        } catch (RuntimeException e) {
            log.warn("replicate {}: cannot upload its partial output: {}", a.replicateId(), e.getMessage());
        }
        outbox.add(new FailItem(new WorkerApi.Failure(a.replicateId(), cause, message, tail(stdout), tail(stderr),
                partialDigest), a.deadline()));
        return true;
    }

    /** Fetches the inputs into {@code inDir}; false if there are none. */
    private boolean fetchInputs(WorkerApi.Assignment a, Path inDir) throws FetchFailure {
        if (a.inputs() == null || a.inputs().isEmpty()) {
            return false;
        }
        for (WorkerApi.InputSpec input : a.inputs()) {
            String name = input.name();
            Path target = inputPath(inDir, name);
            byte[] bytes = fetcher.fetch(input.url(), input.checksum(), "input " + name);
            try {
                Files.createDirectories(target.getParent());
                Files.write(target, bytes);
            } catch (IOException e) {
                throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED,
                        "cannot store input " + name + ": " + SchedulerClient.reason(e), e);
            }
        }
        return true;
    }

    static Path inputPath(Path inDir, String name) throws FetchFailure {
        if (name == null || name.isBlank() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED,
                    "invalid input name '" + name + "': it must be a relative path under /in");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED,
                        "invalid input name '" + name + "': it must be a relative path under /in, without . or ..");
            }
        }
        Path root = inDir.toAbsolutePath().normalize();
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED, "invalid input name '" + name + "'");
        }
        return target;
    }

    static String appName(WorkerApi.AppSpec app) {
        String name = app.name();
        if (name == null || name.isBlank()) {
            String uri = app.uri() == null ? "" : app.uri();
            name = uri.substring(uri.lastIndexOf('/') + 1);
            if (name.endsWith(".wasm")) {
                name = name.substring(0, name.length() - ".wasm".length());
            }
        }
        return name.isBlank() ? "app" : name;
    }

    /** The assignment's limits; a field that is 0 or out of range takes the runtime's default. */
    static Limits limits(WorkerApi.LimitsSpec spec) {
        Limits d = Limits.DEFAULT;
        if (spec == null) {
            return d;
        }
        return new Limits(
                spec.wallTimeMillis() > 0 ? Duration.ofMillis(spec.wallTimeMillis()) : d.wallTime(),
                spec.maxMemoryPages() >= 1 && spec.maxMemoryPages() <= Limits.MAX_PAGES ? spec.maxMemoryPages()
                        : d.maxMemoryPages(),
                spec.maxOutputBytes() > 0 ? spec.maxOutputBytes() : d.maxOutputBytes());
    }

    /** The last {@link #TAIL_BYTES} bytes as text. */
    static String tail(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return "";
        }
        int from = Math.max(0, bytes.length - TAIL_BYTES);
        // do not start inside a UTF-8 sequence
        while (from > 0 && from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++;
        }
        return new String(Arrays.copyOfRange(bytes, from, bytes.length), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ heartbeat

    private void heartbeat() {
        if (closed || registration == null) {
            return;
        }
        WorkerApi.HeartbeatResponse response;
        try {
            // every replicate holding a slot: running, committed, or with a commit or failure report still to send
            response = client.heartbeat(new WorkerApi.Heartbeat(new ArrayList<>(holding)));
        } catch (SchedulerException e) {
            if (e.status() / 100 == 4 && e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("regist")) {
                registration = null;
                wakeUp();
            }
            log.warn("heartbeat: {}", e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("heartbeat: {}", e.toString());
            return;
        }
        try {
            actions.execute(() -> {
                try {
                    handle(response);
                } catch (RuntimeException e) {
                    log.warn("heartbeat response: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Acts on a heartbeat response: cancel, reveal, sign. */
    void handle(WorkerApi.HeartbeatResponse response) {
        if (response == null) {
            return;
        }
        if (response.cancel() != null) {
            for (String id : response.cancel()) {
                Job job = inFlight.get(id);
                if (job != null) {
                    log.info("replicate {} cancelled by the scheduler", id);
                    job.interrupt();
                }
                Pending p = committed.remove(id);
                if (p != null) {
                    log.info("committed replicate {} cancelled by the scheduler; its result is dropped", id);
                    drop(p);
                }
            }
        }
        if (response.reveal() != null && !response.reveal().isEmpty()) {
            reveal(response.reveal());
        }
        if (response.sign() != null) {
            for (WorkerApi.SignRequest request : response.sign()) {
                if (request != null && firstRequest(request.batchId())) {
                    signBatch(request);
                }
            }
        }
    }

    /** Signs, on the actions thread, the batches a claim or commit answer asks for (each batch once). */
    private void signLater(List<WorkerApi.SignRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            return;
        }
        List<WorkerApi.SignRequest> fresh = new ArrayList<>();
        for (WorkerApi.SignRequest r : requests) {
            if (r != null && firstRequest(r.batchId())) {
                fresh.add(r);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        try {
            actions.execute(() -> {
                for (WorkerApi.SignRequest r : fresh) {
                    try {
                        signBatch(r);
                    } catch (RuntimeException e) {
                        log.warn("batch {}: {}", r.batchId(), e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** True the first time a batch is asked for; a failed signature is forgotten so it can be asked again. */
    private boolean firstRequest(String batchId) {
        synchronized (signedBatches) {
            return batchId != null && signedBatches.add(batchId);
        }
    }

    private void signBatch(WorkerApi.SignRequest request) {
        if (request == null || request.entries() == null || request.entries().isEmpty()) {
            log.warn("refusing to sign batch {}: it has no entries", request == null ? null : request.batchId());
            return;
        }
        List<Contributions.Entry> entries = new ArrayList<>(request.entries().size());
        for (WorkerApi.Entry e : request.entries()) {
            String mine = e == null || e.taskId() == null ? null : ownResults.get(e.taskId().toLowerCase(Locale.ROOT));
            if (mine == null || e.digest() == null || !mine.equalsIgnoreCase(e.digest())) {
                log.warn("refusing to sign batch {}: entry (task {}, digest {}) is not a result this worker revealed"
                        + " (its digest: {})", request.batchId(), e == null ? null : e.taskId(),
                        e == null ? null : e.digest(), mine);
                return;
            }
            entries.add(new Contributions.Entry(e.taskId(), e.digest()));
        }
        String signature = Numeric.toHexString(signCommitment(Contributions.commitment(address, entries)));
        try {
            client.sign(new WorkerApi.SignResponse(request.batchId(), signature));
            signatures.incrementAndGet();
            log.debug("signed batch {} ({} entries)", request.batchId(), entries.size());
        } catch (SchedulerException e) {
            log.warn("batch {}: cannot send the signature: {}", request.batchId(), e.getMessage());
            synchronized (signedBatches) {
                signedBatches.remove(request.batchId());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Empty work directories kept for reuse: creating a directory per replicate costs the file system more. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Path> spareDirs =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Path takeWorkDir() throws IOException {
        Path dir = spareDirs.poll();
        if (dir != null) {
            return dir;
        }
        Files.createDirectories(workRoot);
        return Files.createTempDirectory(workRoot, "r-");
    }

    /** Empties a work directory (keeping its in/ and out/ folders) for the next replicate, or deletes it. */
    private void recycle(Path workDir) {
        if (workDir == null) {
            return;
        }
        if (closed || spareDirs.size() >= 2 * config.slots()) {
            deleteTree(workDir);
            return;
        }
        try (Stream<Path> top = Files.list(workDir)) {
            for (Path entry : top.toList()) {
                String name = entry.getFileName().toString();
                if ((name.equals("in") || name.equals("out")) && Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> inner = Files.list(entry)) {
                        for (Path child : inner.toList()) {
                            deleteTree(child);
                        }
                    }
                } else {
                    deleteTree(entry);
                }
            }
            try (Stream<Path> check = Files.walk(workDir)) {
                if (check.anyMatch(Files::isRegularFile)) {
                    deleteTree(workDir); // something could not be removed: do not reuse it
                    return;
                }
            }
            spareDirs.add(workDir);
        } catch (IOException | java.io.UncheckedIOException e) {
            deleteTree(workDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", dir, e.getMessage());
        }
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
