package io.gridchain.protocol.poco;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.poco.PocoKit.ACTIVE;
import static io.gridchain.protocol.poco.PocoKit.DONE;
import static io.gridchain.protocol.poco.PocoKit.REVEALING;
import static io.gridchain.protocol.poco.PocoKit.STAKE;
import static io.gridchain.protocol.poco.PocoKit.TASK_PRICE;
import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.digest;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-worker path: initialize, contribute (commit), reveal, finalize. */
class ClassicPathTest extends FixtureTest {
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    // ---------------------------------------------------------------- initialize

    @Test
    void onlyTheSchedulerInitializes() {
        DealRecord deal = f.deal(2, 1);
        reverts("NotScheduler", () -> f.requester.initialize(deal, 0), "only the deal's scheduler",
                f.scheduler.address(), f.requester.address());
        reverts("NotScheduler", () -> f.workers.get(0).initialize(deal, 0), "only the deal's scheduler");
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);

        f.scheduler.initialize(deal, 0);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.IN_PROGRESS);
        assertThat(k.phase(deal, 0)).isEqualTo(ACTIVE);
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void initializingTwiceIsTheWrongPhase() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        reverts("WrongPhase", () -> f.scheduler.initialize(deal, 0), deal.taskId(0), "is active, not not started");
    }

    @Test
    void indexBeyondVolumeIsOutOfRange() {
        DealRecord deal = f.deal(2, 1);
        reverts("TaskIndexOutOfRange", () -> f.scheduler.initialize(deal, 2), "task index 2 is out of range",
                "has 2 tasks");
        reverts("TaskIndexOutOfRange", () -> f.scheduler.initialize(deal, 1_000_000), "out of range");
    }

    @Test
    void unknownDealOrTamperedTermsAreRefused() {
        DealRecord deal = f.deal(1, 1);
        DealRecord unknown = PocoKit.unknownId(deal);
        reverts("UnknownDeal", () -> f.scheduler.initialize(unknown, 0), unknown.dealId(), "unknown");
        reverts("UnknownDeal", () -> f.scheduler.initialize(PocoKit.tampered(deal), 0), deal.dealId(),
                "do not match");
        GridClient w = k.freshWorker();
        f.scheduler.initialize(deal, 0);
        String d = digest("x");
        String taskId = deal.taskId(0);
        reverts("UnknownDeal", () -> w.contribute(PocoKit.tampered(deal), 0, Contributions.resultHash(taskId, d),
                Contributions.seal(w.address(), taskId, d), k.authorize(w.address(), taskId)), deal.dealId());
    }

    @Test
    void initializeAfterTheDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 1);
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        reverts("DeadlinePassed", () -> f.scheduler.initialize(deal, 0), deal.dealId(), "passed its deadline");
    }

    // ---------------------------------------------------------------- contribute

    @Test
    void contributingLocksTheWorkerStake() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        Balance before = k.bal(w);
        k.contribute(w, deal, 0, digest("r"));
        Balance after = k.bal(w);
        assertThat(after.locked().subtract(before.locked())).isEqualTo(STAKE).isEqualTo(deal.deal().workerStake());
        assertThat(before.free().subtract(after.free())).isEqualTo(STAKE);
        var c = PocoKit.call(() -> f.owner.hub().contributionOf(
                io.gridchain.protocol.abi.Words.toBytes32(deal.taskId(0)), w.address()).send());
        assertThat(io.gridchain.protocol.abi.Words.hex(c.resultHash)).isNotEqualTo(io.gridchain.protocol.abi.Words.ZERO_BYTES32);
        assertThat(c.revealed).isFalse();
        assertThat(k.phase(deal, 0)).isEqualTo(ACTIVE); // one fresh worker does not reach trust 5
        k.assertConserved();
    }

    @Test
    void contributingNeedsTheSchedulersAuthorizationForThisWorker() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        GridClient other = k.freshWorker();
        String taskId = deal.taskId(0);
        String d = digest("r");
        String rh = Contributions.resultHash(taskId, d);
        String seal = Contributions.seal(w.address(), taskId, d);
        // signed by a key other than the scheduler's
        byte[] forged = Contributions.authorize(f.net.protocol().domain(), w.address(), taskId,
                f.credentials(f.requester));
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, rh, seal, forged), "worker " + w.address(),
                "not authorized by the scheduler");
        // the scheduler's authorization of another worker
        byte[] forOther = k.authorize(other.address(), taskId);
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, rh, seal, forOther), "not authorized");
        // the scheduler's authorization for this worker on another task
        DealRecord deal2 = f.deal(1, 5);
        byte[] otherTask = k.authorize(w.address(), deal2.taskId(0));
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, rh, seal, otherTask), "not authorized");
        // garbage
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, rh, seal, new byte[65]), "not authorized");
        assertThat(k.bal(w).locked()).isZero();

        w.contribute(deal, 0, rh, seal, k.authorize(w.address(), taskId));
        assertThat(k.bal(w).locked()).isEqualTo(STAKE);
    }

    @Test
    void aWorkerContributesOnce() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        k.contribute(w, deal, 0, digest("a"));
        reverts("AlreadyContributed", () -> k.contribute(w, deal, 0, digest("b")), "worker " + w.address(),
                "already contributed");
        assertThat(k.bal(w).locked()).isEqualTo(STAKE);
    }

    @Test
    void emptyContributionsAreRefused() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        String taskId = deal.taskId(0);
        String d = digest("a");
        byte[] auth = k.authorize(w.address(), taskId);
        String zero = io.gridchain.protocol.abi.Words.ZERO_BYTES32;
        reverts("EmptyContribution", () -> w.contribute(deal, 0, zero, Contributions.seal(w.address(), taskId, d),
                auth), "non-zero result hash and seal");
        reverts("EmptyContribution", () -> w.contribute(deal, 0, Contributions.resultHash(taskId, d), zero, auth),
                "non-zero");
    }

    @Test
    void contributingToAnUninitializedTaskIsTheWrongPhase() {
        DealRecord deal = f.deal(1, 1);
        GridClient w = k.freshWorker();
        reverts("WrongPhase", () -> k.contribute(w, deal, 0, digest("a")), "is not started, not active");
    }

    @Test
    void trustOneIsReachedByOneWorkerAndLaterContributionsAreRefused() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient a = k.freshWorker();
        GridClient b = k.freshWorker();
        k.contribute(a, deal, 0, digest("a"));
        assertThat(k.phase(deal, 0)).isEqualTo(REVEALING);
        reverts("WrongPhase", () -> k.contribute(b, deal, 0, digest("a")), deal.taskId(0),
                "is revealing, not active");
        assertThat(k.bal(b).locked()).isZero();
    }

    @Test
    void trustFiveNeedsThreeAgreeingFreshWorkers() {
        assertThat(ConsensusRule.reached(big(4), big(4), big(5))).isFalse(); // 4*5 > 5*4 is false
        assertThat(ConsensusRule.reached(big(8), big(8), big(5))).isTrue(); // 8*5 > 9*4
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        List<GridClient> ws = k.freshWorkers(3);
        String d = digest("x");
        k.contribute(ws.get(0), deal, 0, d);
        assertThat(k.phase(deal, 0)).isEqualTo(ACTIVE);
        k.contribute(ws.get(1), deal, 0, d);
        assertThat(k.phase(deal, 0)).as("two fresh workers: 4*5 > 5*4 is false").isEqualTo(ACTIVE);
        k.contribute(ws.get(2), deal, 0, d);
        var task = k.classicTask(deal.taskId(0));
        assertThat(task.phase.intValue()).isEqualTo(REVEALING);
        assertThat(io.gridchain.protocol.abi.Words.hex(task.consensusHash))
                .isEqualTo(Contributions.resultHash(deal.taskId(0), d));
        assertThat(task.totalWeight).isEqualTo(big(8));
        assertThat(task.workers).hasSize(3);
    }

    // ---------------------------------------------------------------- reveal

    @Test
    void revealChecksTheDigestAndTheConsensus() {
        // trust 3: the dissenter (weight 2) first, then three agreeing fresh workers (8*3 > 11*2)
        DealRecord deal = f.deal(1, 3);
        f.scheduler.initialize(deal, 0);
        GridClient dissenter = k.freshWorker();
        List<GridClient> ws = k.freshWorkers(3);
        String good = digest("good");
        String bad = digest("bad");
        k.contribute(dissenter, deal, 0, bad);
        k.contribute(ws.get(0), deal, 0, good);
        k.contribute(ws.get(1), deal, 0, good);
        assertThat(k.phase(deal, 0)).isEqualTo(ACTIVE);
        k.contribute(ws.get(2), deal, 0, good);
        assertThat(k.phase(deal, 0)).isEqualTo(REVEALING);

        reverts("RevealMismatch", () -> ws.get(0).reveal(deal, 0, bad), "revealed by " + ws.get(0).address(),
                "does not match");
        reverts("RevealMismatch", () -> ws.get(0).reveal(deal, 0, digest("other")), "does not match");
        reverts("NotInConsensus", () -> dissenter.reveal(deal, 0, bad), "worker " + dissenter.address(),
                "not in the consensus");
        reverts("NotInConsensus", () -> dissenter.reveal(deal, 0, good), "not in the consensus");
        reverts("NotInConsensus", () -> f.workers.get(4).reveal(deal, 0, good), "not in the consensus");

        ws.get(0).reveal(deal, 0, good);
        reverts("AlreadyRevealed", () -> ws.get(0).reveal(deal, 0, good), "already revealed");
        var task = k.classicTask(deal.taskId(0));
        assertThat(task.reveals.intValue()).isEqualTo(1);
        assertThat(io.gridchain.protocol.abi.Words.hex(task.digest)).isEqualTo(good);
    }

    @Test
    void aCopiedVoteCannotBeRevealed() {
        // the copier submits the winner's resultHash with a seal it cannot make for the winner's digest
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        List<GridClient> ws = k.freshWorkers(2);
        GridClient copier = k.freshWorker();
        String d = digest("d");
        String taskId = deal.taskId(0);
        k.contribute(ws.get(0), deal, 0, d);
        k.contribute(ws.get(1), deal, 0, d);
        // copies resultHash and the seal of worker 0
        copier.contribute(deal, 0, Contributions.resultHash(taskId, d), Contributions.seal(ws.get(0).address(), taskId, d),
                k.authorize(copier.address(), taskId));
        assertThat(k.phase(deal, 0)).isEqualTo(REVEALING);
        reverts("RevealMismatch", () -> copier.reveal(deal, 0, d), "does not match");
    }

    @Test
    void revealAfterTheRevealDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        String d = digest("d");
        k.contribute(w, deal, 0, d);
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 5);
        reverts("RevealDeadlinePassed", () -> w.reveal(deal, 0, d), deal.taskId(0), "reveal deadline");
    }

    @Test
    void theRevealWindowNeverExtendsPastTheDealDeadline() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        String d = digest("late");
        f.net.advanceTime(PocoKit.DEAL_DURATION - 200);
        k.contribute(w, deal, 0, d);
        assertThat(k.classicTask(deal.taskId(0)).revealDeadline.longValueExact()).isEqualTo(deal.deal().deadline());
        w.reveal(deal, 0, d);
        f.scheduler.finalizeTask(deal, 0, null);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
    }

    @Test
    void revealBeforeConsensusIsTheWrongPhase() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        String d = digest("d");
        k.contribute(w, deal, 0, d);
        reverts("WrongPhase", () -> w.reveal(deal, 0, d), "is active, not revealing");
    }

    // ---------------------------------------------------------------- finalize

    @Test
    void finalizeWaitsForAllRevealsBeforeTheRevealDeadline() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        List<GridClient> ws = k.freshWorkers(3);
        String d = digest("d");
        for (GridClient w : ws) k.contribute(w, deal, 0, d);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 0 of 3 reveals");
        ws.get(0).reveal(deal, 0, d);
        ws.get(1).reveal(deal, 0, d);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 2 of 3 reveals",
                "wait for the others");
        reverts("NotScheduler", () -> ws.get(0).finalizeTask(deal, 0, null), "only the deal's scheduler");
        ws.get(2).reveal(deal, 0, d);
        f.scheduler.finalizeTask(deal, 0, null);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
        assertThat(k.phase(deal, 0)).isEqualTo(DONE);
        reverts("WrongPhase", () -> f.scheduler.finalizeTask(deal, 0, null), "is done, not revealing");
        reverts("TaskAlreadyFinalized", () -> f.scheduler.initialize(deal, 0), "already finalized");
        k.assertConserved();
    }

    @Test
    void finalizeWithNoRevealIsPendingEvenAfterTheRevealDeadline() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        k.contribute(w, deal, 0, digest("d"));
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 5);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 0 of 1 reveals");
    }

    @Test
    void finalizeAfterTheRevealDeadlineSlashesTheSilentWinner() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        List<GridClient> ws = k.freshWorkers(3);
        k.reputation(List.of(ws.get(2), k.freshWorker()), 2); // the silent one has score 2 (weight 22) to lose
        String d = digest("d");
        List<Balance> before = ws.stream().map(k::bal).toList();
        for (GridClient w : ws) k.contribute(w, deal, 0, d);
        assertThat(k.phase(deal, 0)).isEqualTo(REVEALING);
        ws.get(0).reveal(deal, 0, d);
        ws.get(1).reveal(deal, 0, d);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 2 of 3 reveals");
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 5);
        Balance sched = k.bal(f.scheduler);
        f.scheduler.finalizeTask(deal, 0, null);

        // pot = 99 + 30 (the silent winner's stake); each of the 2 revealers gets 64, dust 1 to the scheduler
        for (int i = 0; i < 2; i++) {
            Balance a = k.bal(ws.get(i));
            assertThat(a.free().subtract(before.get(i).free())).isEqualTo(big(64));
            assertThat(a.locked()).isEqualTo(before.get(i).locked());
            assertThat(a.score()).isEqualTo(before.get(i).score() + 1);
        }
        Balance silent = k.bal(ws.get(2));
        assertThat(before.get(2).free().subtract(silent.free())).isEqualTo(STAKE);
        assertThat(silent.locked()).isZero();
        assertThat(before.get(2).score()).isEqualTo(2);
        assertThat(silent.score()).isZero();
        Balance sched2 = k.bal(f.scheduler);
        assertThat(sched2.free().subtract(sched.free())).isEqualTo(big(1 + 1 + 30));
        assertThat(sched.locked().subtract(sched2.locked())).isEqualTo(big(30));
        k.assertConserved();
    }

    @Test
    void finalizePaysWinnersSlashesTheDissenterAndChargesTheRequester() {
        GridClient dissenter = k.freshWorker();
        List<GridClient> ws = k.freshWorkers(4);
        List<GridClient> everyone = new java.util.ArrayList<>(ws);
        everyone.add(dissenter);
        k.reputation(everyone, 1);
        assertThat(k.score(dissenter)).isEqualTo(1);
        // trust 1,000, every worker of score 1 (weight 12): the dissenter alone does not reach it, and the honest
        // group only with its fourth member: 12^3 * 1,000 < (1 + 12^3 + 12) * 999 but 12^4 * 1,000 > (1 + 12^4 + 12) * 999
        assertThat(ConsensusRule.reached(big(12), big(12), big(1000))).isFalse();
        assertThat(ConsensusRule.reached(big(1728), big(1740), big(1000))).isFalse();
        assertThat(ConsensusRule.reached(big(20736), big(20748), big(1000))).isTrue();
        DealRecord deal = f.deal(1, 1000);
        f.scheduler.initialize(deal, 0);
        String good = digest("good");
        Balance dBefore = k.bal(dissenter);
        List<Balance> before = ws.stream().map(k::bal).toList();
        Balance sBefore = k.bal(f.scheduler);
        Balance rBefore = k.bal(f.requester);
        Balance aBefore = k.bal(f.appOwner);

        k.contribute(dissenter, deal, 0, digest("bad"));
        for (int i = 0; i < 3; i++) {
            k.contribute(ws.get(i), deal, 0, good);
            assertThat(k.phase(deal, 0)).isEqualTo(ACTIVE);
        }
        k.contribute(ws.get(3), deal, 0, good);
        assertThat(k.phase(deal, 0)).isEqualTo(REVEALING);
        assertThat(k.bal(dissenter).locked().subtract(dBefore.locked())).isEqualTo(STAKE);
        for (GridClient w : ws) w.reveal(deal, 0, good);
        var r = f.scheduler.finalizeTask(deal, 0, null);
        assertThat(io.gridchain.contracts.GridHub.getTaskFinalizedEvents(r.receipt())).hasSize(1);

        // pot = 99 + 30 = 129; 4 winners get 32 each, dust 1
        for (int i = 0; i < 4; i++) {
            Balance a = k.bal(ws.get(i));
            assertThat(a.free().subtract(before.get(i).free())).isEqualTo(big(32));
            assertThat(a.locked()).isEqualTo(before.get(i).locked());
            assertThat(a.score()).as("winner on a replicated task").isEqualTo(before.get(i).score() + 1);
        }
        Balance dAfter = k.bal(dissenter);
        assertThat(dBefore.free().subtract(dAfter.free())).as("dissenter's stake seized").isEqualTo(STAKE);
        assertThat(dAfter.locked()).isEqualTo(dBefore.locked());
        assertThat(dAfter.score()).as("dissenter's score reset").isZero();
        Balance sAfter = k.bal(f.scheduler);
        assertThat(sAfter.free().subtract(sBefore.free())).as("1 % share + dust 1 + stake unlocked")
                .isEqualTo(big(1 + 1 + 30));
        assertThat(sBefore.locked().subtract(sAfter.locked())).isEqualTo(big(30));
        Balance rAfter = k.bal(f.requester);
        assertThat(rBefore.locked().subtract(rAfter.locked())).isEqualTo(TASK_PRICE);
        assertThat(rAfter.free()).isEqualTo(rBefore.free());
        assertThat(k.bal(f.appOwner).free().subtract(aBefore.free())).isEqualTo(deal.deal().appPrice());
        k.assertConserved();
    }

    @Test
    void aSingleWorkerTaskPaysWithoutReputation() {
        GridClient w = k.freshWorker();
        k.reputation(List.of(w, k.freshWorker()), 1);
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        String d = digest("solo");
        Balance before = k.bal(w);
        k.contribute(w, deal, 0, d);
        w.reveal(deal, 0, d);
        f.scheduler.finalizeTask(deal, 0, null);
        Balance after = k.bal(w);
        assertThat(after.free().subtract(before.free())).isEqualTo(PocoKit.WORKERS_SHARE);
        assertThat(after.locked()).isEqualTo(before.locked());
        assertThat(after.score()).as("no replication, no reputation").isEqualTo(before.score());
        k.assertConserved();
    }

    @Test
    void contributeNeedsAFreeBalanceForTheStake() {
        GridClient poor = k.freshWorker(BigInteger.valueOf(29), true);
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        reverts("InsufficientFreeBalance", () -> k.contribute(poor, deal, 0, digest("d")), "has 29 free tokens",
                "30 are needed");
    }

    @Test
    void contributeAfterTheDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        reverts("DeadlinePassed", () -> k.contribute(w, deal, 0, digest("d")), "passed its deadline");
    }
}
