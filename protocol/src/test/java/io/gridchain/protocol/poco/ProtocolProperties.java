package io.gridchain.protocol.poco;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.GridClient.TaskStatus;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of protocol actions by honest and malicious parties against one local deployment, checked after
 * every action against a Java model of the rules.
 *
 * <p>Actors, all working in the fixture scheduler's pool: 0 to 2 are honest workers (they vote the truth and always
 * reveal); 3 and 4 lie at random and sometimes never reveal on the per-worker path; 5 and 6 are keys the scheduler
 * holds itself (Sybils, thinly bonded) that vote its lie and never reveal when it suits it. The scheduler lists its
 * Sybils' lie as the winner whenever one voted it; the requester claims whatever it can.
 *
 * <p>Invariants: token conservation (free and locked balances, bonds, earnings and BURN equal the hub's token
 * balance); each task finalized or claimed at most once; every bond, earning and score (workers' per pool, the pool
 * owner's) exactly as the model says, so that no winner is paid twice and nothing moves unexplained; every seized
 * stake lands on BURN; and the promises to honest parties: no certified result ever had less than a majority, an
 * honest worker loses a stake only to a majority, and never to a lone Sybil.
 */
class ProtocolProperties {
    private static Fixture f;
    private static PocoKit k;
    private static final List<GridClient> actors = new ArrayList<>();
    static final int ACTORS = 7;
    static final BigInteger SYBIL_BOND = BigInteger.valueOf(100);
    static final BigInteger STAKE = PocoKit.STAKE;

    private static synchronized void boot() {
        if (f == null) {
            f = new Fixture();
            k = new PocoKit(f);
            for (int i = 0; i < 5; i++) actors.add(f.workers.get(i));
            for (int i = 0; i < 2; i++) actors.add(k.freshWorker(BigInteger.ZERO, SYBIL_BOND, true));
        }
    }

    @AfterContainer
    static synchronized void stop() {
        if (f != null) f.close();
        f = null;
        actors.clear();
    }

    static boolean honest(int a) {
        return a < 3;
    }

    static boolean sybil(int a) {
        return a >= 5;
    }

    /** One action: its kind and random numbers it interprets against the current state. */
    record Op(int kind, int a, int b, int c, int d) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> r = Arbitraries.integers().between(0, 1 << 20);
        // 0 deposit/withdraw, 1 match, 2 batch, 3 per-worker step, 4 claim, 5 advance time, 6 finalize again,
        // 7 claim again, 8 the scheduler tops up a Sybil's bond, 9 collect
        Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(3, 1), Tuple.of(4, 2), Tuple.of(16, 3),
                Tuple.of(3, 4), Tuple.of(4, 5), Tuple.of(1, 6), Tuple.of(1, 7), Tuple.of(1, 8), Tuple.of(1, 9));
        return Combinators.combine(kind, r, r, r, r).as(Op::new).list().ofMinSize(24).ofMaxSize(40);
    }

    // ---------------------------------------------------------------- model

    static final class MTask {
        TaskStatus status = TaskStatus.UNSET;
        // per-worker path
        final List<Integer> contributors = new ArrayList<>();
        final Map<Integer, String> votes = new HashMap<>();
        final Set<Integer> silent = new LinkedHashSet<>(); // contributors who will never reveal
        final Set<Integer> revealed = new LinkedHashSet<>();
        final Map<String, BigInteger> groups = new LinkedHashMap<>();
        BigInteger total = BigInteger.ZERO;
        BigInteger bestWeight = BigInteger.ZERO;
        String best;
        long revealDeadline; // 0 while contributions are open
    }

    static final class MDeal {
        final DealRecord rec;
        final long trust;
        final MTask[] tasks;
        final String truth = PocoKit.digest("truth");
        final String lie = PocoKit.digest("lie");

        MDeal(DealRecord rec, long trust, int volume) {
            this.rec = rec;
            this.trust = trust;
            this.tasks = new MTask[volume];
            for (int i = 0; i < volume; i++) tasks[i] = new MTask();
        }

        long deadline() {
            return rec.deal().deadline();
        }

        long closesAt() {
            return deadline() - PocoKit.CLOSE_BEFORE_DEADLINE;
        }
    }

    private final List<MDeal> deals = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final BigInteger[] bonds = new BigInteger[ACTORS];
    /** Stakes each actor's open per-worker contributions hold against its bond (the hub's committedOf). */
    private final BigInteger[] committed = new BigInteger[ACTORS];
    private final BigInteger[] earned = new BigInteger[ACTORS];
    private final long[] scores = new long[ACTORS];
    private long ownerScore;
    private BigInteger burned;
    private long now;
    private int lies;
    private int seizures;

    // ---------------------------------------------------------------- property

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void honestAndMaliciousActionsKeepTheInvariants(@ForAll("ops") List<Op> ops) {
        boot();
        deals.clear();
        log.clear();
        lies = 0;
        seizures = 0;
        for (int i = 0; i < ACTORS; i++) {
            PoolStake s = k.stake(actors.get(i));
            bonds[i] = s.bond();
            earned[i] = s.earned();
            scores[i] = s.score();
        }
        ownerScore = k.poolScore();
        burned = f.burned();
        match(new Op(1, ops.get(0).a(), ops.get(0).b(), 0, 0)); // every sequence starts with a deal to work on
        for (Op op : ops) {
            now = k.now();
            apply(op);
            checkInvariants();
        }
        // what the sequences exercised (reported by jqwik), so that a model that never settles anything shows
        for (String event : List.of("batch -> ok", "finalize", "claim", "reveal", "contribute")) {
            long n = log.stream().filter(l -> l.startsWith(event.split(" ")[0]) && l.endsWith("-> ok")).count();
            Statistics.label(event.split(" ")[0]).collect(n > 0);
        }
        Statistics.label("a lie certified").collect(lies > 0);
        Statistics.label("a stake seized").collect(seizures > 0);
    }

    private void apply(Op op) {
        switch (op.kind()) {
            case 0 -> depositOrWithdraw(op);
            case 1 -> match(op);
            case 2 -> finalizeBatch(op);
            case 3 -> classicStep(op);
            case 4 -> claim(op);
            case 5 -> advance(op);
            case 6 -> doubleFinalize(op);
            case 7 -> doubleClaim(op);
            case 8 -> topUpSybil(op);
            default -> collect(op);
        }
    }

    private GridClient actor(int i) {
        return actors.get(i);
    }

    /** Runs {@code action}, expecting success when {@code expected} is null, else that revert. */
    private boolean expect(String expected, String what, Runnable action) {
        log.add(what + " -> " + (expected == null ? "ok" : expected));
        try {
            action.run();
        } catch (RevertException e) {
            assertThat(e.errorName()).as(history() + "\nrevert message: " + e.getMessage())
                    .isEqualTo(expected == null ? "<success>" : expected);
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
        assertThat(expected).as(history() + "\nexpected a revert").isNull();
        return true;
    }

    private String history() {
        return String.join("\n", log);
    }

    private BigInteger weight(int a) {
        return ConsensusRule.weight(ConsensusRule.effectiveScore(scores[a], bonds[a], STAKE));
    }

    private BigInteger groupWeight(List<Integer> group) {
        BigInteger g = BigInteger.ZERO;
        for (int a : group) g = ConsensusRule.join(g, weight(a));
        return g;
    }

    // ---------------------------------------------------------------- actions

    private void depositOrWithdraw(Op op) {
        int a = op.a() % 5;
        BigInteger free = k.bal(actor(a)).free();
        if ((op.c() & 1) == 0 || free.signum() == 0) {
            long amount = 1 + op.b() % 200;
            expect(null, "deposit a" + a + " " + amount, () -> actor(a).deposit(BigInteger.valueOf(amount)));
        } else {
            BigInteger amount = BigInteger.valueOf(1 + op.b() % 100).min(free);
            expect(null, "withdraw a" + a + " " + amount, () -> actor(a).withdraw(amount));
        }
    }

    private void match(Op op) {
        int volume = 1 + op.a() % 2;
        long trust = 1 + op.b() % 3;
        log.add("match volume " + volume + " trust " + trust);
        deals.add(new MDeal(f.deal(volume, trust), trust, volume));
    }

    /** Mostly a task of a live deal in {@code status} if there is one, otherwise any (deal, index). */
    private int[] pickTask(Op op, TaskStatus status) {
        if ((op.d() & 24) != 0) {
            List<int[]> live = new ArrayList<>();
            for (int i = 0; i < deals.size(); i++) {
                MDeal d = deals.get(i);
                for (int t = 0; t < d.tasks.length; t++) {
                    if (now < d.deadline() && d.tasks[t].status == status) live.add(new int[] {i, t});
                }
            }
            if (!live.isEmpty()) return live.get(op.a() % live.size());
        }
        int i = op.a() % deals.size();
        return new int[] {i, op.b() % deals.get(i).tasks.length};
    }

    private List<Integer> pickActors(int count, int seed) {
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < ACTORS; i++) pool.add(i);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(pool.remove(seed % pool.size()));
            seed /= 7;
        }
        return out;
    }

    /** What actor {@code a} votes: honest ones the truth, Sybils the scheduler's lie, liars either. */
    private static String voteOf(MDeal deal, int a, int coin) {
        if (honest(a)) return deal.truth;
        if (sybil(a)) return deal.lie;
        return (coin & 1) == 0 ? deal.lie : deal.truth;
    }

    private void finalizeBatch(Op op) {
        if (deals.isEmpty()) return;
        int[] pick = pickTask(op, TaskStatus.UNSET);
        MDeal deal = deals.get(pick[0]);
        int index = pick[1];
        MTask task = deal.tasks[index];
        List<Integer> ws = pickActors(1 + op.c() % 4, op.d());
        Map<Integer, String> votes = new LinkedHashMap<>();
        for (int i = 0; i < ws.size(); i++) votes.put(ws.get(i), voteOf(deal, ws.get(i), op.c() >> (3 + i)));
        List<Integer> liars = ws.stream().filter(w -> votes.get(w).equals(deal.lie)).toList();
        List<Integer> truthful = ws.stream().filter(w -> votes.get(w).equals(deal.truth)).toList();
        // the scheduler claims its lie won whenever anyone voted it
        boolean claimsLie = !liars.isEmpty()
                && (truthful.isEmpty() || ws.stream().anyMatch(ProtocolProperties::sybil) || (op.b() & 1) == 0);
        String winner = claimsLie ? deal.lie : deal.truth;
        List<Integer> winners = claimsLie ? liars : truthful;
        List<Integer> losers = claimsLie ? truthful : liars;
        BigInteger wWin = groupWeight(winners);
        BigInteger total = wWin.add(losers.isEmpty() ? BigInteger.ZERO : groupWeight(losers));
        boolean consensus = ConsensusRule.reached(wWin, total, BigInteger.valueOf(deal.trust));

        String expected;
        if (now >= deal.deadline()) expected = "DeadlinePassed";
        else if (task.status == TaskStatus.IN_PROGRESS) expected = "TaskOnClassicPath";
        else if (task.status == TaskStatus.FINALIZED) expected = "TaskAlreadyFinalized";
        else if (task.status == TaskStatus.CLAIMED) expected = "TaskAlreadyClaimed";
        else if (!consensus) expected = "NoConsensus";
        else if (ws.stream().anyMatch(w -> bonds[w].compareTo(STAKE) < 0)) expected = "InsufficientStake";
        else expected = null;

        List<Batch.Vote> list = ws.stream().map(w -> new Batch.Vote(actor(w).address(), votes.get(w))).toList();
        Batch batch = new Batch().add(index, deal.rec.taskId(index), list, winner, null);
        boolean ok = expect(expected, "batch " + where(deal, index) + " trust " + deal.trust + " votes "
                + votes.entrySet().stream().map(e -> "a" + e.getKey() + (e.getValue().equals(deal.lie) ? "L" : "T"))
                        .toList() + " winner " + (claimsLie ? "L" : "T"), () -> k.finalize(deal.rec, batch));
        if (!ok) return;
        task.status = TaskStatus.FINALIZED;
        settle(deal, winners, losers, losers, wWin, total);
    }

    /** The model of Settlement: winners share the workers' part, losers' stakes are burned, scores move. */
    private void settle(MDeal deal, List<Integer> winners, List<Integer> losers, List<Integer> outvoted,
            BigInteger wWin, BigInteger total) {
        assertThat(wWin.shiftLeft(1)).as("a certified result outweighs all others together\n" + history())
                .isGreaterThan(total);
        // the promise to honest workers: one outvoted (not silent) lost only to a majority by weight, and a lone Sybil
        // outvotes it only with reputation it earned and bonded in this pool (a fresh key weighs 2, no more than it)
        if (outvoted.stream().anyMatch(ProtocolProperties::honest)) {
            assertThat(wWin).as("honest worker outvoted by a minority\n" + history())
                    .isGreaterThan(total.subtract(wWin));
            if (winners.size() == 1 && sybil(winners.get(0))) {
                assertThat(wWin).as("honest worker outvoted by a lone Sybil without reputation\n" + history())
                        .isGreaterThan(ConsensusRule.weight(0));
            }
        }
        boolean replicated = winners.size() + losers.size() > 1;
        if (winners.stream().anyMatch(ProtocolProperties::sybil)) lies++;
        if (!losers.isEmpty()) seizures++;
        BigInteger each = PocoKit.WORKERS_SHARE.divide(BigInteger.valueOf(winners.size()));
        for (int w : winners) {
            earned[w] = earned[w].add(each);
            if (replicated) scores[w] += 1;
        }
        for (int l : losers) {
            BigInteger seized = bonds[l].min(STAKE);
            bonds[l] = bonds[l].subtract(seized);
            burned = burned.add(seized);
            scores[l] = 0;
        }
        ownerScore += 1;
    }

    private String where(MDeal deal, int index) {
        return deal.rec.dealId().substring(0, 10) + "#" + index;
    }

    private void classicStep(Op op) {
        if (deals.isEmpty()) return;
        int[] pick = pickTask(op, TaskStatus.IN_PROGRESS);
        MDeal deal = deals.get(pick[0]);
        int index = pick[1];
        MTask task = deal.tasks[index];
        String where = where(deal, index);
        switch (task.status) {
            case UNSET -> {
                String expected = now >= deal.deadline() ? "DeadlinePassed" : null;
                if (expect(expected, "initialize " + where, () -> f.scheduler.initialize(deal.rec, index))) {
                    task.status = TaskStatus.IN_PROGRESS;
                }
            }
            case FINALIZED -> expect(now >= deal.deadline() ? "DeadlinePassed" : "TaskAlreadyFinalized",
                    "initialize finalized " + where, () -> f.scheduler.initialize(deal.rec, index));
            case CLAIMED -> expect(now >= deal.deadline() ? "DeadlinePassed" : "TaskAlreadyClaimed",
                    "initialize claimed " + where, () -> f.scheduler.initialize(deal.rec, index));
            case IN_PROGRESS -> {
                boolean open = task.revealDeadline == 0 && now < deal.closesAt();
                boolean more = task.contributors.size() < 2 || (op.b() & 1) != 0;
                if (open && (task.contributors.isEmpty() || more)) contribute(deal, index, task, op, where);
                else if (open) close(deal, index, task, where);
                else revealOrFinalize(deal, index, task, op, where);
            }
        }
    }

    private void contribute(MDeal deal, int index, MTask task, Op op, String where) {
        List<Integer> candidates = new ArrayList<>();
        for (int a = 0; a < ACTORS; a++) if (!task.votes.containsKey(a)) candidates.add(a);
        if (candidates.isEmpty()) return;
        int a = candidates.get(op.c() % candidates.size());
        String digest = voteOf(deal, a, op.d());
        String expected = bonds[a].compareTo(committed(a).add(STAKE)) < 0 ? "InsufficientBond" : null;
        boolean ok = expect(expected, "contribute a" + a + " " + (digest.equals(deal.lie) ? "L" : "T") + " " + where,
                () -> k.contribute(actor(a), deal.rec, index, digest));
        if (!ok) return;
        committed[a] = committed(a).add(STAKE);
        task.contributors.add(a);
        task.votes.put(a, digest);
        if (!honest(a) && ((op.d() >> 4) & 3) == 0) task.silent.add(a); // one in four malicious contributors never reveals
    }

    private void close(MDeal deal, int index, MTask task, String where) {
        if (expect(null, "close " + where, () -> f.scheduler.close(deal.rec, index))) {
            task.revealDeadline = k.now() + PocoKit.REVEAL_DURATION;
        }
    }

    private void revealOrFinalize(MDeal deal, int index, MTask task, Op op, String where) {
        if (task.revealDeadline == 0) {
            if (task.contributors.isEmpty()) {
                // nothing to reveal and contributions closed by time: only a claim ends it
                expect(now >= deal.deadline() ? "DeadlinePassed" : "WrongPhase", "finalize empty " + where,
                        () -> f.scheduler.finalizeTask(deal.rec, index, null));
                return;
            }
            task.revealDeadline = deal.closesAt() + PocoKit.REVEAL_DURATION; // opened by time
        }
        boolean windowOpen = now <= task.revealDeadline;
        List<Integer> willing = task.contributors.stream()
                .filter(a -> !task.revealed.contains(a) && !task.silent.contains(a)).toList();
        if (!willing.isEmpty() && (op.b() & 7) != 0) {
            int a = willing.get(op.c() % willing.size());
            String digest = task.votes.get(a);
            String expected = windowOpen ? null : "RevealDeadlinePassed";
            if (expect(expected, "reveal a" + a + " " + where, () -> k.reveal(actor(a), deal.rec, index, digest))) {
                task.revealed.add(a);
                BigInteger group = task.groups.getOrDefault(digest, BigInteger.ZERO);
                BigInteger joined = ConsensusRule.join(group, weight(a));
                task.groups.put(digest, joined);
                task.total = task.total.add(joined).subtract(group);
                if (joined.compareTo(task.bestWeight) > 0) {
                    task.bestWeight = joined;
                    task.best = digest;
                }
            }
            return;
        }
        // finalize: the scheduler while the window is open, the requester (anyone) after it
        boolean byScheduler = windowOpen || (op.c() & 1) == 0;
        GridClient sender = byScheduler ? f.scheduler : f.requester;
        String expected;
        if (now >= deal.deadline()) expected = "DeadlinePassed";
        else if (windowOpen && task.revealed.size() < task.contributors.size()) expected = "RevealsPending";
        else if (task.best == null || !ConsensusRule.reached(task.bestWeight, task.total,
                BigInteger.valueOf(deal.trust))) expected = "NoConsensusReached";
        else expected = null;
        boolean ok = expect(expected, "finalize " + where + " by " + (byScheduler ? "scheduler" : "requester")
                + " revealed " + task.revealed + " of " + task.contributors + " votes " + task.votes.values().stream()
                        .map(v -> v.equals(deal.lie) ? "L" : "T").toList(),
                () -> sender.finalizeTask(deal.rec, index, null));
        if (!ok) return;
        task.status = TaskStatus.FINALIZED;
        release(task);
        List<Integer> winners = task.contributors.stream()
                .filter(a -> task.revealed.contains(a) && task.votes.get(a).equals(task.best)).toList();
        List<Integer> losers = task.contributors.stream().filter(a -> !winners.contains(a)).toList();
        List<Integer> outvoted = losers.stream().filter(task.revealed::contains).toList();
        settle(deal, winners, losers, outvoted, task.bestWeight, task.total);
    }

    private void claim(Op op) {
        if (deals.isEmpty()) return;
        MDeal deal = deals.get(op.a() % deals.size());
        int volume = deal.tasks.length;
        List<Long> indexes = new ArrayList<>();
        int count = 1 + op.b() % volume;
        int seed = op.c();
        List<Long> pool = new ArrayList<>();
        for (long i = 0; i < volume; i++) pool.add(i);
        for (int i = 0; i < count; i++) {
            indexes.add(pool.remove(seed % pool.size()));
            seed /= 5;
        }
        String expected = null;
        if (now < deal.deadline()) {
            expected = "DeadlineNotReached";
        } else {
            for (long i : indexes) {
                TaskStatus s = deal.tasks[(int) i].status;
                if (s == TaskStatus.CLAIMED) {
                    expected = "TaskAlreadyClaimed";
                    break;
                }
                if (s == TaskStatus.FINALIZED) {
                    expected = "TaskAlreadyFinalized";
                    break;
                }
            }
        }
        GridClient claimer = (op.d() & 1) == 0 ? f.requester : actor(op.d() % ACTORS);
        if (!expect(expected, "claim " + deal.rec.dealId().substring(0, 10) + " " + indexes,
                () -> claimer.claim(deal.rec, indexes))) {
            return;
        }
        for (long i : indexes) {
            MTask task = deal.tasks[(int) i];
            if (task.status == TaskStatus.IN_PROGRESS) {
                release(task);
                for (int a : task.contributors) {
                    if (task.revealed.contains(a)) continue; // an honest revealer is never slashed by a claim
                    BigInteger seized = bonds[a].min(STAKE);
                    bonds[a] = bonds[a].subtract(seized);
                    burned = burned.add(seized);
                    scores[a] = 0;
                }
            }
            task.status = TaskStatus.CLAIMED;
            burned = burned.add(PocoKit.SCHEDULER_STAKE);
        }
        ownerScore = Math.max(0, ownerScore - 10L * indexes.size());
    }

    private BigInteger committed(int a) {
        return committed[a] == null ? BigInteger.ZERO : committed[a];
    }

    /** A settled per-worker task's contributions no longer hold stakes against their bonds. */
    private void release(MTask task) {
        for (int a : task.contributors) committed[a] = committed(a).subtract(STAKE);
    }

    /** Moves time by half a reveal window or past every deadline, never leaving a deadline within reach of the clock. */
    private void advance(Op op) {
        // half a reveal window (so that reveals can straddle it), or past every deadline
        long seconds = (op.a() & 3) != 0 ? PocoKit.REVEAL_DURATION / 2 + 1 : PocoKit.DEAL_DURATION + 1;
        f.net.advanceTime(seconds);
        log.add("advance " + seconds + " s");
        while (nearBoundary(k.now())) {
            f.net.advanceTime(45);
            log.add("advance 45 s off a boundary");
        }
    }

    private boolean nearBoundary(long t) {
        for (MDeal d : deals) {
            List<Long> bounds = new ArrayList<>(List.of(d.deadline(), d.closesAt()));
            for (MTask task : d.tasks) if (task.revealDeadline != 0) bounds.add(task.revealDeadline);
            for (long b : bounds) if (b >= t - 2 && b <= t + 40) return true;
        }
        return false;
    }

    private void doubleFinalize(Op op) {
        for (int i = 0; i < deals.size(); i++) {
            MDeal deal = deals.get((op.a() + i) % deals.size());
            for (int t = 0; t < deal.tasks.length; t++) {
                if (deal.tasks[t].status != TaskStatus.FINALIZED) continue;
                int index = t;
                Batch batch = PocoKit.agree(deal.rec, index, List.of(actor(op.b() % 3)), PocoKit.digest("again"));
                expect(now >= deal.deadline() ? "DeadlinePassed" : "TaskAlreadyFinalized", "finalize again "
                        + where(deal, index), () -> k.finalize(deal.rec, batch));
                return;
            }
        }
    }

    private void doubleClaim(Op op) {
        for (int i = 0; i < deals.size(); i++) {
            MDeal deal = deals.get((op.a() + i) % deals.size());
            for (int t = 0; t < deal.tasks.length; t++) {
                if (deal.tasks[t].status != TaskStatus.CLAIMED) continue;
                long index = t;
                expect("TaskAlreadyClaimed", "claim again " + where(deal, t),
                        () -> f.requester.claim(deal.rec, List.of(index)));
                return;
            }
        }
    }

    private void topUpSybil(Op op) {
        int a = 5 + op.a() % 2;
        if (expect(null, "scheduler bonds 30 for sybil a" + a,
                () -> f.scheduler.bondFor(f.scheduler.address(), actor(a).address(), STAKE))) {
            bonds[a] = bonds[a].add(STAKE);
        }
    }

    private void collect(Op op) {
        int a = op.a() % ACTORS;
        String expected = earned[a].signum() == 0 ? "ZeroAmount" : null;
        if (expect(expected, "collect a" + a + " " + earned[a], () -> actor(a).collect(f.scheduler.address()))) {
            earned[a] = BigInteger.ZERO;
        }
    }

    // ---------------------------------------------------------------- invariants

    private void checkInvariants() {
        String history = history();
        assertThat(f.escrowTotal(k.extras)).as("conservation after\n" + history).isEqualTo(f.hubTokens());
        assertThat(f.burned()).as("BURN holds every seized stake, after\n" + history).isEqualTo(burned);
        assertThat(k.poolScore()).as("pool owner's score after\n" + history).isEqualTo(ownerScore);
        for (int a = 0; a < ACTORS; a++) {
            PoolStake s = k.stake(actor(a));
            assertThat(s.bond()).as("bond of a" + a + " after\n" + history).isEqualTo(bonds[a]);
            assertThat(s.earned()).as("earnings of a" + a + " (each winner paid once) after\n" + history)
                    .isEqualTo(earned[a]);
            assertThat(s.score()).as("score of a" + a + " after\n" + history).isEqualTo(scores[a]);
        }
        for (MDeal deal : deals) {
            for (int t = 0; t < deal.tasks.length; t++) {
                assertThat(f.owner.taskStatus(deal.rec.taskId(t)))
                        .as("status of " + where(deal, t) + " after\n" + history).isEqualTo(deal.tasks[t].status);
            }
        }
    }
}
