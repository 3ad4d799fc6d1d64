package io.gridchain.scheduler.workers;

import io.gridchain.api.AppContract;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.WorkerApi.Assignment;
import io.gridchain.api.WorkerApi.LimitsSpec;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.certification.CertificationRoom;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.planning.HeartbeatReconciliation;
import io.gridchain.scheduler.planning.Planner;
import io.gridchain.scheduler.planning.StakeAdmission;
import io.gridchain.scheduler.requester.TaskLogs;
import io.gridchain.scheduler.spotcheck.KnownAnswers;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * The worker protocol (docs/API.md): register, claim, commit, reveal, fail, sign and heartbeat. Each request is
 * decided under the scheduler's lock and answered once the changes it rests on are saved ({@link Applier#durably}).
 */
public final class WorkerProtocol {
    private static final Logger log = LoggerFactory.getLogger(WorkerProtocol.class);

    private final Applier applier;
    private final LiveState live;
    private final Planner planner;
    private final HeartbeatReconciliation heartbeats;
    private final KnownAnswers knownAnswers;
    private final CertificationRoom certification;
    private final Lifecycle lifecycle;
    private final String workerpool;
    private final Eip712Domain domain;
    private final LongSupplier chainNow;
    private final Consumer<String> refreshAccount;
    private final Authorizer authorizer;
    private final TaskLogs logs;

    /** Signs the scheduler's authorization of a worker for a task ({@code io.gridchain.api.sms.Signatures}). */
    public interface Authorizer {
        String authorize(String taskId, String worker);
    }

    /**
     * @param chainNow the chain's latest timestamp, as last followed
     * @param refreshAccount reads a worker's bond and score in the pool from the chain
     */
    public WorkerProtocol(Applier applier, Planner planner, KnownAnswers knownAnswers, CertificationRoom certification,
            Lifecycle lifecycle, String workerpool, Eip712Domain domain, LongSupplier chainNow,
            Consumer<String> refreshAccount, Authorizer authorizer) {
        this(applier, planner, knownAnswers, certification, lifecycle, workerpool, domain, chainNow, refreshAccount,
                authorizer, null);
    }

    /** @param logs where the apps' output tails are kept for requesters; null keeps none */
    public WorkerProtocol(Applier applier, Planner planner, KnownAnswers knownAnswers, CertificationRoom certification,
            Lifecycle lifecycle, String workerpool, Eip712Domain domain, LongSupplier chainNow,
            Consumer<String> refreshAccount, Authorizer authorizer, TaskLogs logs) {
        this.applier = applier;
        this.live = applier.live();
        this.planner = planner;
        this.heartbeats = new HeartbeatReconciliation(planner);
        this.knownAnswers = knownAnswers;
        this.certification = certification;
        this.lifecycle = lifecycle;
        this.workerpool = workerpool;
        this.domain = domain;
        this.chainNow = chainNow;
        this.refreshAccount = refreshAccount;
        this.authorizer = authorizer;
        this.logs = logs;
    }

    public WorkerApi.RegisterResponse register(String worker, long nonce, WorkerApi.RegisterRequest request) {
        if (request.slots() < 1 || request.slots() > 256) {
            throw new Rejected(400, "slots must be between 1 and 256, got " + request.slots());
        }
        applier.durably(() -> {
            Worker previous = live.workers().get(worker);
            Worker w = new Worker(worker, request.slots(), System.currentTimeMillis(),
                    Math.max(nonce, previous == null ? -1 : previous.lastNonce()));
            applier.apply(List.of(), List.of(), List.of(w));
            return w;
        });
        refreshAccount.accept(worker);
        return new WorkerApi.RegisterResponse(workerpool, domain.hub(), domain.chainId(), stakeHint().toString(),
                Math.max(1, lifecycle.heartbeatMillis() / 1000));
    }

    private BigInteger stakeHint() {
        synchronized (applier.lock()) {
            return live.deals().values().stream().map(d -> d.record().deal().workerStake()).max(BigInteger::compareTo)
                    .orElse(BigInteger.ZERO);
        }
    }

    public WorkerApi.HeartbeatResponse heartbeat(String worker, WorkerApi.Heartbeat beat) {
        return applier.durably(() -> {
            List<String> committedChecks = new ArrayList<>();
            for (KnownAnswers.Check c : knownAnswers.committedBy(worker)) committedChecks.add(c.replicateId());
            HeartbeatReconciliation.Outcome o = heartbeats.reconcile(worker,
                    beat.running() == null ? List.of() : beat.running(), live::replicate,
                    id -> knownAnswers.of(worker, id) != null, live.holdingSlotOf(worker), committedChecks,
                    System.currentTimeMillis());
            if (!o.forgotten().isEmpty()) {
                log.info("worker {} no longer holds {} replicate(s): lost", worker, o.forgotten().size());
                applier.applyReplicates(o.forgotten());
            }
            live.cacheReported(worker, beat.cached() == null ? List.of() : beat.cached(), System.currentTimeMillis());
            return new WorkerApi.HeartbeatResponse(o.cancel(), o.reveal(),
                    certification.signRequests(worker, System.currentTimeMillis()));
        });
    }

    public WorkerApi.ClaimResponse claim(String worker, int max) {
        long now = System.currentTimeMillis();
        return applier.durably(() -> {
            List<Assignment> given = max < 1 ? List.of() : assign(worker, max, now, true);
            return new WorkerApi.ClaimResponse(WorkerApi.Work.group(given), certification.signRequests(worker, now));
        });
    }

    /**
     * Up to {@code max} replicates for the worker, started (caller holds the lock). When its bond in the pool backs
     * none of them (or it asked for the bond back), a claim is refused with the reason; a commit's claim
     * ({@code refuse} false) just gets nothing, so the commits it carried are not reported as refused.
     */
    private List<Assignment> assign(String worker, int max, long now, boolean refuse) {
        long chainTime = chainNow.getAsLong();
        KnownAnswers.Check check = knownAnswers.handOut(worker, live.spotChecks(worker),
                d -> live.deals().containsKey(d) && chainTime < live.deals().get(d).deadline());
        if (check != null) {
            KnownAnswers.Known k = check.known();
            return List.of(assignment(worker, check.replicateId(), k.dealId(), k.taskId(), k.index()));
        }
        List<Replicate> planned = planner.assign(live.snapshot(List.of(), certification.batching()), worker, max, now,
                chainTime);
        StakeAdmission.Admission admission = StakeAdmission.admit(worker, workerpool, planned, live.stakeOf(worker),
                live.stakedBy(worker), d -> live.deals().get(d).record().deal().workerStake());
        if (admission.refusal() != null && refuse) throw new Rejected(403, admission.refusal());
        List<Task> started = new ArrayList<>();
        for (Replicate r : admission.admitted()) {
            Task t = live.task(r.taskId());
            if (t.status() == TaskStatus.PENDING) started.add(t.moveTo(TaskStatus.RUNNING, now));
        }
        applier.apply(started, admission.admitted(), List.of());
        List<Assignment> out = new ArrayList<>();
        for (Replicate r : admission.admitted()) {
            out.add(assignment(worker, r.id(), r.dealId(), r.taskId(), live.task(r.taskId()).index()));
        }
        return out;
    }

    private Assignment assignment(String worker, String replicateId, String dealId, String taskId, long index) {
        DealView d = live.deals().get(dealId);
        // Every replica of a task gets the same seed, so honest replicas agree bit for bit.
        long seed = AppContract.seed(taskId);
        // Only a confidential deal's replicas carry the authorization: a signature per assignment is not free.
        String authorization = d.needsAuthorization() ? authorizer.authorize(taskId, worker) : null;
        // The bag's size is the deal's, so replicas of one deal still share their spec; the worker adds the rest of
        // the task's environment from the assignment (AppContract.env).
        return new Assignment(replicateId, dealId, index, taskId, d.app(), d.inputs(), d.args(),
                Map.of(AppContract.BAG_SIZE, Long.toString(d.volume())), new LimitsSpec(d.wallTimeMillis(),
                AppContract.MAX_MEMORY_PAGES, AppContract.MAX_OUTPUT_BYTES), seed, d.deadline(),
                d.record().deal().hasCallback(), d.volume() == 1, d.confidential(), authorization, d.sweep());
    }

    public WorkerApi.CommitResponse commit(String worker, WorkerApi.CommitRequest request) {
        // Signatures are checked before taking the lock: recovering a key costs more than the rest of a commit.
        for (WorkerApi.Commit c : request.commits()) {
            if (c.signature() == null) continue;
            String signer = Contributions.signerOf(domain, c.commitment(), Numeric.hexStringToByteArray(c.signature()));
            if (signer == null || !signer.equalsIgnoreCase(worker)) {
                throw new Rejected(400, "the commitment of replicate " + c.replicateId()
                        + " is not signed by worker " + worker);
            }
        }
        long now = System.currentTimeMillis();
        List<Runnable> keepLogs = new ArrayList<>();
        WorkerApi.CommitResponse answer = applier.durably(() -> {
            List<Replicate> changed = new ArrayList<>();
            List<String> reveal = new ArrayList<>();
            for (WorkerApi.Commit c : request.commits()) {
                KnownAnswers.Check check = knownAnswers.of(worker, c.replicateId());
                if (check != null) {
                    KnownAnswers.Check committed = knownAnswers.committed(check, c.commitment());
                    if (c.digest() == null) {
                        reveal.add(check.replicateId());
                    } else {
                        spotChecked(worker, revealedCheck(committed, c.digest()));
                    }
                    continue;
                }
                Replicate r = own(worker, c.replicateId());
                if (r == null || r.status() != ReplicateStatus.ASSIGNED) continue;
                if (c.stdoutTail() != null || c.stderrTail() != null) {
                    keepLogs.add(log(r, "COMMITTED", null, c.stdoutTail(), c.stderrTail(), now));
                }
                Replicate committed = r.committed(c.commitment().toLowerCase(), c.signature(), now);
                if (c.digest() == null) {
                    // The scheduler never shows a digest to other workers, so a commit may be revealed at once.
                    reveal.add(r.id());
                    changed.add(committed);
                } else {
                    changed.add(revealedReplicate(worker, committed, c.digest(), now));
                }
            }
            applier.applyReplicates(changed);
            List<Assignment> assignments =
                    request.claim() > 0 ? assign(worker, request.claim(), now, false) : List.of();
            return new WorkerApi.CommitResponse(reveal, certification.signRequests(worker, System.currentTimeMillis()),
                    WorkerApi.Work.group(assignments));
        });
        keepLogs.forEach(Runnable::run); // files, written outside the lock
        return answer;
    }

    /** A replicate's log to keep for its deal's requester (under the lock: reads the live deal). */
    private Runnable log(Replicate r, String outcome, String message, String stdout, String stderr, long now) {
        if (logs == null) return () -> { };
        DealView d = live.deals().get(r.dealId());
        if (d == null) return () -> { };
        String requester = d.record().deal().requester();
        WorkerApi.ReplicaLog entry = new WorkerApi.ReplicaLog(r.id(), r.worker(), outcome, message, stdout, stderr,
                now);
        return () -> logs.keep(r.taskId(), requester, entry);
    }

    /** The committed replicate with its digest revealed; refused when the digest does not match the commitment. */
    private static Replicate revealedReplicate(String worker, Replicate r, String digest, long now) {
        String expected = Contributions.commitment(worker, List.of(new Contributions.Entry(r.taskId(), digest)));
        if (!expected.equalsIgnoreCase(r.commitment())) {
            throw new Rejected(400, "the digest revealed for replicate " + r.id() + " does not match its commitment");
        }
        return r.revealed(digest.toLowerCase(), now);
    }

    private SpotCheckRecord revealedCheck(KnownAnswers.Check check, String digest) {
        SpotCheckRecord outcome = knownAnswers.revealed(check, digest);
        if (outcome == null) {
            throw new Rejected(400, "the digest revealed for replicate " + check.replicateId()
                    + " does not match its commitment");
        }
        return outcome;
    }

    /** Records a known-answer check's outcome; a worker caught lying gets no more work under a blacklist. */
    private void spotChecked(String worker, SpotCheckRecord outcome) {
        applier.apply(Changes.spotChecks(Map.of(worker, outcome)));
        if (outcome.caught()) log.warn("worker {} caught lying by a known-answer check", worker);
    }

    public WorkerApi.Ack reveal(String worker, WorkerApi.RevealRequest request) {
        long now = System.currentTimeMillis();
        return applier.durably(() -> {
            List<Replicate> changed = new ArrayList<>();
            for (WorkerApi.Reveal rv : request.reveals()) {
                KnownAnswers.Check check = knownAnswers.of(worker, rv.replicateId());
                if (check != null) {
                    spotChecked(worker, revealedCheck(check, rv.digest()));
                    continue;
                }
                Replicate r = own(worker, rv.replicateId());
                if (r == null || r.status() != ReplicateStatus.COMMITTED) continue;
                changed.add(revealedReplicate(worker, r, rv.digest(), now));
            }
            applier.applyReplicates(changed);
            return new WorkerApi.Ack(changed.size());
        });
    }

    public WorkerApi.Ack fail(String worker, WorkerApi.FailRequest request) {
        long now = System.currentTimeMillis();
        List<Runnable> keepLogs = new ArrayList<>();
        WorkerApi.Ack ack = applier.durably(() -> {
            List<Replicate> changed = new ArrayList<>();
            for (WorkerApi.Failure f : request.failures()) {
                KnownAnswers.Check check = knownAnswers.of(worker, f.replicateId());
                if (check != null) {
                    SpotCheckRecord outcome = knownAnswers.failed(check, FailureCause.parse(f.cause()).deterministic());
                    if (outcome != null) spotChecked(worker, outcome);
                    continue;
                }
                Replicate r = own(worker, f.replicateId());
                if (r == null || r.status() != ReplicateStatus.ASSIGNED) continue;
                changed.add(r.ended(ReplicateStatus.FAILED, FailureCause.parse(f.cause()), oneLine(f.message()), now));
                keepLogs.add(log(r, FailureCause.parse(f.cause()).name(), oneLine(f.message()), f.stdoutTail(),
                        f.stderrTail(), now));
            }
            applier.applyReplicates(changed);
            return new WorkerApi.Ack(changed.size());
        });
        keepLogs.forEach(Runnable::run);
        return ack;
    }

    public WorkerApi.Ack sign(String worker, WorkerApi.SignResponse response) {
        return certification.sign(worker, response);
    }

    /**
     * The worker's live replicate, or null when it belongs to a task that already ended (a late
     * commit, reveal or failure report is then simply not needed). Anything else is refused.
     */
    private Replicate own(String worker, String replicateId) {
        Replicate r = live.replicate(replicateId);
        if (r != null && r.worker().equals(worker)) return r;
        Replicate stored = r == null ? applier.storedReplicate(replicateId).orElse(null) : null;
        if (stored != null && stored.worker().equals(worker)) return null;
        throw new Rejected(404, "replicate " + replicateId + " is not assigned to worker " + worker);
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String line = s.replace('\n', ' ').replace('\r', ' ').trim();
        return line.length() > 500 ? line.substring(0, 500) : line;
    }
}
