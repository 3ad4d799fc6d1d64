package io.gridchain.scheduler.planning;

import io.gridchain.protocol.poco.ConsensusRule;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every scheduling decision, as pure functions of a {@link Snapshot} and the clocks: no chain, no
 * network, no storage. The scheduler's applier applies the returned {@link Plan}. The decisions taken
 * around a request live beside it, each in its own class: {@link StakeAdmission}, {@link HeartbeatReconciliation},
 * {@link BatchSplit}.
 *
 * <p>Replication follows the protocol's credibility rule ({@link ConsensusRule}): a task gets
 * replicas only until its result is predictable, that is until the live replicas would reach the
 * deal's trust if they all agreed. A result wins when its group's credibility reaches the trust.
 * A failure every worker reproduces (the app exits non-zero, traps...) is voted as a failure digest
 * ({@link FailureDigest}) and certified like a result, so the requester pays for the run; a failure that
 * depends on the worker (a timeout, a download) reported alike by enough workers ends the task FAILED
 * with that typed cause (refunded) instead of replicating a broken app forever.
 *
 * <p>On top of the chain's rule, the pool's {@link ReplicationPolicy} (Sarmenta's credibility from
 * spot-checks and reputation) must also reach the trust before a result is taken, and it picks who
 * gets a replica: a worker caught lying gets nothing (blacklist), a newcomer does not get a task
 * another newcomer already holds while an established worker has a free slot, nor start a task that is not
 * drawn for an audit (which needs two agreeing results whoever runs it; drawn more often when the first
 * worker is trusted alone). Data placement directives ({@link DataPlacement}) steer a task to the workers that
 * cache its inputs. Against turncoats, a lone result waits out the policy's hold before its batch,
 * and a certified task whose backers are caught lying meanwhile is backtracked to RUNNING.
 *
 * <p>About 450 lines: assignment, consensus, backtracking and batching read the same credibility groups and
 * policy draws; they are kept together so that the rule they share is written once.
 */
public final class Planner {
    private final Lifecycle lifecycle;
    private final int maxBatch;

    /**
     * Most tasks of a callback deal in one batch: each task's callback may burn its whole gas budget
     * (Settlement.CALLBACK_GAS, 200,000) and its data is stored, about 300,000 gas a task, so 32 tasks stay
     * near 10M gas, well inside a block, where a full batch of plain tasks would not.
     */
    static final int MAX_CALLBACK_BATCH = 32;
    private final int minReplicas;
    private final ReplicationPolicy policy;
    private final long salt;
    private final DataPlacement placement;

    public Planner(Lifecycle lifecycle, int maxBatch, int minReplicas) {
        this(lifecycle, maxBatch, minReplicas, ReplicationPolicy.CHAIN_ONLY, 0);
    }

    /**
     * @param minReplicas a pool policy: every task gets at least this many agreeing results, even when
     *     fewer would reach the deal's trust (1 = only the trust decides)
     * @param salt the pool's secret for drawing audited tasks ({@link ReplicationPolicy#auditDue})
     */
    public Planner(Lifecycle lifecycle, int maxBatch, int minReplicas, ReplicationPolicy policy, long salt) {
        this.lifecycle = lifecycle;
        this.maxBatch = maxBatch;
        this.minReplicas = Math.max(1, minReplicas);
        this.policy = policy;
        this.salt = salt;
        this.placement = new DataPlacement(lifecycle.workerLostAfter(), policy);
    }

    public ReplicationPolicy policy() {
        return policy;
    }

    /**
     * The replicates the scheduler believes a worker holds ({@code believed}: its ASSIGNED and COMMITTED
     * ones) that its heartbeat no longer lists in {@code held}: the worker never got the assignment (the
     * answer was lost when the scheduler stopped) or lost the work when it restarted. They are lost now,
     * rather than when their state's timeout runs out, so the task gets another replica at once. One given
     * out within the last heartbeat interval may simply not have reached the worker's list yet: it is kept.
     */
    public List<Replicate> forgotten(Collection<Replicate> believed, Set<String> held, long now) {
        List<Replicate> out = new ArrayList<>();
        for (Replicate r : believed) {
            if (r.status().holdsSlot() && !held.contains(r.id()) && now - r.since() > lifecycle.heartbeatMillis()) {
                out.add(r.ended(ReplicateStatus.LOST, FailureCause.WORKER_LOST,
                        "the worker no longer holds this replicate (it restarted or never got the assignment)", now));
            }
        }
        return out;
    }

    /** The replicates to give {@code worker}, which asks for up to {@code max} (bounded by its free slots). */
    public List<Replicate> assign(Snapshot s, String worker, int max, long now, long chainNow) {
        Worker w = s.workers().get(worker);
        if (w == null) return List.of();
        int n = Math.min(max, w.slots() - s.busy(worker));
        if (n <= 0) return List.of();
        if (policy.refused(s.spotChecks(worker))) return List.of();
        boolean newcomer = policy.active() && !established(s, worker);
        List<String> establishedFree = newcomer ? establishedWorkersFree(s, worker, now) : List.of();
        DataPlacement.Holders holders = placement.holders(s);
        List<Replicate> out = new ArrayList<>();
        // a worker that caches placed data first takes the tasks that read it, then anything it may take
        Set<String> taken = new HashSet<>();
        for (boolean nearData : s.cached(worker).isEmpty() ? new boolean[] {false} : new boolean[] {true, false}) {
            for (Task t : s.candidates()) {
                if (out.size() == n) return out;
                if (taken.contains(t.taskId())) continue;
                DealView deal = s.deals().get(t.dealId());
                if (deal == null || chainNow >= deal.deadline()) continue;
                List<DataPlacement.Placed> placed = DataPlacement.placedInputs(deal, t.index());
                if (nearData && !placement.holdsAll(s, worker, placed)) continue;
                List<Replicate> rs = s.replicatesOf(t.taskId());
                // a worker's LOST replicate never counted, so it may run the task again (with 3 workers and
                // a trust that needs all 3, refusing would leave the task stuck); any other one excludes it
                if (rs.stream().anyMatch(r -> r.worker().equals(worker) && r.status() != ReplicateStatus.LOST)) continue;
                if (!establishedFree.isEmpty() && (secondsANewcomer(s, rs, establishedFree)
                        || startsAnUnauditedTask(t, rs))) continue;
                if (!placed.isEmpty() && !placement.allows(s, worker, t, rs, placed, holders, now)) continue;
                if (!needsReplica(s, deal, t, rs)) continue;
                int attempt = (int) rs.stream().filter(r -> r.worker().equals(worker)).count();
                out.add(Replicate.assigned(t.taskId(), t.dealId(), worker, attempt, now));
                taken.add(t.taskId());
            }
        }
        return out;
    }

    private boolean established(Snapshot s, String worker) {
        return policy.established(s.score(worker), s.spotChecks(worker));
    }

    /**
     * Whether a newcomer would start a task nobody runs yet that is not drawn for an audit: its result could
     * not settle the task alone, so it would cost a second result that an established worker may spare.
     * Without audits (rate 0) newcomers keep starting tasks, or they could never earn verifications.
     */
    private boolean startsAnUnauditedTask(Task t, List<Replicate> rs) {
        return policy.auditRate() > 0
                && rs.stream().noneMatch(r -> r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED)
                && !policy.auditDue(t.taskId(), salt);
    }

    /**
     * Agreeing results the task needs at least: 2 when it is audited, else the pool's minimum. The audit rate
     * follows its first worker's stake: higher when that worker can settle the task alone
     * ({@link ReplicationPolicy#auditRate(boolean)}).
     */
    private int minReplicas(Snapshot s, DealView deal, Task t, List<Replicate> rs) {
        return Math.max(minReplicas, policy.auditDue(t.taskId(), salt, firstTrustedAlone(s, deal, rs)) ? 2 : 1);
    }

    /** Whether the task's first worker (its earliest replicate not lost) reaches the trust alone in the pool. */
    private boolean firstTrustedAlone(Snapshot s, DealView deal, List<Replicate> rs) {
        for (Replicate r : rs) {
            if (r.status() == ReplicateStatus.LOST || r.status() == ReplicateStatus.CANCELLED) continue;
            return counted(s, r.worker()) && policy.trustedAlone(
                    ReplicationPolicy.verifications(s.score(r.worker()), s.spotChecks(r.worker())), deal.trust());
        }
        return false;
    }

    /** The other established workers, not refused and seen lately, with a free slot. */
    private List<String> establishedWorkersFree(Snapshot s, String except, long now) {
        List<String> out = new ArrayList<>();
        for (Worker w : s.workers().values()) {
            if (w.address().equals(except) || now - w.lastSeen() > lifecycle.workerLostAfter()) continue;
            if (s.busy(w.address()) < w.slots() && established(s, w.address())
                    && !policy.refused(s.spotChecks(w.address()))) {
                out.add(w.address());
            }
        }
        return out;
    }

    /**
     * Whether a newcomer taking this task would second another newcomer's live replica while one of
     * the free established workers could take it instead.
     */
    private boolean secondsANewcomer(Snapshot s, List<Replicate> rs, List<String> establishedFree) {
        Set<String> holders = new HashSet<>();
        boolean newcomerHolds = false;
        for (Replicate r : rs) {
            holders.add(r.worker());
            if ((r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED) && !established(s, r.worker())) {
                newcomerHolds = true;
            }
        }
        if (!newcomerHolds) return false;
        for (String w : establishedFree) if (!holders.contains(w)) return true;
        return false;
    }

    /**
     * Whether the task needs one more replica: true unless its live replicas, if the pending ones all
     * joined the best revealed group, would reach the trust (result predictable), or it already did,
     * both by the chain's rule and by the pool's policy.
     */
    boolean needsReplica(Snapshot s, DealView deal, Task t, List<Replicate> rs) {
        Groups g = groups(s, deal, rs);
        BigInteger trust = BigInteger.valueOf(deal.trust());
        String bestDigest = null;
        BigInteger best = BigInteger.ZERO;
        for (Map.Entry<String, BigInteger> e : g.results.entrySet()) {
            if (e.getValue().compareTo(best) > 0) {
                best = e.getValue();
                bestDigest = e.getKey();
            }
        }
        // the agreeing results the task could have: the leading group's and those still running (a dissenter's
        // result, say a liar's caught meanwhile, never counts towards the minimum)
        String leading = bestDigest;
        long backers = rs.stream().filter(r -> r.status().holdsSlot()
                || (r.status() == ReplicateStatus.REVEALED && r.digest().equals(leading))).count();
        if (backers < minReplicas(s, deal, t, rs)) return true;
        BigInteger optimistic = best;
        Backing poolBest = bestDigest == null ? Backing.NONE : g.pool.getOrDefault(bestDigest, Backing.NONE);
        Backing poolOptimistic = poolBest;
        for (Replicate r : rs) {
            if (r.status().holdsSlot()) {
                optimistic = ConsensusRule.join(optimistic, s.weight(r.worker(), deal));
                if (counted(s, r.worker())) poolOptimistic = poolOptimistic.plus(s, r.worker());
            }
        }
        BigInteger total = g.total.subtract(best).add(optimistic);
        if (!ConsensusRule.reached(optimistic, total, trust)) return true;
        if (!policy.active()) return false;
        double optimisticOdds = odds(poolOptimistic);
        return !ReplicationPolicy.reached(optimisticOdds, g.poolTotal - odds(poolBest) + optimisticOdds, deal.trust());
    }

    /**
     * The workers behind a result in the pool's view: how many, and their verifications in total (see
     * {@link ReplicationPolicy#groupOdds}).
     */
    private record Backing(int members, long verifications) {
        static final Backing NONE = new Backing(0, 0);

        Backing plus(Snapshot s, String worker) {
            return new Backing(members + 1,
                    verifications + ReplicationPolicy.verifications(s.score(worker), s.spotChecks(worker)));
        }
    }

    private double odds(Backing b) {
        return policy.groupOdds(b.members(), b.verifications());
    }

    /** Whether the pool counts the worker's results: never those of a worker caught lying. */
    private boolean counted(Snapshot s, String worker) {
        return policy.active() && !s.spotChecks(worker).caught();
    }

    /**
     * The workers a certified result shows lying: those who revealed another digest. The pool records
     * them as caught (a failed check); on-chain, the contract slashes them when the batch lands.
     */
    public static List<String> caught(Task certified, List<Replicate> rs) {
        List<String> out = new ArrayList<>();
        if (certified.digest() == null) return out;
        for (Replicate r : rs) {
            if (r.status() == ReplicateStatus.REVEALED && !certified.digest().equalsIgnoreCase(r.digest())) {
                out.add(r.worker());
            }
        }
        return out;
    }

    /** Periodic decisions: lost workers, timeouts, consensus, failures, deadlines, and batches. */
    public Plan tick(Snapshot s, long now, long chainNow) {
        Map<String, Task> tasks = new LinkedHashMap<>();
        List<Replicate> replicates = new ArrayList<>();
        Set<String> lost = new HashSet<>();
        Map<String, Integer> closed = new HashMap<>();
        for (Worker w : s.workers().values()) {
            if (now - w.lastSeen() > lifecycle.workerLostAfter()) lost.add(w.address());
        }
        for (Task t : s.toDecide()) {
            DealView deal = s.deals().get(t.dealId());
            if (deal == null) continue;
            List<Replicate> rs = new ArrayList<>(s.replicatesOf(t.taskId()));
            // Replicates: a lost worker's, or one past its state's timeout, is lost and its slot freed.
            for (int i = 0; i < rs.size(); i++) {
                Replicate r = rs.get(i);
                if (!r.status().holdsSlot()) continue;
                long timeout = lifecycle.replicateTimeout(r.status(), deal.wallTimeMillis());
                if (lost.contains(r.worker())) {
                    rs.set(i, r.ended(ReplicateStatus.LOST, FailureCause.WORKER_LOST, "worker stopped answering", now));
                } else if (now - r.since() > timeout) {
                    rs.set(i, r.ended(ReplicateStatus.LOST, FailureCause.WORKER_LOST, "worker too slow: no "
                            + (r.status() == ReplicateStatus.ASSIGNED ? "result" : "reveal") + " within "
                            + timeout / 1000 + " s", now));
                }
                if (rs.get(i) != r) replicates.add(rs.get(i));
            }
            Task next = decide(s, deal, backtracked(s, deal, t, rs, now), rs, now, chainNow);
            if (next != t) {
                tasks.put(t.taskId(), next);
                if (t.status().open() && !next.status().open()) closed.merge(t.dealId(), 1, Integer::sum);
                if (!next.status().open()) {
                    for (Replicate r : rs) {
                        if (r.status().holdsSlot()) {
                            replicates.add(r.ended(ReplicateStatus.CANCELLED, null, "task " + next.status(), now));
                        }
                    }
                }
            }
        }
        return new Plan(List.copyOf(tasks.values()), replicates, batches(s, tasks, closed, now));
    }

    private Task decide(Snapshot s, DealView deal, Task t, List<Replicate> rs, long now, long chainNow) {
        if (t.status().open() || t.status() == TaskStatus.CONSENSUS) {
            if (chainNow >= deal.deadline()) {
                return t.failed(FailureCause.DEADLINE, "the deal's deadline passed before the task was certified",
                        now);
            }
        }
        if (!t.status().open()) return t;
        Groups g = groups(s, deal, rs);
        BigInteger trust = BigInteger.valueOf(deal.trust());
        for (Map.Entry<String, BigInteger> e : g.results.entrySet()) {
            long agreeing = rs.stream().filter(r -> r.status() == ReplicateStatus.REVEALED
                    && r.digest().equals(e.getKey())).count();
            if (agreeing >= minReplicas(s, deal, t, rs) && ConsensusRule.reached(e.getValue(), g.total, trust)
                    && poolReached(g.pool.get(e.getKey()), g, deal)) {
                Task running = t.status() == TaskStatus.PENDING ? t.moveTo(TaskStatus.RUNNING, now) : t;
                Task consensus = running.withConsensus(e.getKey(), now);
                return FailureDigest.describe(deal.record().deal().hasCallback(), e.getKey())
                        .map(f -> consensus.certifyingFailure(FailureCause.parse(f.cause()), f.certifiedBy(agreeing)))
                        .orElse(consensus);
            }
        }
        for (Map.Entry<FailureCause, BigInteger> e : g.failures.entrySet()) {
            if (ConsensusRule.reached(e.getValue(), g.total, trust)
                    && poolReached(g.poolFailures.get(e.getKey()), g, deal)) {
                String message = rs.stream().filter(r -> r.cause() == e.getKey()).map(Replicate::message)
                        .findFirst().orElse(e.getKey().name());
                return t.failed(e.getKey(), message, now);
            }
        }
        if (t.status() == TaskStatus.PENDING && !rs.isEmpty()) return t.moveTo(TaskStatus.RUNNING, now);
        return t;
    }

    /**
     * Backtracking: a task certified by the pool but not in a batch yet (a lone result is held, see
     * {@link ReplicationPolicy#released}) runs again if the workers behind its result, counted as the pool counts
     * them now (never one caught lying since), no longer reach the trust.
     */
    private Task backtracked(Snapshot s, DealView deal, Task t, List<Replicate> rs, long now) {
        if (t.status() != TaskStatus.CONSENSUS || !policy.active() || s.batching().contains(t.taskId())) return t;
        Groups g = groups(s, deal, rs);
        Backing backing = t.cause() != null ? g.poolFailures.get(t.cause()) : g.pool.get(t.digest());
        if (backing != null && poolReached(backing, g, deal)) return t;
        return t.reopened(now);
    }

    /** The agreeing workers behind a certified result that the pool counts. */
    private int backers(Snapshot s, Task t) {
        int n = 0;
        for (Replicate r : s.replicatesOf(t.taskId())) {
            boolean agrees = t.cause() != null
                    ? r.status() == ReplicateStatus.FAILED && r.cause() == t.cause()
                    : r.status() == ReplicateStatus.REVEALED && r.digest().equalsIgnoreCase(t.digest());
            if (agrees && counted(s, r.worker())) n++;
        }
        return n;
    }

    private boolean poolReached(Backing group, Groups g, DealView deal) {
        return !policy.active()
                || ReplicationPolicy.reached(group == null ? 0 : odds(group), g.poolTotal, deal.trust());
    }

    /**
     * Groups of revealed digests and of deterministic failures, each weighed by its workers' credibility:
     * by the chain's rule, and by the pool's policy (which ignores workers caught lying).
     */
    private record Groups(Map<String, BigInteger> results, Map<FailureCause, BigInteger> failures, BigInteger total,
            Map<String, Backing> pool, Map<FailureCause, Backing> poolFailures, double poolTotal) {}

    private Groups groups(Snapshot s, DealView deal, List<Replicate> rs) {
        Map<String, BigInteger> results = new LinkedHashMap<>();
        Map<FailureCause, BigInteger> failures = new LinkedHashMap<>();
        Map<String, Backing> pool = new HashMap<>();
        Map<FailureCause, Backing> poolFailures = new HashMap<>();
        for (Replicate r : rs) {
            BigInteger w = s.weight(r.worker(), deal);
            boolean counted = counted(s, r.worker());
            if (r.status() == ReplicateStatus.REVEALED) {
                results.merge(r.digest(), w, ConsensusRule::join);
                if (counted) pool.put(r.digest(), pool.getOrDefault(r.digest(), Backing.NONE).plus(s, r.worker()));
            } else if (r.status() == ReplicateStatus.FAILED && r.cause() != null && r.cause().deterministic()) {
                failures.merge(r.cause(), w, ConsensusRule::join);
                if (counted) {
                    poolFailures.put(r.cause(), poolFailures.getOrDefault(r.cause(), Backing.NONE).plus(s, r.worker()));
                }
            }
        }
        BigInteger total = BigInteger.ZERO;
        for (BigInteger v : results.values()) total = total.add(v);
        for (BigInteger v : failures.values()) total = total.add(v);
        double poolTotal = 0;
        for (Backing b : pool.values()) poolTotal = ReplicationPolicy.add(poolTotal, odds(b));
        for (Backing b : poolFailures.values()) poolTotal = ReplicationPolicy.add(poolTotal, odds(b));
        return new Groups(results, failures, total, pool, poolFailures, poolTotal);
    }

    /** When a CONSENSUS task may go into a batch: when it was certified, or the end of the pool's hold. */
    private long releasedAt(Snapshot s, Task t) {
        return policy.releasedAt(backers(s, t), t.since());
    }

    /**
     * Tasks in CONSENSUS, released by the pool's hold and not yet in a batch ({@link Snapshot#batching()}),
     * grouped by deal into batches of at most {@code maxBatch}, once full or old enough (counted from the release,
     * so that held tasks still share batches).
     */
    private List<Plan.BatchPlan> batches(Snapshot s, Map<String, Task> changed, Map<String, Integer> closed,
            long now) {
        Map<String, List<Task>> byDeal = new LinkedHashMap<>();
        Map<String, Long> oldestByDeal = new HashMap<>();
        for (Map.Entry<String, List<Task>> e : s.consensus().entrySet()) {
            for (Task t : e.getValue()) {
                Task current = changed.getOrDefault(t.taskId(), t);
                if (current.status() == TaskStatus.CONSENSUS) ready(s, current, now, byDeal, oldestByDeal);
            }
        }
        for (Task t : changed.values()) {
            // new in CONSENSUS this tick, so not among the snapshot's
            if (t.status() == TaskStatus.CONSENSUS && !s.batching().contains(t.taskId())) {
                ready(s, t, now, byDeal, oldestByDeal);
            }
        }
        List<Plan.BatchPlan> out = new ArrayList<>();
        for (Map.Entry<String, List<Task>> e : byDeal.entrySet()) {
            List<Task> ready = e.getValue();
            DealView deal = s.deals().get(e.getKey());
            int limit = deal != null && deal.record().deal().hasCallback() ? Math.min(maxBatch, MAX_CALLBACK_BATCH)
                    : maxBatch;
            long oldest = oldestByDeal.getOrDefault(e.getKey(), now);
            // due when old enough, full, or when no task of the deal is still open (waiting would not grow it)
            boolean due = now - oldest >= lifecycle.taskTimeout(TaskStatus.CONSENSUS) || ready.size() >= limit
                    || s.openTasks(e.getKey()) - closed.getOrDefault(e.getKey(), 0) <= 0;
            if (!due) continue;
            for (int i = 0; i < ready.size(); i += limit) {
                out.add(new Plan.BatchPlan(e.getKey(), List.copyOf(ready.subList(i, Math.min(ready.size(), i + limit)))));
            }
        }
        return out;
    }

    /** Adds a CONSENSUS task to its deal's candidates for a batch if the pool's hold released it. */
    private void ready(Snapshot s, Task t, long now, Map<String, List<Task>> byDeal, Map<String, Long> oldestByDeal) {
        long at = releasedAt(s, t);
        if (at > now) return;
        byDeal.computeIfAbsent(t.dealId(), k -> new ArrayList<>()).add(t);
        oldestByDeal.merge(t.dealId(), at, Math::min);
    }
}
