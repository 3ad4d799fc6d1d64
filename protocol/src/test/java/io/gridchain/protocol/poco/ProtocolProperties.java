package io.gridchain.protocol.poco;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.GridClient.TaskStatus;
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

/**
 * Random sequences of protocol actions against one local deployment, checked after every action against a
 * Java model: token conservation, task statuses (finalized or refunded at most once), and reputation
 * (winners +1 on replicated tasks, losers to 0, otherwise unchanged).
 */
class ProtocolProperties {
    private static Fixture f;
    private static PocoKit k;

    private static synchronized void boot() {
        if (f == null) {
            f = new Fixture();
            k = new PocoKit(f);
        }
    }

    @AfterContainer
    static synchronized void stop() {
        if (f != null) f.close();
        f = null;
    }

    /** One action: its kind and random numbers it interprets against the current state. */
    record Op(int kind, int a, int b, int c, int d) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> r = Arbitraries.integers().between(0, 1 << 20);
        // kinds weighted towards matching and settling: 0 deposit, 1 withdraw, 2 match, 3 batch, 4 per-worker
        // step, 5 claim, 6 finalize again, 7 claim again
        Arbitrary<Integer> kind = Arbitraries.frequency(Tuple.of(2, 0), Tuple.of(1, 1), Tuple.of(3, 2), Tuple.of(5, 3),
                Tuple.of(6, 4), Tuple.of(2, 5), Tuple.of(1, 6), Tuple.of(1, 7));
        return Combinators.combine(kind, r, r, r, r).as(Op::new).list().ofMinSize(12).ofMaxSize(28);
    }

    // ---------------------------------------------------------------- model

    static final class MTask {
        TaskStatus status = TaskStatus.UNSET;
        // per-worker path
        final List<Integer> contributors = new ArrayList<>();
        final Map<Integer, String> votes = new HashMap<>();
        final Map<String, BigInteger> groups = new LinkedHashMap<>();
        BigInteger total = BigInteger.ZERO;
        String consensus; // null while active
        final Set<Integer> revealed = new LinkedHashSet<>();
        final String a = PocoKit.digest("A");
        final String b = PocoKit.digest("B");
    }

    static final class MDeal {
        final DealRecord rec;
        final long trust;
        final MTask[] tasks;
        boolean expired;

        MDeal(DealRecord rec, long trust, int volume) {
            this.rec = rec;
            this.trust = trust;
            this.tasks = new MTask[volume];
            for (int i = 0; i < volume; i++) tasks[i] = new MTask();
        }
    }

    private final List<MDeal> deals = new ArrayList<>();
    private final long[] scores = new long[5];
    private final List<String> log = new ArrayList<>();

    // ---------------------------------------------------------------- property

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void actionsKeepTheInvariants(@ForAll("ops") List<Op> ops) {
        boot();
        deals.clear();
        log.clear();
        for (int i = 0; i < 5; i++) scores[i] = k.score(f.workers.get(i));
        for (Op op : ops) {
            apply(op);
            checkInvariants();
        }
    }

    private void apply(Op op) {
        switch (op.kind()) {
            case 0 -> deposit(op);
            case 1 -> withdraw(op);
            case 2 -> match(op);
            case 3 -> finalizeBatch(op);
            case 4 -> classicStep(op);
            case 5 -> claim(op);
            case 6 -> doubleFinalize(op);
            default -> doubleClaim(op);
        }
    }

    private GridClient worker(int i) {
        return f.workers.get(i);
    }

    private BigInteger free(int w) {
        return k.bal(worker(w)).free();
    }

    /** Runs {@code action}, expecting success when {@code expected} is null, else that revert. */
    private boolean expect(String expected, String what, Runnable action) {
        log.add(what + " -> " + (expected == null ? "ok" : expected));
        try {
            action.run();
        } catch (RevertException e) {
            assertThat(e.errorName()).as(String.join("\n", log) + "\nrevert message: " + e.getMessage())
                    .isEqualTo(expected == null ? "<success>" : expected);
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
        assertThat(expected).as(String.join("\n", log) + "\nexpected a revert").isNull();
        return true;
    }

    // ---------------------------------------------------------------- actions

    private void deposit(Op op) {
        int w = op.a() % 5;
        long amount = 1 + op.b() % 200;
        expect(null, "deposit w" + w + " " + amount, () -> worker(w).deposit(BigInteger.valueOf(amount)));
    }

    private void withdraw(Op op) {
        int w = op.a() % 5;
        BigInteger free = free(w);
        if (free.signum() == 0) {
            expect("InsufficientFreeBalance", "withdraw w" + w + " 1 of 0", () -> worker(w).withdraw(BigInteger.ONE));
            return;
        }
        // mostly small amounts; sometimes everything (then the worker cannot stake until it deposits)
        BigInteger amount = op.c() % 8 == 0 ? free : BigInteger.valueOf(1 + op.b() % 100).min(free);
        expect(null, "withdraw w" + w + " " + amount, () -> worker(w).withdraw(amount));
    }

    private void match(Op op) {
        int volume = 1 + op.a() % 5;
        long trust = 1 + op.b() % 5;
        log.add("match volume " + volume + " trust " + trust);
        deals.add(new MDeal(f.deal(volume, trust), trust, volume));
    }

    private MDeal pickDeal(int r) {
        return deals.isEmpty() ? null : deals.get(r % deals.size());
    }

    /** Mostly a task of a live deal in {@code status} if there is one, otherwise any (deal, index). */
    private int[] pickTask(Op op, TaskStatus status) {
        if ((op.d() & 24) != 0) {
            List<int[]> live = new ArrayList<>();
            for (int i = 0; i < deals.size(); i++) {
                MDeal d = deals.get(i);
                for (int t = 0; t < d.tasks.length; t++) {
                    if (!d.expired && d.tasks[t].status == status) live.add(new int[] {i, t});
                }
            }
            if (!live.isEmpty()) return live.get(op.a() % live.size());
        }
        int i = op.a() % deals.size();
        return new int[] {i, op.b() % deals.get(i).tasks.length};
    }

    private List<Integer> pickWorkers(int count, int seed) {
        List<Integer> pool = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(pool.remove(seed % pool.size()));
            seed /= 5;
        }
        return out;
    }

    private void finalizeBatch(Op op) {
        if (deals.isEmpty()) return;
        int[] pick = pickTask(op, TaskStatus.UNSET);
        MDeal deal = deals.get(pick[0]);
        int index = pick[1];
        MTask task = deal.tasks[index];
        List<Integer> ws = pickWorkers(1 + op.c() % 4, op.d());
        String a = PocoKit.digest("a");
        String b = PocoKit.digest("b");
        Map<Integer, String> votes = new LinkedHashMap<>();
        for (int i = 0; i < ws.size(); i++) votes.put(ws.get(i), ((op.c() >> (4 + i)) & 1) == 0 ? a : b);
        List<Integer> groupA = ws.stream().filter(w -> votes.get(w).equals(a)).toList();
        List<Integer> groupB = ws.stream().filter(w -> votes.get(w).equals(b)).toList();
        BigInteger wa = weight(groupA);
        BigInteger wb = weight(groupB);
        BigInteger trust = BigInteger.valueOf(deal.trust);
        boolean aWins = !groupA.isEmpty() && ConsensusRule.reached(wa, wa.add(wb), trust);
        boolean bWins = !groupB.isEmpty() && ConsensusRule.reached(wb, wa.add(wb), trust);
        String winner;
        if (aWins && bWins) winner = ((op.d() >> 12) & 1) == 0 ? a : b;
        else if (aWins) winner = a;
        else if (bWins) winner = b;
        else winner = groupA.size() >= groupB.size() ? a : b;
        boolean consensus = aWins || bWins;

        String expected;
        if (deal.expired) expected = "DeadlinePassed";
        else if (task.status == TaskStatus.IN_PROGRESS) expected = "TaskOnClassicPath";
        else if (task.status == TaskStatus.FINALIZED) expected = "TaskAlreadyFinalized";
        else if (task.status == TaskStatus.CLAIMED) expected = "TaskAlreadyClaimed";
        else if (!consensus) expected = "NoConsensus";
        else if (ws.stream().anyMatch(w -> free(w).compareTo(PocoKit.STAKE) < 0)) expected = "InsufficientStake";
        else expected = null;

        List<Batch.Vote> list = ws.stream().map(w -> new Batch.Vote(worker(w).address(), votes.get(w))).toList();
        Batch batch = new Batch().add(index, deal.rec.taskId(index), list, winner, null);
        boolean ok = expect(expected, "batch " + deal.rec.dealId().substring(0, 10) + "#" + index + " trust "
                + deal.trust + " votes " + votes.values().stream().map(v -> v.equals(a) ? "A" : "B").toList()
                + " by " + ws + " winner " + (winner.equals(a) ? "A" : "B"), () -> k.finalize(deal.rec, batch));
        if (ok) {
            task.status = TaskStatus.FINALIZED;
            boolean replicated = ws.size() > 1;
            for (int w : ws) {
                if (votes.get(w).equals(winner)) {
                    if (replicated) scores[w] += 1;
                } else {
                    scores[w] = 0;
                }
            }
        }
    }

    private BigInteger weight(List<Integer> group) {
        BigInteger g = BigInteger.ZERO;
        for (int w : group) g = ConsensusRule.join(g, ConsensusRule.weight(scores[w]));
        return g;
    }

    private void classicStep(Op op) {
        if (deals.isEmpty()) return;
        int[] pick = pickTask(op, TaskStatus.IN_PROGRESS);
        MDeal deal = deals.get(pick[0]);
        int index = pick[1];
        MTask task = deal.tasks[index];
        String where = deal.rec.dealId().substring(0, 10) + "#" + index;
        if (deal.expired) {
            expect("DeadlinePassed", "initialize expired " + where, () -> f.scheduler.initialize(deal.rec, index));
            return;
        }
        switch (task.status) {
            case UNSET -> {
                if (expect(null, "initialize " + where, () -> f.scheduler.initialize(deal.rec, index))) {
                    task.status = TaskStatus.IN_PROGRESS;
                }
            }
            case FINALIZED -> expect("TaskAlreadyFinalized", "initialize finalized " + where,
                    () -> f.scheduler.initialize(deal.rec, index));
            case CLAIMED -> expect("TaskAlreadyClaimed", "initialize claimed " + where,
                    () -> f.scheduler.initialize(deal.rec, index));
            case IN_PROGRESS -> {
                if (task.consensus == null) contribute(deal, index, task, op, where);
                else revealOrFinalize(deal, index, task, op, where);
            }
        }
    }

    private void contribute(MDeal deal, int index, MTask task, Op op, String where) {
        List<Integer> candidates = new ArrayList<>();
        for (int w = 0; w < 5; w++) if (!task.votes.containsKey(w)) candidates.add(w);
        if (candidates.isEmpty()) return; // every worker contributed without consensus: only a claim ends it
        int w = candidates.get(op.c() % candidates.size());
        String digest = (op.d() & 1) == 0 ? task.a : task.b;
        String expected = free(w).compareTo(PocoKit.STAKE) < 0 ? "InsufficientFreeBalance" : null;
        boolean ok = expect(expected, "contribute w" + w + " " + (digest.equals(task.a) ? "A" : "B") + " " + where
                + " trust " + deal.trust, () -> k.contribute(worker(w), deal.rec, index, digest));
        if (!ok) return;
        task.contributors.add(w);
        task.votes.put(w, digest);
        BigInteger group = task.groups.getOrDefault(digest, BigInteger.ZERO);
        BigInteger joined = ConsensusRule.join(group, ConsensusRule.weight(scores[w]));
        task.groups.put(digest, joined);
        task.total = task.total.add(joined).subtract(group);
        if (ConsensusRule.reached(joined, task.total, BigInteger.valueOf(deal.trust))) task.consensus = digest;
        assertThat(k.phase(deal.rec, index)).as(String.join("\n", log))
                .isEqualTo(task.consensus == null ? PocoKit.ACTIVE : PocoKit.REVEALING);
    }

    private void revealOrFinalize(MDeal deal, int index, MTask task, Op op, String where) {
        List<Integer> pending = task.contributors.stream()
                .filter(w -> task.votes.get(w).equals(task.consensus) && !task.revealed.contains(w)).toList();
        boolean tryEarly = (op.d() & 0x1c0) == 0;
        if (!pending.isEmpty() && !tryEarly) {
            int w = pending.get(op.c() % pending.size());
            if (expect(null, "reveal w" + w + " " + where, () -> k.reveal(worker(w), deal.rec, index, task.consensus))) {
                task.revealed.add(w);
            }
            return;
        }
        String expected = pending.isEmpty() ? null : "RevealsPending";
        boolean ok = expect(expected, "finalize " + where + " revealed " + task.revealed + " pending " + pending,
                () -> f.scheduler.finalizeTask(deal.rec, index, null));
        if (!ok) return;
        task.status = TaskStatus.FINALIZED;
        boolean replicated = task.contributors.size() > 1;
        for (int w : task.contributors) {
            if (task.revealed.contains(w)) {
                if (replicated) scores[w] += 1;
            } else {
                scores[w] = 0;
            }
        }
    }

    private void claim(Op op) {
        MDeal deal = pickDeal(op.a());
        if (deal == null) return;
        boolean advance = (op.d() & 3) != 0;
        if (advance && !deal.expired) {
            f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
            for (MDeal d : deals) d.expired = true;
            log.add("advance time past every deadline");
        }
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
        if (!deal.expired) {
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
        GridClient claimer = worker(op.d() % 5);
        if (expect(expected, "claim " + deal.rec.dealId().substring(0, 10) + " " + indexes,
                () -> claimer.claim(deal.rec, indexes))) {
            for (long i : indexes) deal.tasks[(int) i].status = TaskStatus.CLAIMED;
        }
    }

    private void doubleFinalize(Op op) {
        for (int i = 0; i < deals.size(); i++) {
            MDeal deal = deals.get((op.a() + i) % deals.size());
            for (int t = 0; t < deal.tasks.length; t++) {
                if (deal.tasks[t].status != TaskStatus.FINALIZED) continue;
                int index = t;
                GridClient w = worker(op.b() % 5);
                Batch batch = PocoKit.agree(deal.rec, index, List.of(w), PocoKit.digest("again"));
                expect(deal.expired ? "DeadlinePassed" : "TaskAlreadyFinalized", "finalize again "
                        + deal.rec.dealId().substring(0, 10) + "#" + index, () -> k.finalize(deal.rec, batch));
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
                expect("TaskAlreadyClaimed", "claim again " + deal.rec.dealId().substring(0, 10) + "#" + index,
                        () -> f.requester.claim(deal.rec, List.of(index)));
                return;
            }
        }
    }

    // ---------------------------------------------------------------- invariants

    private void checkInvariants() {
        String history = String.join("\n", log);
        assertThat(f.escrowTotal(List.of())).as("conservation after\n" + history).isEqualTo(f.hubTokens());
        for (int w = 0; w < 5; w++) {
            assertThat(k.score(worker(w))).as("score of w" + w + " after\n" + history).isEqualTo(scores[w]);
        }
        for (MDeal deal : deals) {
            for (int t = 0; t < deal.tasks.length; t++) {
                assertThat(f.owner.taskStatus(deal.rec.taskId(t)))
                        .as("status of " + deal.rec.dealId().substring(0, 10) + "#" + t + " after\n" + history)
                        .isEqualTo(deal.tasks[t].status);
            }
        }
    }
}
