package io.gridchain.api;

import java.util.List;
import java.util.Map;

/**
 * The scheduler's HTTP API for workers, as wire records (JSON via Jackson). Workers pull: every
 * exchange is a worker's request and the scheduler's response, so workers behind NAT take part.
 * Every request is authenticated ({@link RequestAuth}): signed by the worker's key, or by its session.
 * Paths are in {@link #PATHS}.
 */
public final class WorkerApi {
    public static final String REGISTER = "/v1/workers/register";
    public static final String HEARTBEAT = "/v1/workers/heartbeat";
    public static final String CLAIM = "/v1/replicates/claim";
    public static final String COMMIT = "/v1/replicates/commit";
    public static final String REVEAL = "/v1/replicates/reveal";
    public static final String FAIL = "/v1/replicates/fail";
    public static final String SIGN = "/v1/batches/sign";
    /** PUT and GET {@code /v1/results/{digest}}: the content-addressed result store. */
    public static final String RESULTS = "/v1/results/";
    /** GET: the scheduler's {@link RequestAuth.Scope} (workerpool and chain id), which every signed request names. */
    public static final String POOL = "/v1/pool";
    public static final List<String> PATHS = List.of(REGISTER, HEARTBEAT, CLAIM, COMMIT, REVEAL, FAIL, SIGN, RESULTS);

    /**
     * A worker joins the pool, declaring how many replicas it runs at once. {@code sessionKey}, optional,
     * is an ephemeral secp256k1 public key opening a session ({@link RequestAuth.Handshake}).
     */
    public record RegisterRequest(int slots, String agent, String sessionKey) {
        public RegisterRequest(int slots, String agent) {
            this(slots, agent, null);
        }
    }

    /**
     * What a worker needs to sign contributions: the hub's EIP-712 domain, and the stake it must keep.
     * When the request opened a session: its id and the scheduler's ephemeral public key (else null).
     */
    public record RegisterResponse(String workerpool, String hub, long chainId, String stakePerContribution,
            long heartbeatSeconds, String session, String sessionKey) {
        public RegisterResponse(String workerpool, String hub, long chainId, String stakePerContribution,
                long heartbeatSeconds) {
            this(workerpool, hub, chainId, stakePerContribution, heartbeatSeconds, null, null);
        }

        public RegisterResponse withSession(String id, String key) {
            return new RegisterResponse(workerpool, hub, chainId, stakePerContribution, heartbeatSeconds, id, key);
        }
    }

    /**
     * The worker is alive; it lists the replicates it is running. The scheduler answers with the
     * replicates to stop (no longer needed or reassigned), the commitments whose digests it may now
     * reveal, and the batches it must sign.
     */
    /**
     * @param running the replicates holding the worker's slots
     * @param cached  the sha256 (64 hex digits) of the inputs with placement directives it has cached (at most
     *                {@link #MAX_CACHED_REPORT}): what the planner's affinity reads
     */
    public record Heartbeat(List<String> running, List<String> cached) {
        public Heartbeat(List<String> running) {
            this(running, List.of());
        }
    }

    /** Most cached inputs a heartbeat reports; the scheduler ignores the rest. */
    public static final int MAX_CACHED_REPORT = 256;

    public record HeartbeatResponse(List<String> cancel, List<String> reveal, List<SignRequest> sign) {}

    /** The worker asks for up to {@code max} replicates (never more than its free slots). */
    public record ClaimRequest(int max) {}

    /**
     * The assignments, grouped by what their replicates share ({@link Work}), and (like a heartbeat's answer) the
     * batches the worker must sign, so a batch waits for its signatures no longer than the worker's next request.
     */
    public record ClaimResponse(List<Work> work, List<SignRequest> sign) {
        public ClaimResponse(List<Assignment> assignments) {
            this(Work.group(assignments), List.of());
        }

        /** One {@link Assignment} per replicate. */
        public List<Assignment> assignments() {
            return Work.expand(work);
        }
    }

    /**
     * Replicates that share everything but their task: the tasks of one deal. An answer handing out many of them
     * repeats the app, inputs and limits once instead of per replicate, which was most of its bytes and of the
     * JSON work on both sides.
     */
    public record Work(DealSpec deal, List<Replica> replicas) {
        /** Groups assignments by their shared part, keeping their order within each group. */
        public static List<Work> group(List<Assignment> assignments) {
            if (assignments == null || assignments.isEmpty()) return List.of();
            Map<DealSpec, List<Replica>> groups = new java.util.LinkedHashMap<>();
            for (Assignment a : assignments) {
                DealSpec deal = new DealSpec(a.dealId(), a.app(), a.inputs(), a.args(), a.env(), a.limits(),
                        a.deadline(), a.callback(), a.signCommit(), a.confidential(), a.sweep());
                groups.computeIfAbsent(deal, d -> new java.util.ArrayList<>())
                        .add(new Replica(a.replicateId(), a.taskIndex(), a.taskId(), a.seed(), a.authorization()));
            }
            List<Work> out = new java.util.ArrayList<>(groups.size());
            groups.forEach((deal, replicas) -> out.add(new Work(deal, replicas)));
            return out;
        }

        /** The assignments, one per replicate, in order. */
        public static List<Assignment> expand(List<Work> work) {
            if (work == null || work.isEmpty()) return List.of();
            List<Assignment> out = new java.util.ArrayList<>();
            for (Work w : work) {
                if (w == null || w.deal() == null || w.replicas() == null) continue;
                DealSpec d = w.deal();
                for (Replica r : w.replicas()) {
                    if (r == null) continue;
                    out.add(new Assignment(r.replicateId(), d.dealId(), r.taskIndex(), r.taskId(), d.app(),
                            d.inputs(), d.args(), d.env(), d.limits(), r.seed(), d.deadline(), d.callback(),
                            d.signCommit(), d.confidential(), r.authorization(), d.sweep()));
                }
            }
            return out;
        }
    }

    /** What the replicates of one {@link Work} share; the fields are {@link Assignment}'s. */
    public record DealSpec(String dealId, AppSpec app, List<InputSpec> inputs, List<String> args,
            Map<String, String> env, LimitsSpec limits, long deadline, boolean callback, boolean signCommit,
            Confidential confidential, SweepSpec sweep) {}

    /**
     * A bag whose tasks differ (a parameter sweep, docs/APPS.md): task i takes the i-th of {@code tasks}, or the i-th
     * line of {@code manifest} (a file workers fetch once, checked against its sha256). A task's args replace the
     * deal's, its inputs come after the deal's, and {@code {i}} and {@code {n}} in the args become the task's index
     * and the bag's size. An empty spec only turns that substitution on.
     */
    public record SweepSpec(List<TaskSpec> tasks, InputSpec manifest) {
        public SweepSpec {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }
    }

    /** One task of a sweep: its own arguments (null: the deal's) and inputs (added to the deal's). */
    public record TaskSpec(List<String> args, List<InputSpec> inputs) {
        public TaskSpec {
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
        }
    }

    /** What is a replicate's own in a {@link Work}; the fields are {@link Assignment}'s. */
    public record Replica(String replicateId, long taskIndex, String taskId, long seed, String authorization) {
        public Replica(String replicateId, long taskIndex, String taskId, long seed) {
            this(replicateId, taskIndex, taskId, seed, null);
        }
    }

    /**
     * What a confidential deal's replicates need beyond the public: the secret services to ask (with what to ask each
     * for) and the beneficiary's key when the result is to be sealed at the worker. docs/CONFIDENTIALITY.md.
     *
     * @param sources   one per secret management service, as the owners named them on-chain
     * @param encryptTo the beneficiary's secp256k1 public key the worker seals the result to, or null
     */
    public record Confidential(List<SecretSource> sources, String encryptTo) {
        public Confidential {
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    /**
     * What to ask one secret management service for: the key of {@code dataset}, the secrets of {@code app}, the named
     * secrets of {@code requester} (each null or empty when not asked here).
     */
    public record SecretSource(String sms, String dataset, String app, String requester, List<String> requesterSecrets) {
        public SecretSource {
            requesterSecrets = requesterSecrets == null ? List.of() : List.copyOf(requesterSecrets);
        }
    }

    /** The file in which an app writes the callback data of a callback deal (raw bytes, under its output dir). */
    public static final String CALLBACK_FILE = "callback.bin";
    /**
     * The most callback data a task may hand its contract. The hub stores it and a batch carries it in calldata, so
     * an app writing more fails the same way on every worker (a certified failure: the consumer gets empty bytes)
     * instead of making its task uncertifiable and the pool pay for the miss.
     */
    public static final int MAX_CALLBACK_BYTES = 4_096;

    /**
     * One replicate to run: everything the worker needs, with checksums to verify. {@code confidential} is null for a
     * deal with nothing secret; {@code authorization}, the scheduler's signature letting this worker receive the task's
     * secrets ({@code io.gridchain.api.sms.Signatures#authorize}), is set only for confidential deals. For a deal with a
     * {@code callback} contract the result the worker votes (and uploads) is the app's {@link #CALLBACK_FILE},
     * and its digest is keccak256 of those bytes: what the hub checks before calling the contract back.
     */
    public record Assignment(
            String replicateId,
            String dealId,
            long taskIndex,
            String taskId,
            AppSpec app,
            List<InputSpec> inputs,
            List<String> args,
            Map<String, String> env,
            LimitsSpec limits,
            long seed,
            long deadline,
            boolean callback,
            boolean signCommit,
            Confidential confidential,
            String authorization,
            SweepSpec sweep) {
        public Assignment(String replicateId, String dealId, long taskIndex, String taskId, AppSpec app,
                List<InputSpec> inputs, List<String> args, Map<String, String> env, LimitsSpec limits, long seed,
                long deadline, boolean callback, boolean signCommit, Confidential confidential, String authorization) {
            this(replicateId, dealId, taskIndex, taskId, app, inputs, args, env, limits, seed, deadline, callback,
                    signCommit, confidential, authorization, null);
        }

        /** An assignment of a deal with nothing confidential. */
        public Assignment(String replicateId, String dealId, long taskIndex, String taskId, AppSpec app,
                List<InputSpec> inputs, List<String> args, Map<String, String> env, LimitsSpec limits, long seed,
                long deadline, boolean callback, boolean signCommit) {
            this(replicateId, dealId, taskIndex, taskId, app, inputs, args, env, limits, seed, deadline, callback,
                    signCommit, null, null, null);
        }
    }

    /** The app to run: where to fetch it and the sha256 it must have. */
    public record AppSpec(String address, String name, String kind, String uri, String checksum) {}

    /**
     * An input file: placed under /in/{name}; {@code checksum} (sha256) is checked when present. {@code placement}
     * (null for none) carries the requester's data placement directives, which apply only to an input with a
     * checksum: caches and the planner know data by its sha256.
     */
    public record InputSpec(String name, String url, String checksum, PlacementSpec placement) {
        public InputSpec(String name, String url, String checksum) {
            this(name, url, checksum, null);
        }
    }

    /**
     * Data placement directives (BitDew's data attributes, docs/APPS.md): {@code affinity} asks the planner to run the
     * input's tasks where it is already cached; {@code replicas} (0: no bound) caps how many workers fetch it while
     * enough of them are alive, and implies affinity; {@code lifetimeSeconds} (0: the worker's default) is how long
     * a worker keeps it cached after its last use.
     */
    public record PlacementSpec(boolean affinity, int replicas, long lifetimeSeconds) {
        /** Most workers a directive may name: a bound, not a target the planner would chase forever. */
        public static final int MAX_REPLICAS = 1_000;
        /** Longest lifetime honoured: 30 days. */
        public static final long MAX_LIFETIME_SECONDS = 30L * 24 * 3600;

        public PlacementSpec {
            replicas = Math.max(0, Math.min(replicas, MAX_REPLICAS));
            lifetimeSeconds = Math.max(0, Math.min(lifetimeSeconds, MAX_LIFETIME_SECONDS));
        }

        /** Whether the planner must care where the data is. */
        public boolean placed() {
            return affinity || replicas > 0;
        }
    }

    public record LimitsSpec(long wallTimeMillis, int maxMemoryPages, long maxOutputBytes) {}

    /**
     * The commit: per replicate, the commitment keccak(worker, taskId, digest) and, when the scheduler can use it
     * as the on-chain contribution, the worker's signature of its one-entry chain ({@code Contribution(bytes32
     * commitment)}). {@code claim} asks for up to that many new replicates in the answer: the slots these commits
     * free, handed straight on, so a busy worker needs no separate claim.
     */
    public record CommitRequest(List<Commit> commits, int claim) {
        public CommitRequest(List<Commit> commits) {
            this(commits, 0);
        }
    }

    /**
     * One commit. {@code digest}, when present, reveals it in the same request: the scheduler never shows one
     * worker's digest to another, so nothing is gained by a second round trip. Without it the scheduler asks for
     * the reveal later ({@link RevealRequest}), which a worker does when it could not upload the result first.
     * {@code stdoutTail} and {@code stderrTail} are the last bytes the app printed (null when nothing, and always in a
     * confidential deal): the scheduler keeps them for the deal's requester ({@code task logs}).
     */
    public record Commit(String replicateId, String commitment, String signature, String digest, String stdoutTail,
            String stderrTail) {
        public Commit(String replicateId, String commitment, String signature, String digest) {
            this(replicateId, commitment, signature, digest, null, null);
        }

        public Commit(String replicateId, String commitment, String signature) {
            this(replicateId, commitment, signature, null);
        }
    }

    /**
     * The replicates whose digests may be revealed now (the commits that came without one), the batches to sign,
     * and the new replicates the request claimed, grouped as in {@link ClaimResponse}.
     */
    public record CommitResponse(List<String> reveal, List<SignRequest> sign, List<Work> work) {
        public CommitResponse(List<String> reveal) {
            this(reveal, List.of(), List.of());
        }

        public CommitResponse(List<String> reveal, List<SignRequest> sign) {
            this(reveal, sign, List.of());
        }

        /** One {@link Assignment} per new replicate. */
        public List<Assignment> assignments() {
            return Work.expand(work);
        }
    }

    /** The reveal: the digests behind earlier commitments. */
    public record RevealRequest(List<Reveal> reveals) {}

    public record Reveal(String replicateId, String digest) {}

    public record Ack(int accepted) {}

    /**
     * A replicate that could not produce a result, with a typed cause (for example TRAP, TIMEOUT,
     * MEMORY_LIMIT, OUTPUT_LIMIT, CHECKSUM_MISMATCH, FETCH_FAILED), a human message, and what the app
     * printed; partial output, if any, is uploaded to the result store under {@code partialDigest}.
     */
    public record FailRequest(List<Failure> failures) {}

    public record Failure(String replicateId, String cause, String message, String stdoutTail, String stderrTail,
            String partialDigest) {}

    /** The scheduler asks a worker to sign its contribution chain over several tasks, for one batch. */
    public record SignRequest(String batchId, List<Entry> entries) {}

    public record Entry(String taskId, String digest) {}

    public record SignResponse(String batchId, String signature) {}

    /**
     * GET {@code /v1/tasks/{taskId}/logs}: what the app printed in each replica of a task, for the deal's requester
     * only. The request carries {@link #LOGS_TIME} (unix seconds) and {@link #LOGS_SIGNATURE}, the requester's EIP-191
     * signature of {@link #logsMessage}; it is valid {@link #LOGS_WINDOW_SECONDS} around the scheduler's clock.
     */
    public record TaskLogs(String taskId, List<ReplicaLog> replicas) {}

    /** One replica's log: how it ended (COMMITTED, or the failure's cause), and the tails of its output streams. */
    public record ReplicaLog(String replicateId, String worker, String outcome, String message, String stdout,
            String stderr, long time) {}

    public static final String LOGS_TIME = "X-Gridchain-Time";
    public static final String LOGS_SIGNATURE = "X-Gridchain-Signature";
    public static final long LOGS_WINDOW_SECONDS = 300;

    /** What a requester signs to read a task's logs. */
    public static byte[] logsMessage(long chainId, String taskId, long time) {
        return ("gridchain-task-logs-v1:" + chainId + ":" + taskId.toLowerCase() + ":" + time)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Any error: one line saying what is wrong and what to do. */
    public record Error(String error) {}

    private WorkerApi() {}
}
