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
import java.util.ArrayDeque;
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
 * {@code rejoin}, keeping f constant; audits at a higher rate for tasks a worker trusted alone takes; lone
 * results held {@code holdTasks} before they are final, backtracked when their worker is caught meanwhile);
 * {@code majority} is m-first voting with m the smallest giving an error at most the target against colluders;
 * {@code poco} is iExec PoCo's rule (weight {@code max(score/3, 3) - 1}, a loser keeps 2/3 of its score) with
 * replicas added until consensus. With {@code turncoats}, saboteurs are honest in all three until they have
 * the wins that make them trusted alone on our chain (1,000 at trust 10,000), then lie at rate s.
 *
 * <p>A wrong result counts when it is final: at once for the other two policies, when its hold is over (or
 * the run ends) for {@code credibility}. A backtracked task's second run is counted in results per task.
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
    /** The sim's clock: the pool settles one task a second. */
    static final long MILLIS_PER_TASK = 1_000;
    /** Replicas after which a task is abandoned (the batch path's workers per batch). */
    static final int MAX_REPLICAS = 256;

    /**
     * @param turncoats saboteurs behave honestly until their score alone reaches the trust on the chain, and only
     *     then lie (at rate s)
     * @param trustedAuditRate the audit rate of tasks first taken by a worker trusted alone (at least auditRate)
     * @param holdTasks how many tasks the pool settles while a lone result is held (the sim's clock settles one
     *     task a second, so the policy's hold is this many seconds)
     */
    public record Params(int tasks, int workers, double target, double assumedF, double spotCheckRate,
            double auditRate, boolean rejoin, long seed, long establishedAfter, boolean turncoats,
            double trustedAuditRate, long holdTasks) {}

    /** One cell's outcome; {@code steadyResultsPerTask} is over the second half of the run. */
    public record Outcome(String policy, double f, double s, int tasks, long wrong, long unfinished, long results,
            double resultsPerTask, double steadyResultsPerTask, long spotChecks, long blacklisted, int m,
            long backtracked, long held) {
        public double errorRate() {
            return (double) wrong / tasks;
        }

        Outcome withBacktracking(long backtrackedTasks, long heldTasks) {
            return new Outcome(policy, f, s, tasks, wrong, unfinished, results, resultsPerTask, steadyResultsPerTask,
                    spotChecks, blacklisted, m, backtrackedTasks, heldTasks);
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
        return new CredibilityRun(f, s).run(progress);
    }

    /** A task the pool certified on one worker's credibility, held before it goes to the chain. */
    private record Held(Task task, List<Replicate> rs, boolean lie) {}

    /**
     * One cell of the {@code credibility} policy. The sim's clock advances {@link #MILLIS_PER_TASK} per task
     * (the pool's throughput: one task a second), so a hold of h tasks is the policy's {@code holdMillis} of h
     * seconds. Certified tasks the policy holds wait in {@code held} (in certification order, the hold being the
     * same for all); the real planner decides when one is released (its batch plan) or backtracked (reopened when
     * a backer is caught lying), and a backtracked task runs again before the next new task.
     */
    private final class CredibilityRun {
        final double f;
        final double s;
        final SplittableRandom random = new SplittableRandom(p.seed());
        final ReplicationPolicy policy = new ReplicationPolicy(p.assumedF(), p.spotCheckRate(), p.auditRate(), true,
                p.establishedAfter(), Math.max(p.auditRate(), p.trustedAuditRate()), p.holdTasks() * MILLIS_PER_TASK);
        final Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1, policy, p.seed());
        final Pool pool;
        final Map<String, Long> scores = new HashMap<>();
        final Map<String, SpotCheckRecord> checks = new HashMap<>();
        final Map<String, Worker> workers = new LinkedHashMap<>();
        final DealView deal = deal(p.tasks(), trust);
        final ArrayDeque<Held> held = new ArrayDeque<>();
        final ArrayDeque<Held> reopened = new ArrayDeque<>();
        long wrong, unfinished, results, steady, spot, blacklisted, claims, backtracked, heldTotal;
        long now = NOW;
        boolean steadyHalf;

        CredibilityRun(double f, double s) {
            this.f = f;
            this.s = s;
            pool = new Pool(f);
            for (String w : pool.members) workers.put(w, new Worker(w, 1, NOW, 0));
        }

        Outcome run(IntConsumer progress) {
            for (int i = 0; i < p.tasks(); i++) {
                now = NOW + i * MILLIS_PER_TASK;
                steadyHalf = i >= p.tasks() / 2;
                // every worker is alive: it asks for work all the time
                workers.replaceAll((a, w) -> new Worker(a, 1, now, 0));
                release(false);
                while (!reopened.isEmpty()) {
                    Held h = reopened.poll();
                    work(h.task(), h.rs(), h.lie());
                }
                work(Task.pending(taskId(i), DEAL, i, now), new ArrayList<>(), random.nextDouble() < s);
                if (progress != null) progress.accept(i);
            }
            // the run ends: whatever is still held goes to the chain as it is (no later catch can undo it)
            release(true);
            Outcome o = outcome("credibility", f, s, wrong, unfinished, results, steady, spot, blacklisted, 0);
            return o.withBacktracking(backtracked, heldTotal);
        }

        /** Runs claims on the task until it is decided (or nobody can take it), then settles or holds it. */
        void work(Task task, List<Replicate> rs, boolean lie) {
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
                        caughtLying(w);
                        // its results no longer count, which may settle the task: the scheduler's next tick
                        task = tick(task, rs);
                    }
                    continue;
                }
                List<Replicate> got = planner.assign(view(task, rs, List.of()), w, 1, now, CHAIN_NOW);
                if (got.isEmpty()) {
                    idle++;
                    continue;
                }
                idle = 0;
                boolean lies = lie && pool.saboteurs.contains(w) && lying(w, scores);
                rs.add(got.get(0).committed("0xc", "0xs", now).revealed(lies ? BAD : GOOD, now));
                used++;
                task = tick(task, rs);
            }
            results += used;
            if (steadyHalf) steady += used;
            if (task.status() != TaskStatus.CONSENSUS) {
                unfinished++;
                return;
            }
            for (String liar : Planner.caught(task, rs)) {
                boolean already = checks.getOrDefault(liar, SpotCheckRecord.NONE).caught();
                checks.merge(liar, new SpotCheckRecord(0, 1), SpotCheckRecord::plus);
                if (already) continue; // caught by a spot-check meanwhile: already out
                blacklisted++;
                caughtLying(liar);
            }
            Held h = new Held(task, rs, lie);
            if (releasedNow(h)) {
                settle(h);
            } else {
                held.add(h);
                heldTotal++;
            }
        }

        Task tick(Task task, List<Replicate> rs) {
            Plan plan = planner.tick(view(task, rs, List.of()), now, CHAIN_NOW);
            for (Task t : plan.tasks()) task = t;
            return task;
        }

        /** Whether the planner would put the certified task in a batch now (the hold is over, or there is none). */
        boolean releasedNow(Held h) {
            return !planner.tick(view(null, h.rs(), List.of(h.task())), now, CHAIN_NOW).batches().isEmpty();
        }

        /** Settles the held tasks whose hold is over ({@code all}: every one, the run being over). */
        void release(boolean all) {
            while (!held.isEmpty() && (all || releasedNow(held.peek()))) settle(held.poll());
        }

        /** The result goes to the chain: it is final, right or wrong, and the chain settles scores. */
        void settle(Held h) {
            if (BAD.equals(h.task().digest())) wrong++;
            settleOnChain(h.task(), h.rs(), scores);
        }

        /**
         * A worker was caught lying: it is out (and comes back as a newcomer), and every held result it backs is
         * decided again by the planner, which reopens those the pool's credibility no longer certifies.
         */
        void caughtLying(String liar) {
            rejoin(pool, workers, liar);
            for (var it = held.iterator(); it.hasNext(); ) {
                Held h = it.next();
                if (h.rs().stream().noneMatch(r -> r.worker().equals(liar))) continue;
                Task next = tick(h.task(), h.rs());
                if (next.status() == TaskStatus.CONSENSUS) continue;
                it.remove();
                backtracked++;
                reopened.add(new Held(next, h.rs(), h.lie()));
            }
        }

        Sim view(Task task, List<Replicate> rs, List<Task> consensus) {
            return new Sim(deal, task, rs, workers, scores, checks, consensus);
        }
    }

    /** Whether saboteur {@code w} lies when its task is one its kind lies on (a turncoat waits for its score). */
    private boolean lying(String w, Map<String, Long> scores) {
        return turned(scores.getOrDefault(w, 0L));
    }

    /**
     * Whether a saboteur with {@code wins} lies (on the tasks its kind lies on): always, or, a turncoat, once its
     * wins alone reach the trust on our chain ({@code 10 x wins + 2 >= trust}, 1,000 wins at trust 10,000). The
     * same history for every policy, so that they face the same attacker: under m-first voting the wins are
     * results on the winning side, under PoCo's rule its score.
     */
    private boolean turned(long wins) {
        return !p.turncoats() || ConsensusRule.weight(wins).compareTo(BigInteger.valueOf(trust)) >= 0;
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
        Map<String, Long> wins = new HashMap<>();
        long wrong = 0, unfinished = 0, results = 0, steady = 0;
        for (int i = 0; i < p.tasks(); i++) {
            boolean lie = random.nextDouble() < s;
            Map<String, Boolean> votes = new LinkedHashMap<>(); // worker -> voted the wrong result
            int good = 0, bad = 0;
            while (good < m && bad < m && votes.size() < Math.min(MAX_REPLICAS, pool.members.size())) {
                String w = pool.pick(random);
                if (votes.containsKey(w)) continue;
                boolean lies = lie && pool.saboteurs.contains(w) && turned(wins.getOrDefault(w, 0L));
                votes.put(w, lies);
                if (lies) bad++;
                else good++;
            }
            results += votes.size();
            if (i >= p.tasks() / 2) steady += votes.size();
            if (bad >= m) wrong++;
            else if (good < m) unfinished++;
            boolean badWon = bad >= m;
            if (badWon || good >= m) {
                votes.forEach((w, lied) -> {
                    if (lied == badWon) wins.merge(w, 1L, Long::sum);
                });
            }
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
                boolean lies = lie && pool.saboteurs.contains(w) && turned(scores.getOrDefault(w, 0L));
                votes.put(w, lies ? BAD : GOOD);
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
                (double) steady / (n - n / 2), spot, blacklisted, m, 0, 0);
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
            Map<String, Long> scores, Map<String, SpotCheckRecord> checks, List<Task> held) implements Snapshot {
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
            return task == null ? List.of() : List.of(task);
        }

        @Override
        public Iterable<Task> candidates() {
            return task != null && task.status().open() ? List.of(task) : List.of();
        }

        @Override
        public int busy(String worker) {
            return 0;
        }

        @Override
        public Map<String, List<Task>> consensus() {
            return held.isEmpty() ? Map.of() : Map.of(DEAL, held);
        }

        @Override
        public int openTasks(String dealId) {
            return task != null && task.status().open() ? 1 : 0;
        }
    }
}
