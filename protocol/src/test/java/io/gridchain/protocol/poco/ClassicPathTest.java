package io.gridchain.protocol.poco;

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
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-worker path: initialize, contribute (a salted seal), close, reveal (digest and salt), finalize. Workers are
 * paid into their earnings in the pool; dissenters and the silent lose a stake from their bond, burned.
 */
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
        String taskId = deal.taskId(0);
        String seal = Contributions.seal(w.address(), taskId, digest("x"), Contributions.salt());
        reverts("UnknownDeal", () -> w.contribute(PocoKit.tampered(deal), 0, seal, k.authorize(w.address(), taskId)),
                deal.dealId());
    }

    @Test
    void initializeAfterTheDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 1);
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        reverts("DeadlinePassed", () -> f.scheduler.initialize(deal, 0), deal.dealId(), "passed its deadline");
    }

    // ---------------------------------------------------------------- contribute

    @Test
    void contributingCommitsASealBackedByTheBondAndMovesNoTokens() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        Balance before = k.bal(w);
        PoolStake stakeBefore = k.stake(w);
        String d = digest("r");
        k.contribute(w, deal, 0, d);
        assertThat(k.bal(w)).isEqualTo(before);
        assertThat(k.stake(w)).isEqualTo(stakeBefore);
        var c = f.owner.contribution(deal.taskId(0), w.address());
        assertThat(Words.hex(c.seal)).isEqualTo(Contributions.seal(w.address(), deal.taskId(0), d,
                k.saltOf(w, deal, 0)));
        assertThat(Words.hex(c.digest)).as("nothing public before the reveal").isEqualTo(Words.ZERO_BYTES32);
        assertThat(k.phase(deal, 0)).isEqualTo(ACTIVE);
        k.assertConserved();
    }

    @Test
    void theSealHidesTheDigestBehindTheSalt() {
        String taskId = digest("task");
        String d = digest("result");
        String w = f.workers.get(0).address();
        String s1 = Contributions.salt();
        String s2 = Contributions.salt();
        assertThat(s1).isNotEqualTo(s2);
        assertThat(Contributions.seal(w, taskId, d, s1)).isNotEqualTo(Contributions.seal(w, taskId, d, s2));
        assertThat(Contributions.seal(w, taskId, d, s1))
                .isNotEqualTo(Contributions.seal(f.workers.get(1).address(), taskId, d, s1));
    }

    @Test
    void contributingNeedsTheSchedulersAuthorizationForThisWorker() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        GridClient other = k.freshWorker();
        String taskId = deal.taskId(0);
        String seal = Contributions.seal(w.address(), taskId, digest("r"), Contributions.salt());
        byte[] forged = Contributions.authorize(f.net.protocol().domain(), w.address(), taskId,
                f.credentials(f.requester));
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, seal, forged), "worker " + w.address(),
                "not authorized by the scheduler");
        byte[] forOther = k.authorize(other.address(), taskId);
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, seal, forOther), "not authorized");
        DealRecord deal2 = f.deal(1, 5);
        byte[] otherTask = k.authorize(w.address(), deal2.taskId(0));
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, seal, otherTask), "not authorized");
        reverts("WorkerNotAuthorized", () -> w.contribute(deal, 0, seal, new byte[65]), "not authorized");
        assertThat(k.classicTask(taskId).workers).isEmpty();

        w.contribute(deal, 0, seal, k.authorize(w.address(), taskId));
        assertThat(k.classicTask(taskId).workers).hasSize(1);
    }

    @Test
    void aWorkerContributesOnce() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        k.contribute(w, deal, 0, digest("a"));
        reverts("AlreadyContributed", () -> k.contribute(w, deal, 0, digest("b")), "worker " + w.address(),
                "already contributed");
        assertThat(k.classicTask(deal.taskId(0)).workers).hasSize(1);
    }

    @Test
    void anEmptySealIsRefused() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        byte[] auth = k.authorize(w.address(), deal.taskId(0));
        reverts("EmptyContribution", () -> w.contribute(deal, 0, Words.ZERO_BYTES32, auth), "non-zero seal");
    }

    @Test
    void contributingToAnUninitializedTaskIsTheWrongPhase() {
        DealRecord deal = f.deal(1, 1);
        GridClient w = k.freshWorker();
        reverts("WrongPhase", () -> k.contribute(w, deal, 0, digest("a")), "is not started, not active");
    }

    @Test
    void contributeNeedsABondCoveringOneStakeInTheDealsPool() {
        GridClient poor = k.freshWorker(Fixture_DEPOSIT, big(29), true);
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        reverts("InsufficientBond", () -> k.contribute(poor, deal, 0, digest("d")), "has 29 bonded",
                "30 are needed", "bond more");
        // free tokens do not count: only a bond in this pool backs a contribution
        assertThat(k.bal(poor).free()).isGreaterThan(STAKE);
        poor.bond(f.scheduler.address(), BigInteger.ONE);
        k.contribute(poor, deal, 0, digest("d"));
    }

    @Test
    void aBondThatCanLeaveBeforeTheDeadlineBacksNoContribution() {
        GridClient w = k.freshWorker();
        w.requestUnbond(f.scheduler.address());
        f.net.advanceTime(PocoKit.UNBOND_DELAY - 10);
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        reverts("BondLeavesBeforeDeadline", () -> k.contribute(w, deal, 0, digest("d")), "worker " + w.address(),
                "before the deal's deadline");
        // bonding again cancels the request
        w.bond(f.scheduler.address(), BigInteger.ONE);
        assertThat(k.stake(w).unbondAt()).isZero();
        k.contribute(w, deal, 0, digest("d"));
    }

    @Test
    void contributionsCloseByThemselvesThreeCategoryTimesBeforeTheDeadline() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient a = k.freshWorker();
        GridClient late = k.freshWorker();
        String d = digest("d");
        k.contribute(a, deal, 0, d);
        k.toClose(deal);
        reverts("ContributionsClosed", () -> k.contribute(late, deal, 0, d), deal.taskId(0), "closed");
        k.reveal(a, deal, 0, d); // the first reveal opens the window that opened by time
        var task = k.classicTask(deal.taskId(0));
        assertThat(task.phase.intValue()).isEqualTo(REVEALING);
        assertThat(task.revealDeadline.longValueExact())
                .isEqualTo(deal.deal().deadline() - PocoKit.CLOSE_BEFORE_DEADLINE + PocoKit.REVEAL_DURATION)
                .isLessThan(deal.deal().deadline());
        f.scheduler.finalizeTask(deal, 0, null);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
    }

    @Test
    void contributeAfterTheDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 5);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        reverts("ContributionsClosed", () -> k.contribute(w, deal, 0, digest("d")), "closed");
    }

    // ---------------------------------------------------------------- close

    @Test
    void onlyTheSchedulerClosesAndOnlyATaskWithContributions() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        reverts("NoContributions", () -> f.scheduler.close(deal, 0), deal.taskId(0), "no contributions");
        GridClient w = k.freshWorker();
        GridClient late = k.freshWorker();
        String d = digest("d");
        k.contribute(w, deal, 0, d);
        reverts("NotScheduler", () -> w.close(deal, 0), "only the deal's scheduler");
        f.scheduler.close(deal, 0);
        var task = k.classicTask(deal.taskId(0));
        assertThat(task.phase.intValue()).isEqualTo(REVEALING);
        assertThat(task.revealDeadline.longValueExact()).isEqualTo(k.now() + PocoKit.REVEAL_DURATION);
        reverts("WrongPhase", () -> k.contribute(late, deal, 0, d), "is revealing, not active");
        reverts("WrongPhase", () -> f.scheduler.close(deal, 0), "is revealing, not active");
    }

    // ---------------------------------------------------------------- reveal

    @Test
    void revealChecksTheDigestAndTheSalt() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        List<GridClient> ws = k.freshWorkers(2);
        String good = digest("good");
        k.contribute(ws.get(0), deal, 0, good);
        k.contribute(ws.get(1), deal, 0, good);
        reverts("WrongPhase", () -> k.reveal(ws.get(0), deal, 0, good), "is active, not revealing");
        f.scheduler.close(deal, 0);
        GridClient w = ws.get(0);
        String salt = k.saltOf(w, deal, 0);
        reverts("RevealMismatch", () -> w.reveal(deal, 0, digest("other"), salt), "revealed by " + w.address(),
                "does not match");
        reverts("RevealMismatch", () -> w.reveal(deal, 0, good, Contributions.salt()), "does not match");
        reverts("NotContributor", () -> f.workers.get(4).reveal(deal, 0, good, salt), "did not contribute");
        k.reveal(w, deal, 0, good);
        reverts("AlreadyRevealed", () -> k.reveal(w, deal, 0, good), "already revealed");
        var task = k.classicTask(deal.taskId(0));
        assertThat(task.reveals.intValue()).isEqualTo(1);
        assertThat(Words.hex(task.bestDigest)).isEqualTo(good);
        assertThat(task.bestWeight).isEqualTo(big(2));
        assertThat(Words.hex(f.owner.contribution(deal.taskId(0), w.address()).digest)).isEqualTo(good);
    }

    @Test
    void aCopiedSealCannotBeRevealed() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient honest = k.freshWorker();
        GridClient copier = k.freshWorker();
        String d = digest("d");
        String taskId = deal.taskId(0);
        k.contribute(honest, deal, 0, d);
        String copied = Words.hex(f.owner.contribution(taskId, honest.address()).seal);
        copier.contribute(deal, 0, copied, k.authorize(copier.address(), taskId));
        f.scheduler.close(deal, 0);
        k.reveal(honest, deal, 0, d);
        // even knowing the digest and the salt once revealed, the seal binds the honest worker's address
        String salt = k.saltOf(honest, deal, 0);
        reverts("RevealMismatch", () -> copier.reveal(deal, 0, d, salt), "does not match");
    }

    @Test
    void revealAfterTheRevealWindowIsRefused() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        String d = digest("d");
        k.contribute(w, deal, 0, d);
        f.scheduler.close(deal, 0);
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 5);
        reverts("RevealDeadlinePassed", () -> k.reveal(w, deal, 0, d), deal.taskId(0), "reveal deadline");
    }

    // ---------------------------------------------------------------- finalize

    @Test
    void theSchedulerFinalizesOnceAllRevealedAndAnyoneAfterTheRevealWindow() {
        DealRecord deal = f.deal(2, 1);
        List<GridClient> ws = k.freshWorkers(3);
        String d = digest("d");
        f.scheduler.initialize(deal, 0);
        for (GridClient w : ws) k.contribute(w, deal, 0, d);
        f.scheduler.close(deal, 0);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 0 of 3 reveals");
        k.reveal(ws.get(0), deal, 0, d);
        k.reveal(ws.get(1), deal, 0, d);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 2 of 3 reveals",
                "wait for the others");
        reverts("NotScheduler", () -> ws.get(0).finalizeTask(deal, 0, null), "only the deal's scheduler");
        k.reveal(ws.get(2), deal, 0, d);
        f.scheduler.finalizeTask(deal, 0, null);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(d);
        assertThat(k.phase(deal, 0)).isEqualTo(DONE);
        reverts("WrongPhase", () -> f.scheduler.finalizeTask(deal, 0, null), "is done, not revealing");
        reverts("TaskAlreadyFinalized", () -> f.scheduler.initialize(deal, 0), "already finalized");

        // task 1: the scheduler never finalizes; a worker does once the reveal window is over
        f.scheduler.initialize(deal, 1);
        k.contribute(ws.get(0), deal, 1, d);
        f.scheduler.close(deal, 1);
        k.reveal(ws.get(0), deal, 1, d);
        reverts("NotScheduler", () -> f.requester.finalizeTask(deal, 1, null), "only the deal's scheduler");
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 1);
        f.requester.finalizeTask(deal, 1, null);
        assertThat(f.owner.resultDigest(deal.taskId(1))).isEqualTo(d);
        k.assertConserved();
    }

    @Test
    void withoutAnyRevealThereIsNoConsensusToFinalize() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        k.contribute(w, deal, 0, digest("d"));
        f.scheduler.close(deal, 0);
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 5);
        reverts("NoConsensusReached", () -> f.requester.finalizeTask(deal, 0, null), deal.taskId(0),
                "does not reach the deal's trust");
    }

    @Test
    void atTrustOneAMajorityIsNeededAndATieCertifiesNothing() {
        DealRecord deal = f.deal(2, 1);
        List<GridClient> ws = k.freshWorkers(3);
        String a = digest("a");
        String b = digest("b");
        // task 0: 1 against 1 fresh worker: weight 2 does not outweigh 2
        f.scheduler.initialize(deal, 0);
        k.contribute(ws.get(0), deal, 0, a);
        k.contribute(ws.get(1), deal, 0, b);
        f.scheduler.close(deal, 0);
        k.reveal(ws.get(0), deal, 0, a);
        k.reveal(ws.get(1), deal, 0, b);
        reverts("NoConsensusReached", () -> f.scheduler.finalizeTask(deal, 0, null), deal.taskId(0));
        // task 1: two agreeing fresh workers (weight 4) outweigh one (weight 2): the loser's stake is burned
        f.scheduler.initialize(deal, 1);
        k.contribute(ws.get(0), deal, 1, a);
        k.contribute(ws.get(1), deal, 1, a);
        k.contribute(ws.get(2), deal, 1, b);
        f.scheduler.close(deal, 1);
        for (GridClient w : ws) k.reveal(w, deal, 1, w == ws.get(2) ? b : a);
        BigInteger burned = f.burned();
        PoolStake loser = k.stake(ws.get(2));
        f.scheduler.finalizeTask(deal, 1, null);
        assertThat(f.owner.resultDigest(deal.taskId(1))).isEqualTo(a);
        assertThat(loser.bond().subtract(k.stake(ws.get(2)).bond())).isEqualTo(STAKE);
        assertThat(f.burned().subtract(burned)).as("the loser's stake goes to BURN").isEqualTo(STAKE);
        assertThat(k.stake(ws.get(0)).earned()).as("winners share the workers' part only").isEqualTo(big(49));
        k.assertConserved();
    }

    @Test
    void finalizeAfterTheRevealWindowSlashesTheSilentIntoBurn() {
        DealRecord deal = f.deal(1, 3);
        List<GridClient> ws = k.freshWorkers(3);
        k.reputation(List.of(ws.get(2), k.freshWorker()), 2); // the silent one has a score of 2 to lose
        f.scheduler.initialize(deal, 0);
        String d = digest("d");
        for (GridClient w : ws) k.contribute(w, deal, 0, d);
        f.scheduler.close(deal, 0);
        k.reveal(ws.get(0), deal, 0, d);
        k.reveal(ws.get(1), deal, 0, d);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 2 of 3 reveals");
        f.net.advanceTime(PocoKit.REVEAL_DURATION + 5);
        List<PoolStake> before = ws.stream().map(k::stake).toList();
        assertThat(before.get(2).score()).isEqualTo(2);
        Balance sched = k.bal(f.scheduler);
        BigInteger burned = f.burned();
        f.requester.finalizeTask(deal, 0, null);

        // 2 fresh revealers (4 * 3 > 5 * 2): each earns 99 / 2 = 49, the dust 1 goes to the scheduler
        for (int i = 0; i < 2; i++) {
            PoolStake a = k.stake(ws.get(i));
            assertThat(a.earned().subtract(before.get(i).earned())).isEqualTo(big(49));
            assertThat(a.bond()).isEqualTo(before.get(i).bond());
            assertThat(a.score()).isEqualTo(before.get(i).score() + 1);
        }
        PoolStake silent = k.stake(ws.get(2));
        assertThat(before.get(2).bond().subtract(silent.bond())).isEqualTo(STAKE);
        assertThat(silent.score()).isZero();
        assertThat(silent.earned()).isEqualTo(before.get(2).earned());
        assertThat(f.burned().subtract(burned)).isEqualTo(STAKE);
        Balance sched2 = k.bal(f.scheduler);
        assertThat(sched2.free().subtract(sched.free())).as("share 1 + dust 1 + its stake back, nothing seized")
                .isEqualTo(big(1 + 1 + 30));
        assertThat(sched.locked().subtract(sched2.locked())).isEqualTo(big(30));
        k.assertConserved();
    }

    @Test
    void finalizePaysWinnersIntoEarningsBurnsTheDissenterAndChargesTheRequester() {
        GridClient dissenter = k.freshWorker();
        List<GridClient> ws = k.freshWorkers(4);
        List<GridClient> everyone = new ArrayList<>(ws);
        everyone.add(dissenter);
        k.reputation(everyone, 1);
        assertThat(k.score(dissenter)).isEqualTo(1);
        // trust 1,000, every worker of score 1 (weight 12): the honest group reaches it with its fourth member
        assertThat(ConsensusRule.reached(big(1728), big(1740), big(1000))).isFalse();
        assertThat(ConsensusRule.reached(big(20736), big(20748), big(1000))).isTrue();
        DealRecord deal = f.deal(1, 1000);
        f.scheduler.initialize(deal, 0);
        String good = digest("good");
        String bad = digest("bad");
        PoolStake dBefore = k.stake(dissenter);
        List<PoolStake> before = ws.stream().map(k::stake).toList();
        List<Balance> freeBefore = ws.stream().map(k::bal).toList();
        Balance sBefore = k.bal(f.scheduler);
        Balance rBefore = k.bal(f.requester);
        Balance aBefore = k.bal(f.appOwner);
        BigInteger burned = f.burned();

        k.contribute(dissenter, deal, 0, bad);
        for (GridClient w : ws) k.contribute(w, deal, 0, good);
        f.scheduler.close(deal, 0);
        k.reveal(dissenter, deal, 0, bad);
        for (int i = 0; i < 3; i++) k.reveal(ws.get(i), deal, 0, good);
        reverts("RevealsPending", () -> f.scheduler.finalizeTask(deal, 0, null), "has 4 of 5 reveals");
        k.reveal(ws.get(3), deal, 0, good);
        var r = f.scheduler.finalizeTask(deal, 0, null);
        assertThat(io.gridchain.contracts.GridHubExtension.getTaskFinalizedEvents(r.receipt())).hasSize(1);

        // 4 winners share 99: 24 each, dust 3 to the scheduler
        for (int i = 0; i < 4; i++) {
            PoolStake a = k.stake(ws.get(i));
            assertThat(a.earned().subtract(before.get(i).earned())).isEqualTo(big(24));
            assertThat(a.bond()).isEqualTo(before.get(i).bond());
            assertThat(a.score()).as("winner on a replicated task").isEqualTo(before.get(i).score() + 1);
            assertThat(k.bal(ws.get(i))).as("paid into earnings, not the free balance").isEqualTo(freeBefore.get(i));
        }
        PoolStake dAfter = k.stake(dissenter);
        assertThat(dBefore.bond().subtract(dAfter.bond())).as("dissenter's stake seized").isEqualTo(STAKE);
        assertThat(dAfter.score()).as("dissenter's score reset").isZero();
        assertThat(f.burned().subtract(burned)).as("seized stake burned").isEqualTo(STAKE);
        Balance sAfter = k.bal(f.scheduler);
        assertThat(sAfter.free().subtract(sBefore.free())).as("1 % share + dust 3 + stake unlocked")
                .isEqualTo(big(1 + 3 + 30));
        assertThat(sAfter.score()).as("the pool owner's reputation: one certified task").isEqualTo(sBefore.score() + 1);
        Balance rAfter = k.bal(f.requester);
        assertThat(rBefore.locked().subtract(rAfter.locked())).isEqualTo(TASK_PRICE);
        assertThat(rAfter.free()).isEqualTo(rBefore.free());
        assertThat(k.bal(f.appOwner).free().subtract(aBefore.free())).isEqualTo(deal.deal().appPrice());
        k.assertConserved();

        // collecting moves the earnings to the free balance
        GridClient w = ws.get(0);
        BigInteger earned = k.stake(w).earned();
        w.collect(f.scheduler.address());
        assertThat(k.stake(w).earned()).isZero();
        assertThat(k.bal(w).free().subtract(freeBefore.get(0).free())).isEqualTo(earned);
        reverts("ZeroAmount", () -> w.collect(f.scheduler.address()), "positive");
        k.assertConserved();
    }

    @Test
    void aSingleWorkerTaskPaysWithoutReputation() {
        GridClient w = k.freshWorker();
        k.reputation(List.of(w, k.freshWorker()), 1);
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        String d = digest("solo");
        PoolStake before = k.stake(w);
        k.contribute(w, deal, 0, d);
        f.scheduler.close(deal, 0);
        k.reveal(w, deal, 0, d);
        f.scheduler.finalizeTask(deal, 0, null);
        PoolStake after = k.stake(w);
        assertThat(after.earned().subtract(before.earned())).isEqualTo(PocoKit.WORKERS_SHARE);
        assertThat(after.bond()).isEqualTo(before.bond());
        assertThat(after.score()).as("no replication, no reputation").isEqualTo(before.score());
        k.assertConserved();
    }

    @Test
    void finalizeAfterTheDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        String d = digest("d");
        k.contribute(w, deal, 0, d);
        f.scheduler.close(deal, 0);
        k.reveal(w, deal, 0, d);
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        reverts("DeadlinePassed", () -> f.scheduler.finalizeTask(deal, 0, null), "passed its deadline");
    }

    private static final BigInteger Fixture_DEPOSIT = io.gridchain.protocol.Fixture.DEPOSIT;
}
