package io.gridchain.protocol.poco;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.poco.PocoKit.STAKE;
import static io.gridchain.protocol.poco.PocoKit.agree;
import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.digest;
import static io.gridchain.protocol.poco.PocoKit.packTask;
import static io.gridchain.protocol.poco.PocoKit.rawBatch;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static io.gridchain.protocol.poco.PocoKit.votes;
import static io.gridchain.protocol.poco.PocoKit.word;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The aggregated path: finalizeBatch and every way it refuses a batch. */
class BatchPathTest extends FixtureTest {
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    /** Fresh workers sorted by address, as the hub requires. */
    static List<GridClient> sorted(int n) {
        List<GridClient> ws = new ArrayList<>(k.freshWorkers(n));
        ws.sort(Comparator.comparing(w -> Words.canonical(w.address())));
        return ws;
    }

    static List<String> addresses(List<GridClient> ws) {
        return ws.stream().map(GridClient::address).toList();
    }

    /** Signatures of each worker over its one-entry chain on task {@code index} voting {@code digests[i]}. */
    static List<byte[]> sigs(DealRecord deal, long index, List<GridClient> ws, List<String> digests) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            out.add(k.sign(ws.get(i), ws.get(i).address(),
                    List.of(new Contributions.Entry(deal.taskId(index), digests.get(i)))));
        }
        return out;
    }

    // ---------------------------------------------------------------- malformed calldata

    @Test
    void emptyBatch() {
        DealRecord deal = f.deal(1, 1);
        reverts("EmptyBatch", () -> rawBatch(f.scheduler, deal, votes(List.of(), List.of(), List.of()), List.of(),
                List.of()), "at least one task");
    }

    @Test
    void signatureCountMismatch() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(2);
        String d = digest("d");
        var v = votes(List.of(packTask(0, 1)), List.of(d), List.of(big(3)));
        reverts("SignatureCountMismatch", () -> rawBatch(f.scheduler, deal, v, addresses(ws),
                sigs(deal, 0, ws.subList(0, 1), List.of(d))), "2 workers but 1 signatures");
        reverts("SignatureCountMismatch", () -> rawBatch(f.scheduler, deal, v, addresses(ws), List.of()),
                "2 workers but 0 signatures");
    }

    @Test
    void workersNotSorted() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(2);
        String d = digest("d");
        var v = votes(List.of(packTask(0, 1)), List.of(d), List.of(big(3)));
        List<GridClient> reversed = List.of(ws.get(1), ws.get(0));
        reverts("WorkersNotSorted", () -> rawBatch(f.scheduler, deal, v, addresses(reversed),
                sigs(deal, 0, reversed, List.of(d, d))), "strictly increasing address order (position 1)");
        List<GridClient> twice = List.of(ws.get(0), ws.get(0));
        reverts("WorkersNotSorted", () -> rawBatch(f.scheduler, deal, v, addresses(twice),
                sigs(deal, 0, twice, List.of(d, d))), "position 1");
    }

    @Test
    void tooManyWorkers() {
        DealRecord deal = f.deal(1, 1);
        List<String> workers = new ArrayList<>();
        List<byte[]> sigs = new ArrayList<>();
        for (int i = 1; i <= 257; i++) {
            workers.add(Words.canonical(String.format("0x%040x", i)));
            sigs.add(new byte[0]);
        }
        var v = votes(List.of(packTask(0, 1)), List.of(digest("d")), List.of(big(1)));
        reverts("TooManyWorkers", () -> rawBatch(f.scheduler, deal, v, workers, sigs), "at most 256 workers, not 257");
    }

    @Test
    void malformedTaskAndMalformedBatch() {
        DealRecord deal = f.deal(3, 1);
        List<GridClient> ws = sorted(1);
        String d = digest("d");
        String e = digest("e");
        List<String> one = addresses(ws);
        List<byte[]> sig = sigs(deal, 0, ws, List.of(d));
        // voters and digests differ in length
        reverts("MalformedBatch", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 1)), List.of(d), List.of(big(1), big(1))), one, sig),
                "tasks, digests, voters and callback data do not fit together");
        // a task with zero results
        reverts("MalformedTask", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(1, 0)), List.of(d), List.of(big(1))), one, sig), "task 1 of the batch");
        // a task claiming more results than listed
        reverts("MalformedTask", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(2, 2)), List.of(d), List.of(big(1))), one, sig), "task 2 of the batch");
        // more than MAX_RESULTS_PER_TASK results
        List<String> many = new ArrayList<>();
        List<BigInteger> masks = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(digest("m" + i));
            masks.add(big(1));
        }
        reverts("MalformedTask", () -> rawBatch(f.scheduler, deal, votes(List.of(packTask(1, 17)), many, masks), one,
                sig), "task 1 of the batch");
        // digests left over after the last task
        reverts("MalformedBatch", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 1)), List.of(d, e), List.of(big(1), big(1))), one, sig), "do not fit together");
        for (long i = 0; i < 3; i++) {
            assertThat(f.owner.taskStatus(deal.taskId(i))).isEqualTo(GridClient.TaskStatus.UNSET);
        }
    }

    @Test
    void duplicateResult() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(2);
        String d = digest("d");
        reverts("DuplicateResult", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 2)), List.of(d, d), List.of(big(1), big(2))), addresses(ws),
                sigs(deal, 0, ws, List.of(d, d))), "task 0 of the batch lists digest " + d + " twice");
    }

    @Test
    void voterOutOfRange() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(2);
        String d = digest("d");
        String e = digest("e");
        List<byte[]> s = sigs(deal, 0, ws, List.of(d, d));
        reverts("VoterOutOfRange", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 1)), List.of(d), List.of(big(4 | 1))), addresses(ws), s),
                "empty or out-of-range voter mask");
        reverts("VoterOutOfRange", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 1)), List.of(d), List.of(big(0))), addresses(ws), s), "voter mask");
        reverts("VoterOutOfRange", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 2)), List.of(d, e), List.of(big(1), big(0))), addresses(ws), s),
                "voter mask");
        reverts("VoterOutOfRange", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 2)), List.of(d, e), List.of(big(1), big(8))), addresses(ws), s),
                "voter mask");
    }

    @Test
    void doubleVote() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(3);
        String d = digest("d");
        String e = digest("e");
        String g = digest("g");
        List<byte[]> s = sigs(deal, 0, ws, List.of(d, d, d));
        // a loser group overlapping the winners
        reverts("DoubleVote", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 2)), List.of(d, e), List.of(big(1), big(3))), addresses(ws), s),
                "task 0 of the batch counts a worker twice");
        // two loser groups overlapping each other
        reverts("DoubleVote", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 3)), List.of(d, e, g), List.of(big(1), big(2), big(6))), addresses(ws), s),
                "counts a worker twice");
    }

    @Test
    void noConsensusForTwoFreshWorkersAtTrustFive() {
        assertThat(ConsensusRule.reached(ConsensusRule.groupWeight(0, 0), big(4), big(5))).isFalse();
        DealRecord deal = f.deal(1, 5);
        List<GridClient> ws = k.freshWorkers(2);
        String d = digest("d");
        reverts("NoConsensus", () -> k.finalize(deal, agree(deal, 0, ws, d)), "result " + d,
                "does not reach the deal's trust");
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void noConsensusForOneAgainstOne() {
        assertThat(ConsensusRule.reached(big(2), big(4), big(2))).isFalse();
        DealRecord deal = f.deal(1, 2);
        List<GridClient> ws = k.freshWorkers(2);
        String d = digest("d");
        String e = digest("e");
        reverts("NoConsensus", () -> k.finalize(deal, PocoKit.batch(deal, 0, ws, List.of(d, e), d)), "result " + d);
        reverts("NoConsensus", () -> k.finalize(deal, PocoKit.batch(deal, 0, ws, List.of(d, e), e)), "result " + e);
        // but one fresh worker alone reaches trust 2: 2*2 > 3*1
        k.finalize(deal, agree(deal, 0, ws.subList(0, 1), d));
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
    }

    @Test
    void workerWithoutContribution() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(2);
        String d = digest("d");
        // only the first worker voted; the second is listed and signs an empty chain
        List<byte[]> s = List.of(k.sign(ws.get(0), ws.get(0).address(), List.of(new Contributions.Entry(deal.taskId(0), d))),
                k.sign(ws.get(1), ws.get(1).address(), List.of()));
        reverts("WorkerWithoutContribution", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 1)), List.of(d), List.of(big(1))), addresses(ws), s),
                "worker " + ws.get(1).address(), "contributed to no task");
    }

    @Test
    void invalidContributionWhenSignedByAnotherKey() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(1);
        GridClient other = k.freshWorker();
        String d = digest("d");
        // the scheduler cannot sign for the worker: its key is not the worker's
        List<byte[]> bySched = List.of(Contributions.signCommitment(f.net.protocol().domain(),
                Contributions.commitment(ws.get(0).address(), List.of(new Contributions.Entry(deal.taskId(0), d))),
                f.credentials(f.scheduler)));
        var v = votes(List.of(packTask(0, 1)), List.of(d), List.of(big(1)));
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws), bySched),
                "worker " + ws.get(0).address(), "did not sign these contributions");
        List<byte[]> byOther = List.of(k.sign(other, ws.get(0).address(),
                List.of(new Contributions.Entry(deal.taskId(0), d))));
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws), byOther), "did not sign");
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws), List.of(new byte[65])),
                "did not sign");
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void theSchedulerCannotForgeAWorkersContribution() {
        // the worker signed digest e; the scheduler submits it as a vote for d
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(1);
        String d = digest("d");
        String e = digest("e");
        List<byte[]> signedE = sigs(deal, 0, ws, List.of(e));
        var v = votes(List.of(packTask(0, 1)), List.of(d), List.of(big(1)));
        String forgedChain = Contributions.commitment(ws.get(0).address(), List.of(new Contributions.Entry(deal.taskId(0), d)));
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws), signedE),
                "worker " + ws.get(0).address(), "commitment " + forgedChain);
        // a signature over the same digest on another task does not count either
        DealRecord other = f.deal(1, 1);
        List<byte[]> otherTask = sigs(other, 0, ws, List.of(d));
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws), otherTask), "did not sign");
        // and the honest submission passes
        rawBatch(f.scheduler, deal, v, addresses(ws), sigs(deal, 0, ws, List.of(d)));
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
    }

    @Test
    void aCopiedCommitmentDoesNotCount() {
        // worker B signs A's commitment chain: the hub recomputes B's chain from B's address
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = sorted(2);
        GridClient a = ws.get(0);
        GridClient b = ws.get(1);
        String d = digest("d");
        List<Contributions.Entry> entries = List.of(new Contributions.Entry(deal.taskId(0), d));
        List<byte[]> s = List.of(k.sign(a, a.address(), entries), k.sign(b, a.address(), entries));
        String bChain = Contributions.commitment(b.address(), entries);
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal,
                votes(List.of(packTask(0, 1)), List.of(d), List.of(big(3))), addresses(ws), s),
                "worker " + b.address(), "commitment " + bChain);
    }

    @Test
    void signaturesCoverTheBatchOrder() {
        DealRecord deal = f.deal(2, 1);
        List<GridClient> ws = sorted(1);
        String d0 = digest("d0");
        String d1 = digest("d1");
        List<Contributions.Entry> inOrder = List.of(new Contributions.Entry(deal.taskId(0), d0),
                new Contributions.Entry(deal.taskId(1), d1));
        List<Contributions.Entry> swapped = List.of(inOrder.get(1), inOrder.get(0));
        var v = votes(List.of(packTask(0, 1), packTask(1, 1)), List.of(d0, d1), List.of(big(1), big(1)));
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws),
                List.of(k.sign(ws.get(0), ws.get(0).address(), swapped))), "did not sign");
        reverts("InvalidContribution", () -> rawBatch(f.scheduler, deal, v, addresses(ws),
                List.of(k.sign(ws.get(0), ws.get(0).address(), inOrder.subList(0, 1)))), "did not sign");
        rawBatch(f.scheduler, deal, v, addresses(ws), List.of(k.sign(ws.get(0), ws.get(0).address(), inOrder)));
        assertThat(f.owner.resultDigest(deal.taskId(1))).isEqualTo(d1);
    }

    @Test
    void insufficientStake() {
        // free tokens do not back a contribution: only a bond in the deal's pool does
        GridClient unbonded = k.freshWorker(Fixture.DEPOSIT, BigInteger.ZERO, true);
        DealRecord deal = f.deal(1, 1);
        String d = digest("d");
        reverts("InsufficientStake", () -> k.finalize(deal, agree(deal, 0, List.of(unbonded), d)),
                "worker " + unbonded.address(), "has 0 bonded in the deal's pool", "30 its contributions must stake");
        // one stake per contribution in the batch: a bond of 59 covers one task but not two
        GridClient thin = k.freshWorker(BigInteger.ZERO, big(59), false);
        DealRecord deal2 = f.deal(2, 1);
        Batch two = new Batch()
                .add(0, deal2.taskId(0), List.of(new Batch.Vote(thin.address(), d)), d, null)
                .add(1, deal2.taskId(1), List.of(new Batch.Vote(thin.address(), d)), d, null);
        reverts("InsufficientStake", () -> k.finalize(deal2, two), "has 59 bonded", "60 its contributions must stake");
        k.finalize(deal2, agree(deal2, 0, List.of(thin), d));
        assertThat(k.stake(thin).bond()).isEqualTo(big(59));
        assertThat(k.stake(thin).earned()).isEqualTo(big(99));
        assertThat(k.bal(thin).free()).isZero();
        k.assertConserved();
    }

    @Test
    void taskAlreadyFinalized() {
        DealRecord deal = f.deal(2, 1);
        List<GridClient> ws = k.freshWorkers(1);
        String d = digest("d");
        k.finalize(deal, agree(deal, 0, ws, d));
        reverts("TaskAlreadyFinalized", () -> k.finalize(deal, agree(deal, 0, ws, digest("e"))),
                "task " + deal.taskId(0), "already finalized");
        // the same task twice in one batch
        Batch twice = new Batch()
                .add(1, deal.taskId(1), List.of(new Batch.Vote(ws.get(0).address(), d)), d, null)
                .add(1, deal.taskId(1), List.of(new Batch.Vote(ws.get(0).address(), d)), d, null);
        reverts("TaskAlreadyFinalized", () -> k.finalize(deal, twice), "task " + deal.taskId(1));
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void taskOnClassicPath() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        reverts("TaskOnClassicPath", () -> k.finalize(deal, agree(deal, 0, k.freshWorkers(1), digest("d"))),
                "runs on the per-worker path");
    }

    @Test
    void taskIndexOutOfRange() {
        DealRecord deal = f.deal(1, 1);
        reverts("TaskIndexOutOfRange", () -> k.finalize(deal, agree(deal, 1, k.freshWorkers(1), digest("d"))),
                "task index 1 is out of range", "has 1 tasks");
    }

    @Test
    void notScheduler() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = k.freshWorkers(1);
        Batch b = agree(deal, 0, ws, digest("d"));
        reverts("NotScheduler", () -> f.requester.finalizeBatch(deal, b, k.signatures(b)), "only the deal's scheduler",
                f.requester.address());
        reverts("NotScheduler", () -> f.workers.get(0).finalizeBatch(deal, b, k.signatures(b)),
                "only the deal's scheduler");
    }

    @Test
    void deadlinePassed() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = k.freshWorkers(1);
        Batch b = agree(deal, 0, ws, digest("d"));
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        reverts("DeadlinePassed", () -> k.finalize(deal, b), "deal " + deal.dealId(), "passed its deadline");
    }

    @Test
    void invalidDigest() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = k.freshWorkers(1);
        for (long reserved : new long[] {1, 2, 0}) {
            reverts("InvalidDigest", () -> k.finalize(deal, agree(deal, 0, ws, word(reserved))),
                    "result digest " + word(reserved), "reserved");
        }
        k.finalize(deal, agree(deal, 0, ws, word(3)));
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(word(3));
    }

    @Test
    void unknownDeal() {
        DealRecord deal = f.deal(1, 1);
        List<GridClient> ws = k.freshWorkers(1);
        Batch b = agree(deal, 0, ws, digest("d"));
        reverts("UnknownDeal", () -> f.scheduler.finalizeBatch(PocoKit.tampered(deal), b, k.signatures(b)),
                "unknown or the deal terms given do not match");
    }

    // ---------------------------------------------------------------- success

    @Test
    void aDissenterIsSlashedIntoBurnAndTheWinnersShareOnlyThePrice() {
        GridClient loser = k.freshWorker();
        List<GridClient> winners = k.freshWorkers(3);
        List<GridClient> everyone = new ArrayList<>(winners);
        everyone.add(loser);
        k.reputation(everyone, 1);
        assertThat(k.score(loser)).isEqualTo(1);
        BigInteger group = ConsensusRule.groupWeight(1, 1, 1);
        BigInteger others = ConsensusRule.groupWeight(1);
        assertThat(ConsensusRule.reached(group, group.add(others), big(200))).isFalse();
        assertThat(ConsensusRule.reached(group, group.add(others), big(100))).isTrue();
        DealRecord deal = f.deal(1, 100);
        String good = digest("good");
        String bad = digest("bad");
        List<GridClient> all = new ArrayList<>(winners);
        all.add(loser);
        Batch b = PocoKit.batch(deal, 0, all, List.of(good, good, good, bad), good);
        var lBefore = k.stake(loser);
        var before = winners.stream().map(k::stake).toList();
        BigInteger burned = f.burned();
        Balance sBefore = k.bal(f.scheduler);
        Balance rBefore = k.bal(f.requester);
        Balance aBefore = k.bal(f.appOwner);
        var r = k.finalize(deal, b);
        assertThat(GridHub.getBatchFinalizedEvents(r.receipt())).hasSize(1);

        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(good);
        var lAfter = k.stake(loser);
        assertThat(lBefore.bond().subtract(lAfter.bond())).isEqualTo(STAKE);
        assertThat(lAfter.earned()).isEqualTo(lBefore.earned());
        assertThat(lAfter.score()).isZero();
        assertThat(f.burned().subtract(burned)).as("the loser's stake is burned, paid to no winner").isEqualTo(STAKE);
        for (int i = 0; i < 3; i++) {
            var a = k.stake(winners.get(i));
            assertThat(a.earned().subtract(before.get(i).earned())).as("99 / 3, the price only").isEqualTo(big(33));
            assertThat(a.bond()).isEqualTo(before.get(i).bond());
            assertThat(a.score()).isEqualTo(before.get(i).score() + 1);
        }
        Balance sAfter = k.bal(f.scheduler);
        assertThat(sAfter.free().subtract(sBefore.free())).isEqualTo(big(1 + 30));
        assertThat(sBefore.locked().subtract(sAfter.locked())).isEqualTo(big(30));
        assertThat(rBefore.locked().subtract(k.bal(f.requester).locked())).isEqualTo(PocoKit.TASK_PRICE);
        assertThat(k.bal(f.appOwner).free().subtract(aBefore.free())).isEqualTo(big(Fixture.APP_PRICE));
        k.assertConserved();
    }

    @Test
    void reputationRaisesWeights() {
        List<GridClient> pair = k.freshWorkers(2);
        DealRecord deal = f.deal(1, 5);
        String d = digest("d");
        assertThat(ConsensusRule.reached(ConsensusRule.groupWeight(0, 0), big(4), big(5))).isFalse();
        reverts("NoConsensus", () -> k.finalize(deal, agree(deal, 0, pair, d)), "does not reach");
        k.reputation(pair, 1);
        assertThat(pair.stream().map(k::score).toList()).containsExactly(1L, 1L);
        BigInteger w = ConsensusRule.groupWeight(1, 1);
        assertThat(w).as("(10 * 1 + 2)^2").isEqualTo(big(144));
        assertThat(ConsensusRule.reached(w, w, big(5))).isTrue();
        k.finalize(deal, agree(deal, 0, pair, d));
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
        assertThat(pair.stream().map(k::score).toList()).containsExactly(2L, 2L);
    }

    @Test
    void singleContributorTasksDoNotRaiseReputation() {
        GridClient w = k.freshWorker();
        DealRecord deal = f.deal(3, 1);
        Batch b = new Batch();
        for (long i = 0; i < 3; i++) b.add(i, deal.taskId(i), List.of(new Batch.Vote(w.address(), word(100 + i))), word(100 + i), null);
        var before = k.stake(w);
        k.finalize(deal, b);
        var after = k.stake(w);
        assertThat(after.score()).isZero();
        assertThat(after.earned().subtract(before.earned())).isEqualTo(big(3 * 99));
    }

    @Test
    void workersNeedNoEth() {
        GridClient a = k.freshWorker(BigInteger.ZERO, false);
        GridClient b = k.freshWorker(BigInteger.ZERO, false);
        k.depositFor(a.address(), big(1_000));
        k.depositFor(b.address(), big(1_000));
        assertThat(k.ethBalance(a.address())).isZero();
        DealRecord deal = f.deal(1, 1);
        String d = digest("d");
        k.finalize(deal, agree(deal, 0, List.of(a, b), d));
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
        // 99 / 2 = 49 each, dust 1 to the scheduler
        assertThat(k.bal(a).free()).isEqualTo(big(1_000));
        assertThat(k.stake(a).earned()).isEqualTo(big(49));
        assertThat(k.stake(a).score()).isEqualTo(1);
        // collecting needs a transaction of the worker's own: with ETH, it moves the earnings to the free balance
        k.setEth(a.address(), BigInteger.TEN.pow(18));
        a.collect(f.scheduler.address());
        assertThat(k.bal(a).free()).isEqualTo(big(1_049));
        assertThat(k.stake(a).earned()).isZero();
        assertThat(k.ethBalance(b.address())).isZero();
        k.assertConserved();
    }

    @Test
    void aBatchOfSeveralTasksWithMixedVotes() {
        List<GridClient> ws = sorted(3);
        DealRecord deal = f.deal(3, 1);
        String d0 = digest("d0");
        String d1 = digest("d1");
        String x = digest("x");
        Batch b = new Batch()
                .add(0, deal.taskId(0), List.of(new Batch.Vote(ws.get(0).address(), d0),
                        new Batch.Vote(ws.get(1).address(), d0)), d0, null)
                .add(2, deal.taskId(2), List.of(new Batch.Vote(ws.get(2).address(), d1),
                        new Batch.Vote(ws.get(0).address(), d1), new Batch.Vote(ws.get(1).address(), x)), d1, null);
        var before = ws.stream().map(k::stake).toList();
        BigInteger burned = f.burned();
        k.finalize(deal, b);
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.UNSET);
        assertThat(f.owner.resultDigest(deal.taskId(2))).isEqualTo(d1);
        // worker 0: 49 + 49; worker 1: 49 (task 0) and its stake lost on task 2; worker 2: 49 (task 2)
        assertThat(k.stake(ws.get(0)).earned().subtract(before.get(0).earned())).isEqualTo(big(98));
        assertThat(k.stake(ws.get(1)).earned().subtract(before.get(1).earned())).isEqualTo(big(49));
        assertThat(before.get(1).bond().subtract(k.stake(ws.get(1)).bond())).isEqualTo(STAKE);
        assertThat(k.stake(ws.get(2)).earned().subtract(before.get(2).earned())).isEqualTo(big(49));
        assertThat(f.burned().subtract(burned)).isEqualTo(STAKE);
        assertThat(ws.stream().map(k::score).toList()).containsExactly(2L, 0L, 1L);
        k.assertConserved();
    }
}
