package io.gridchain.protocol.poco;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.poco.PocoKit.SCHEDULER_STAKE;
import static io.gridchain.protocol.poco.PocoKit.STAKE;
import static io.gridchain.protocol.poco.PocoKit.TASK_PRICE;
import static io.gridchain.protocol.poco.PocoKit.agree;
import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.digest;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refunds of tasks that missed their deal's deadline. */
class ClaimTest extends FixtureTest {
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    static void expire() {
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
    }

    @Test
    void anyoneClaimsANeverStartedTaskAfterTheDeadline() {
        assertThat(SCHEDULER_STAKE).isEqualTo(big(Fixture.POOL_PRICE * 30 / 100));
        DealRecord deal = f.deal(1, 1);
        assertThat(deal.deal().schedulerStake()).isEqualTo(SCHEDULER_STAKE);
        expire();
        Balance r = k.bal(f.requester);
        Balance s = k.bal(f.scheduler);
        Balance w = k.bal(f.workers.get(0));
        BigInteger burned = f.burned();
        TxResult tx = f.workers.get(0).claim(deal, List.of(0L));
        assertThat(GridHub.getTaskClaimedEvents(tx.receipt())).hasSize(1);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(io.gridchain.protocol.abi.Words.ZERO_BYTES32);
        Balance r2 = k.bal(f.requester);
        Balance s2 = k.bal(f.scheduler);
        assertThat(r.locked().subtract(r2.locked())).isEqualTo(TASK_PRICE);
        assertThat(r2.free().subtract(r.free())).as("the price refunded, nothing more").isEqualTo(TASK_PRICE);
        assertThat(s.locked().subtract(s2.locked())).isEqualTo(SCHEDULER_STAKE);
        assertThat(s2.free()).isEqualTo(s.free());
        assertThat(f.burned().subtract(burned)).as("the scheduler's stake is burned, paid to nobody")
                .isEqualTo(SCHEDULER_STAKE);
        assertThat(k.bal(f.workers.get(0))).as("the claimer gains nothing").isEqualTo(w);
        k.assertConserved();
    }

    @Test
    void claimBeforeTheDeadlineIsRefused() {
        DealRecord deal = f.deal(1, 1);
        reverts("DeadlineNotReached", () -> f.requester.claim(deal, List.of(0L)), "deal " + deal.dealId(),
                "cannot be claimed before its deadline", Long.toString(deal.deal().deadline()));
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void aTaskIsClaimedOnce() {
        DealRecord deal = f.deal(2, 1);
        expire();
        f.requester.claim(deal, List.of(0L));
        Balance r = k.bal(f.requester);
        reverts("TaskAlreadyClaimed", () -> f.requester.claim(deal, List.of(0L)), "task " + deal.taskId(0),
                "already claimed");
        // the same index twice in one claim
        reverts("TaskAlreadyClaimed", () -> f.workers.get(1).claim(deal, List.of(1L, 1L)), deal.taskId(1));
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.UNSET);
        assertThat(k.bal(f.requester)).isEqualTo(r);
        k.assertConserved();
    }

    @Test
    void aFinalizedTaskCannotBeClaimedButTheRestOfTheBagCan() {
        DealRecord deal = f.deal(3, 1);
        List<GridClient> ws = k.freshWorkers(1);
        k.finalize(deal, agree(deal, 1, ws, digest("d")));
        expire();
        reverts("TaskAlreadyFinalized", () -> f.requester.claim(deal, List.of(1L)), "task " + deal.taskId(1),
                "already finalized");
        reverts("TaskAlreadyFinalized", () -> f.requester.claim(deal, List.of(0L, 1L, 2L)), deal.taskId(1));
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
        Balance r = k.bal(f.requester);
        Balance s = k.bal(f.scheduler);
        f.requester.claim(deal, List.of(0L, 2L));
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.taskStatus(deal.taskId(2))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        assertThat(k.bal(f.requester).free().subtract(r.free())).isEqualTo(TASK_PRICE.multiply(big(2)));
        assertThat(r.locked().subtract(k.bal(f.requester).locked())).isEqualTo(TASK_PRICE.multiply(big(2)));
        assertThat(s.locked().subtract(k.bal(f.scheduler).locked())).isEqualTo(SCHEDULER_STAKE.multiply(big(2)));
        // once the deal is settled, the requester's and scheduler's locks for it are gone
        k.assertConserved();
    }

    @Test
    void claimingSeveralTasksAtOnce() {
        DealRecord deal = f.deal(5, 1);
        expire();
        Balance r = k.bal(f.requester);
        Balance s = k.bal(f.scheduler);
        TxResult tx = f.workers.get(2).claim(deal, List.of(4L, 0L, 2L));
        assertThat(GridHub.getTaskClaimedEvents(tx.receipt())).hasSize(3);
        for (long i : new long[] {0, 2, 4}) {
            assertThat(f.owner.taskStatus(deal.taskId(i))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        }
        assertThat(f.owner.taskStatus(deal.taskId(1))).isEqualTo(GridClient.TaskStatus.UNSET);
        assertThat(k.bal(f.requester).free().subtract(r.free())).isEqualTo(TASK_PRICE.multiply(big(3)));
        assertThat(s.locked().subtract(k.bal(f.scheduler).locked())).isEqualTo(SCHEDULER_STAKE.multiply(big(3)));
        f.workers.get(2).claim(deal, List.of(1L, 3L));
        assertThat(f.owner.taskStatus(deal.taskId(3))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        assertThat(r.locked().subtract(k.bal(f.requester).locked())).isEqualTo(TASK_PRICE.multiply(big(5)));
        reverts("TaskIndexOutOfRange", () -> f.workers.get(2).claim(deal, List.of(5L)), "task index 5 is out of range");
        k.assertConserved();
    }

    @Test
    void claimingAClassicTaskInProgressSlashesTheContributorsWhoNeverRevealed() {
        DealRecord deal = f.deal(2, 5);
        f.scheduler.initialize(deal, 0);
        List<GridClient> ws = k.freshWorkers(2);
        k.reputation(ws, 1);
        for (GridClient w : ws) k.contribute(w, deal, 0, digest("d"));
        List<io.gridchain.protocol.PoolStake> before = ws.stream().map(k::stake).toList();
        assertThat(k.phase(deal, 0)).isEqualTo(PocoKit.ACTIVE);
        expire();
        Balance r = k.bal(f.requester);
        BigInteger burned = f.burned();
        ws.get(0).claim(deal, List.of(0L, 1L));
        for (int i = 0; i < 2; i++) {
            var after = k.stake(ws.get(i));
            assertThat(before.get(i).bond().subtract(after.bond())).as("a silent contributor loses its stake")
                    .isEqualTo(STAKE);
            assertThat(after.score()).as("and its score in the pool").isZero();
            assertThat(after.earned()).isEqualTo(before.get(i).earned());
        }
        assertThat(f.burned().subtract(burned)).as("2 workers' stakes and 2 tasks' scheduler stakes, burned")
                .isEqualTo(STAKE.multiply(big(2)).add(SCHEDULER_STAKE.multiply(big(2))));
        assertThat(k.phase(deal, 0)).isEqualTo(PocoKit.DONE);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        assertThat(k.bal(f.requester).free().subtract(r.free())).isEqualTo(TASK_PRICE.multiply(big(2)));
        reverts("TaskAlreadyClaimed", () -> f.requester.claim(deal, List.of(0L)), "already claimed");
        k.assertConserved();
    }

    @Test
    void claimingAClassicTaskStuckInRevealSparesTheRevealers() {
        DealRecord deal = f.deal(1, 1);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        GridClient silent = k.freshWorker();
        String d = digest("d");
        k.contribute(w, deal, 0, d);
        k.contribute(silent, deal, 0, d);
        f.scheduler.close(deal, 0);
        k.reveal(w, deal, 0, d);
        var before = k.stake(w);
        var silentBefore = k.stake(silent);
        Balance free = k.bal(w);
        expire();
        reverts("DeadlinePassed", () -> f.scheduler.finalizeTask(deal, 0, null), "passed its deadline");
        f.requester.claim(deal, List.of(0L));
        assertThat(k.stake(w)).as("an honest revealer loses nothing").isEqualTo(before);
        assertThat(k.bal(w)).isEqualTo(free);
        assertThat(silentBefore.bond().subtract(k.stake(silent).bond())).isEqualTo(STAKE);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        k.assertConserved();
    }

    @Test
    void aClaimCostsThePoolOwnerTenPointsOfReputation() {
        List<GridClient> ws = k.freshWorkers(1);
        DealRecord earn = f.deal(12, 1);
        Batch b = new Batch();
        for (long i = 0; i < 12; i++) {
            String d = digest("e");
            b.add(i, earn.taskId(i), List.of(new Batch.Vote(ws.get(0).address(), d)), d, null);
        }
        long s0 = k.poolScore();
        k.finalize(earn, b);
        assertThat(k.poolScore()).as("+1 per certified task with a price and a stake").isEqualTo(s0 + 12);
        DealRecord missed = f.deal(3, 1);
        expire();
        assertThat(s0 + 2).as("starts low enough to reach the floor").isLessThan(20);
        f.requester.claim(missed, List.of(0L));
        assertThat(k.poolScore()).as("-10 per refunded task").isEqualTo(s0 + 2);
        f.requester.claim(missed, List.of(1L, 2L));
        assertThat(k.poolScore()).as("-10 per refunded task, never below zero").isEqualTo(Math.max(0, s0 + 2 - 20));
        k.assertConserved();
    }

    @Test
    void aClaimedTaskCannotBeFinalizedOrInitialized() {
        DealRecord deal = f.deal(1, 1);
        expire();
        f.requester.claim(deal, List.of(0L));
        // after the deadline, the deadline check comes first
        reverts("DeadlinePassed", () -> k.finalize(deal, agree(deal, 0, k.freshWorkers(1), digest("d"))),
                "passed its deadline");
        reverts("DeadlinePassed", () -> f.scheduler.initialize(deal, 0), "passed its deadline");
    }

    @Test
    void claimOfAnUnknownDealIsRefused() {
        DealRecord deal = f.deal(1, 1);
        expire();
        reverts("UnknownDeal", () -> f.requester.claim(PocoKit.tampered(deal), List.of(0L)), "unknown");
        reverts("UnknownDeal", () -> f.requester.claim(PocoKit.unknownId(deal), List.of(0L)), "unknown");
    }

    @Test
    void claimsOfSeveralDealsConserveTokens() {
        DealRecord a = f.deal(3, 1);
        DealRecord b = f.deal(2, 2);
        k.finalize(a, agree(a, 0, k.freshWorkers(2), digest("a0")));
        f.scheduler.initialize(b, 1);
        k.contribute(k.freshWorker(), b, 1, digest("b1"));
        expire();
        f.owner.claim(a, List.of(1L, 2L));
        f.owner.claim(b, List.of(1L, 0L));
        k.assertConserved();
    }
}
