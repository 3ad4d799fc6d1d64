package io.gridchain.bench.sabotage;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.deal.DealTerms;
import io.gridchain.protocol.poco.ConsensusRule;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.planning.Plan;
import io.gridchain.scheduler.planning.Planner;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.scheduler.planning.Snapshot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Tasks of one deal run one after the other through a pool where a fraction {@code f} of the workers are
 * colluding saboteurs: on a task they lie on (probability {@code s}, the same tasks for all of them, keyed by
 * the task) they all return the same wrong result. Workers claim in random order. The chain is modelled by
 * {@link ConsensusRule} (weights from the scores it keeps: +1 per win on a replicated task; a loser's
 * score is cut as the contract does), so reputations evolve across the run.
 *
 * <p>Three policies: {@code credibility} is the scheduler's {@link Planner} with its
 * {@link ReplicationPolicy} (spot-checks, blacklist; a blacklisted saboteur comes back as a newcomer when
 * {@code rejoin}, keeping f constant); {@code majority} is m-first voting with m the smallest giving an
 * error at most the target against colluders; {@code poco} is iExec PoCo's rule (weight
 * {@code max(score/3, 3) - 1}, a loser keeps 2/3 of its score) with replicas added until consensus.
 *
 * <p>Over 300 lines on purpose: the three policies are compared on the same pool, the same saboteurs and the
 * same chain model, which is what makes their figures comparable; split apart they would each need a copy.
 */
public final class SabotageSimulation {
    static final String GOOD = "0x" + "11".repeat(32);
    static final String BAD = "0x" + "66".repeat(32);
    static final String DEAL = "0x" + "d".repeat(64);
    static final long CHAIN_NOW = 10_000;
    static final long NOW = 1_000_000;
    /** Replicas after which a task is abandoned (the batch path's workers per batch). */
    static final int MAX_REPLICAS = 256;

    /**
     * @param turncoats saboteurs behave honestly until their score alone reaches the trust on the chain, and only
     *     then lie (at rate s)
     */
    public record Params(int tasks, int workers, double target, double assumedF, double spotCheckRate,
            double auditRate, boolean rejoin, long seed, long establishedAfter, boolean turncoats) {}

    /** One cell's outcome; {@code steadyResultsPerTask} is over the second half of the run. */
    public record Outcome(String policy, double f, double s, int tasks, long wrong, long unfinished, long results,
            double resultsPerTask, double steadyResultsPerTask, long spotChecks, long blacklisted, int m) {
        public double errorRate() {
            return (double) wrong / tasks;
        }
    }

    private final Params p;
    private final long trust;

    public SabotageSimulation(Params p) {
        this.p = p;
        this.trust = Math.round(1 / p.target());
    }

    /** The smallest m for which m-first voting errs at most {@code target} when each vote lies with probability q. */
    public static int majorityM(double q, double target) {
        for (int m = 1; m < 1000; m++) if (mFirstError(q, m) <= target) return m;
        return 1000;
    }

    /** P(m wrong votes come before m right ones), wrong votes colluding with probability q each. */
    static double mFirstError(double q, int m) {
        double sum = 0;
        double coef = 1; // C(m-1+j, j)
        for (int j = 0; j < m; j++) {
            if (j > 0) coef = coef * (m - 1 + j) / j;
            sum += coef * Math.pow(q, m) * Math.pow(1 - q, j);
        }
        return sum;
    }

    private static String address(int i) {
        return String.format("0x%040x", 0x1000 + i);
    }

    private static String taskId(long i) {
        return String.format("0x%064x", 0xabc0000000L + i);
    }

    /** The pool: who is a saboteur; newcomers get new addresses. */
    private final class Pool {
        final List<String> members = new ArrayList<>();
        final Set<String> saboteurs = new HashSet<>();
        int next;

        Pool(double f) {
            int bad = (int) Math.round(f * p.workers());
            for (int i = 0; i < p.workers(); i++) {
                String a = address(next++);
                members.add(a);
                if (i < bad) saboteurs.add(a);
            }
        }

        String pick(SplittableRandom random) {
            return members.get(random.nextInt(members.size()));
        }

        /** Replaces a blacklisted worker by a newcomer of the same kind; returns the newcomer. */
        String replace(String gone) {
            String a = address(next++);
            members.set(members.indexOf(gone), a);
            if (saboteurs.remove(gone)) saboteurs.add(a);
            return a;
        }
    }

    public Outcome credibility(double f, double s, IntConsumer progress) {
        SplittableRandom random = new SplittableRandom(p.seed());
        ReplicationPolicy policy = new ReplicationPolicy(p.assumedF(), p.spotCheckRate(), p.auditRate(), true,
                p.establishedAfter());
        Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1, policy, p.seed());
        Pool pool = new Pool(f);
        Map<String, Long> scores = new HashMap<>();
        Map<String, SpotCheckRecord> checks = new HashMap<>();
        Map<String, Worker> workers = new LinkedHashMap<>();
        for (String w : pool.members) workers.put(w, new Worker(w, 1, NOW, 0));
        DealView deal = deal(p.tasks(), trust);
        long wrong = 0, unfinished = 0, results = 0, steady = 0, spot = 0, blacklisted = 0, claims = 0;
        for (int i = 0; i < p.tasks(); i++) {
            Task task = Task.pending(taskId(i), DEAL, i, NOW);
            List<Replicate> rs = new ArrayList<>();
            boolean lie = random.nextDouble() < s;
            long used = 0;
            int idle = 0;
            while (task.status().open() && rs.size() < MAX_REPLICAS && idle < 20 * p.workers()) {
                String w = pool.pick(random);
                if (policy.spotCheckDue(w, claims++, p.seed()) && !policy.refused(checks.getOrDefault(w,
                        SpotCheckRecord.NONE))) {
                    // a known-answer task: a saboteur cannot tell it from work, so it lies at its rate
                    boolean caught = pool.saboteurs.contains(w) && lying(w, scores) && random.nextDouble() < s;
                    checks.merge(w, new SpotCheckRecord(caught ? 0 : 1, caught ? 1 : 0), SpotCheckRecord::plus);
                    spot++;
                    used++;
                    idle++; // a task nobody can take must not spin on checks forever
                    if (caught) {
                        blacklisted++;
                        rejoin(pool, workers, w);
                        // its results no longer count, which may settle the task: the scheduler's next tick
                        Plan plan = planner.tick(new Sim(deal, task, rs, workers, scores, checks), NOW, CHAIN_NOW);
                        for (Task t : plan.tasks()) task = t;
                    }
                    continue;
                }
                Sim snap = new Sim(deal, task, rs, workers, scores, checks);
                List<Replicate> got = planner.assign(snap, w, 1, NOW, CHAIN_NOW);
                if (got.isEmpty()) {
                    idle++;
                    continue;
                }
                idle = 0;
                boolean lies = lie && pool.saboteurs.contains(w) && lying(w, scores);
                rs.add(got.get(0).committed("0xc", "0xs", NOW).revealed(lies ? BAD : GOOD, NOW));
                used++;
                Plan plan = planner.tick(new Sim(deal, task, rs, workers, scores, checks), NOW, CHAIN_NOW);
                for (Task t : plan.tasks()) task = t;
            }
            results += used;
            if (i >= p.tasks() / 2) steady += used;
            if (task.status() != TaskStatus.CONSENSUS) {
                unfinished++;
            } else {
                if (BAD.equals(task.digest())) wrong++;
                settleOnChain(task, rs, scores);
                for (String liar : Planner.caught(task, rs)) {
                    boolean already = checks.getOrDefault(liar, SpotCheckRecord.NONE).caught();
                    checks.merge(liar, new SpotCheckRecord(0, 1), SpotCheckRecord::plus);
                    if (already) continue; // caught by a spot-check meanwhile: already out
                    blacklisted++;
                    rejoin(pool, workers, liar);
                }
            }
            if (progress != null) progress.accept(i);
        }
        return outcome("credibility", f, s, wrong, unfinished, results, steady, spot, blacklisted, 0);
    }

    /** Whether saboteur {@code w} lies when its task is one its kind lies on (a turncoat waits for its score). */
    private boolean lying(String w, Map<String, Long> scores) {
        return !p.turncoats() || ConsensusRule.weight(scores.getOrDefault(w, 0L)).compareTo(BigInteger.valueOf(trust)) >= 0;
    }

    /** A blacklisted worker comes back under a new identity (Sybil), keeping the saboteur fraction constant. */
    private void rejoin(Pool pool, Map<String, Worker> workers, String gone) {
        if (!p.rejoin()) return;
        String newcomer = pool.replace(gone);
        workers.remove(gone);
        workers.put(newcomer, new Worker(newcomer, 1, NOW, 0));
    }

    public Outcome majority(double f, double s, IntConsumer progress) {
        SplittableRandom random = new SplittableRandom(p.seed());
        int m = majorityM(f, p.target());
        Pool pool = new Pool(f);
        long wrong = 0, unfinished = 0, results = 0, steady = 0;
        for (int i = 0; i < p.tasks(); i++) {
            boolean lie = random.nextDouble() < s;
            Set<String> seen = new HashSet<>();
            int good = 0, bad = 0;
            while (good < m && bad < m && seen.size() < Math.min(MAX_REPLICAS, pool.members.size())) {
                String w = pool.pick(random);
                if (!seen.add(w)) continue;
                if (lie && pool.saboteurs.contains(w)) bad++;
                else good++;
            }
            results += seen.size();
            if (i >= p.tasks() / 2) steady += seen.size();
            if (bad >= m) wrong++;
            else if (good < m) unfinished++;
            if (progress != null) progress.accept(i);
        }
        return outcome("majority", f, s, wrong, unfinished, results, steady, 0, 0, m);
    }

    public Outcome poco(double f, double s, IntConsumer progress) {
        SplittableRandom random = new SplittableRandom(p.seed());
        Pool pool = new Pool(f);
        Map<String, Long> scores = new HashMap<>();
        BigInteger t = BigInteger.valueOf(trust);
        long wrong = 0, unfinished = 0, results = 0, steady = 0;
        for (int i = 0; i < p.tasks(); i++) {
            boolean lie = random.nextDouble() < s;
            Map<String, String> votes = new LinkedHashMap<>();
            String winner = null;
            while (winner == null && votes.size() < Math.min(MAX_REPLICAS, pool.members.size())) {
                String w = pool.pick(random);
                if (votes.containsKey(w)) continue;
                votes.put(w, lie && pool.saboteurs.contains(w) ? BAD : GOOD);
                Map<String, BigInteger> groups = new HashMap<>();
                BigInteger total = BigInteger.ZERO;
                for (Map.Entry<String, String> v : votes.entrySet()) {
                    long sc = scores.getOrDefault(v.getKey(), 0L);
                    BigInteger weight = BigInteger.valueOf(Math.max(sc / 3, 3) - 1);
                    groups.merge(v.getValue(), weight, BigInteger::multiply);
                }
                for (BigInteger g : groups.values()) total = total.add(g);
                for (Map.Entry<String, BigInteger> g : groups.entrySet()) {
                    if (ConsensusRule.reached(g.getValue(), total, t)) winner = g.getKey();
                }
            }
            results += votes.size();
            if (i >= p.tasks() / 2) steady += votes.size();
            if (winner == null) {
                unfinished++;
            } else {
                if (BAD.equals(winner)) wrong++;
                boolean replicated = votes.size() > 1;
                for (Map.Entry<String, String> v : votes.entrySet()) {
                    long sc = scores.getOrDefault(v.getKey(), 0L);
                    if (v.getValue().equals(winner)) {
                        if (replicated) scores.put(v.getKey(), sc + 1);
                    } else {
                        scores.put(v.getKey(), sc - sc / 3);
                    }
                }
            }
            if (progress != null) progress.accept(i);
        }
        return outcome("poco", f, s, wrong, unfinished, results, steady, 0, 0, 0);
    }

    /** The contract's settlement: winners of a replicated task gain 1, losers drop to 0. */
    private static void settleOnChain(Task task, List<Replicate> rs, Map<String, Long> scores) {
        boolean replicated = rs.size() > 1;
        for (Replicate r : rs) {
            if (task.digest().equals(r.digest())) {
                if (replicated) scores.merge(r.worker(), 1L, Long::sum);
            } else {
                scores.put(r.worker(), 0L);
            }
        }
    }

    private Outcome outcome(String policy, double f, double s, long wrong, long unfinished, long results, long steady,
            long spot, long blacklisted, int m) {
        int n = p.tasks();
        return new Outcome(policy, f, s, n, wrong, unfinished, results, (double) results / n,
                (double) steady / (n - n / 2), spot, blacklisted, m);
    }

    static DealView deal(long volume, long trust) {
        String a = address(0);
        Deal d = new Deal(a, a, a, a, a, BigInteger.ONE, BigInteger.ZERO, BigInteger.TEN, BigInteger.valueOf(volume),
                BigInteger.valueOf(trust), BigInteger.valueOf(300), BigInteger.valueOf(CHAIN_NOW), BigInteger.ONE,
                BigInteger.ONE);
        DealTerms terms = new DealTerms(a, a, a, a, "0x0", BigInteger.ZERO, "", "0x1", "0x2", "0x3", "0x4");
        return new DealView(DEAL, new DealRecord(DEAL, d, terms, 1), new AppSpec(a, "app", "wasm", "u", "0x00"),
                List.of(), List.of(), CHAIN_NOW + 3000, 300_000);
    }

    /** The planner's view of the one task in flight (tasks run one after the other). */
    private record Sim(DealView deal, Task task, List<Replicate> rs, Map<String, Worker> workers,
            Map<String, Long> scores, Map<String, SpotCheckRecord> checks) implements Snapshot {
        @Override
        public Map<String, DealView> deals() {
            return Map.of(DEAL, deal);
        }

        /** Each simulated worker has bonded enough to back its whole score (the deal stakes 1 per contribution). */
        @Override
        public PoolStake stake(String worker) {
            long score = scores.getOrDefault(worker, 0L);
            return new PoolStake(BigInteger.valueOf(score), BigInteger.ZERO, score, 0);
        }

        @Override
        public SpotCheckRecord spotChecks(String worker) {
            return checks.getOrDefault(worker, SpotCheckRecord.NONE);
        }

        @Override
        public List<Replicate> replicatesOf(String taskId) {
            return rs;
        }

        @Override
        public Set<String> batching() {
            return Set.of();
        }

        @Override
        public Collection<Task> toDecide() {
            return List.of(task);
        }

        @Override
        public Iterable<Task> candidates() {
            return task.status().open() ? List.of(task) : List.of();
        }

        @Override
        public int busy(String worker) {
            return 0;
        }

        @Override
        public Map<String, List<Task>> consensus() {
            return Map.of();
        }

        @Override
        public int openTasks(String dealId) {
            return task.status().open() ? 1 : 0;
        }
    }
}
