package io.gridchain.protocol.attacks;

import static io.gridchain.protocol.attacks.AttackKit.STAKE;
import static io.gridchain.protocol.attacks.AttackKit.UNBOND_DELAY;
import static io.gridchain.protocol.attacks.AttackKit.big;
import static io.gridchain.protocol.attacks.AttackKit.digest;
import static io.gridchain.protocol.attacks.AttackKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.poco.Batch;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: every contribution is backed by a stake that is still there when the contribution is settled. A
 * worker's stake lives in a bond in the pool, which leaves only {@code UNBOND_DELAY} (11 days, longer than any
 * deadline) after it asks; a bond backs one stake per contribution of a batch, and only in its own pool.
 */
class BondedStakeAttackTest extends AttackTest {

    /** One task where {@code honest} agree on the truth and {@code liar} votes something else. */
    static Batch liarOutvoted(DealRecord deal, List<GridClient> honest, GridClient liar) {
        String truth = digest("truth");
        Map<GridClient, String> votes = new LinkedHashMap<>();
        for (GridClient h : honest) votes.put(h, truth);
        votes.put(liar, digest("lie"));
        return AttackKit.task(new Batch(), deal, 0, votes, truth);
    }

    @Test
    void aLiarCannotTakeItsStakeOutBeforeItsBatchLands() {
        AttackKit.Parties p = k.parties();
        GridClient scheduler = p.scheduler();
        List<GridClient> honest = List.of(k.worker(scheduler, 1_000), k.worker(scheduler, 1_000));
        GridClient liar = k.worker(scheduler, STAKE.longValueExact());
        BigInteger liarBefore = k.everything(liar);
        BigInteger burnedBefore = k.burned();
        DealRecord deal = k.deal(p, 1, 1);

        // The liar has sent its lie to the scheduler and knows it will lose: it tries to leave first.
        liar.requestUnbond(scheduler.address());
        reverts("BondStillLocked", () -> liar.unbond(scheduler.address(), STAKE));
        k.advance(2_000); // still before the deal's deadline, long before the bond may leave
        reverts("BondStillLocked", () -> liar.unbond(scheduler.address(), STAKE));

        k.finalize(scheduler, deal, liarOutvoted(deal, honest, liar));
        PoolStake after = k.stake(scheduler, liar);
        assertThat(after.bond()).as("the liar's stake was seized").isZero();
        assertThat(after.score()).isZero();
        assertThat(after.earned()).isZero();
        assertThat(k.burned()).isEqualTo(burnedBefore.add(STAKE));

        // Once the delay is over there is nothing left to take out.
        k.advance(UNBOND_DELAY);
        reverts("InsufficientBond", () -> liar.unbond(scheduler.address(), STAKE));
        assertThat(k.everything(liar)).isEqualTo(liarBefore.subtract(STAKE));
        for (GridClient h : honest) assertThat(k.stake(scheduler, h).earned()).isEqualTo(big(49));
        k.assertConserved();
    }

    /**
     * Found by this suite on f51ec1e: a worker that asked for its bond back more than {@code UNBOND_DELAY} ago
     * could still be listed, take its bond out once it saw it lost, and make the batch revert with its penalty.
     * Now a batch refuses any worker whose bond may leave before the deal's deadline (BondLeavesBeforeDeadline),
     * whether or not it already left: a contribution counts only if the bond behind it is there until the
     * deadline. The liar's vote never counts; the scheduler's admission never lists a leaving worker.
     */
    @Test
    void aLeavingWorkersContributionNeverCounts() {
        AttackKit.Parties p = k.parties();
        GridClient scheduler = p.scheduler();
        List<GridClient> honest = List.of(k.worker(scheduler, 1_000), k.worker(scheduler, 1_000));
        GridClient liar = k.worker(scheduler, STAKE.longValueExact());
        liar.requestUnbond(scheduler.address());
        k.advance(UNBOND_DELAY + 1);

        DealRecord deal = k.deal(p, 1, 1);
        Batch batch = liarOutvoted(deal, honest, liar);
        List<byte[]> signatures = k.signatures(batch); // the liar signed its lie and sent it to the scheduler
        reverts("BondLeavesBeforeDeadline", () -> scheduler.finalizeBatch(deal, batch, signatures));
        liar.unbond(scheduler.address(), STAKE);
        reverts("InsufficientStake", () -> scheduler.finalizeBatch(deal, batch, signatures));
        assertThat(k.funder.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void aBondForOneStakeCannotBackTwoContributionsOfOneBatch() {
        AttackKit.Parties p = k.parties();
        GridClient scheduler = p.scheduler();
        GridClient peer = k.worker(scheduler, 1_000);
        GridClient thin = k.worker(scheduler, STAKE.longValueExact());
        PoolStake thinBefore = k.stake(scheduler, thin);
        DealRecord deal = k.deal(p, 2, 1);
        Batch batch = new Batch();
        AttackKit.agree(batch, deal, 0, List.of(peer, thin), digest("a"));
        AttackKit.agree(batch, deal, 1, List.of(peer, thin), digest("b"));

        RevertException e = reverts("InsufficientStake", () -> k.finalize(scheduler, deal, batch));
        assertThat(e.getMessage()).contains("60").contains("30");
        assertThat(k.stake(scheduler, thin)).isEqualTo(thinBefore);
        assertThat(k.funder.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
        k.assertConserved();
    }

    @Test
    void aBondInOnePoolBacksNothingInAnother() {
        AttackKit.Parties a = k.parties();
        AttackKit.Parties b = k.parties();
        GridClient worker = k.worker(a.scheduler(), 1_000); // rich in pool A, nothing in pool B
        GridClient peer = k.worker(b.scheduler(), 1_000);
        DealRecord deal = k.deal(b, 1, 1);

        RevertException e = reverts("InsufficientStake",
                () -> k.finalize(b.scheduler(), deal, AttackKit.agree(new Batch(), deal, 0, List.of(worker, peer),
                        digest("x"))));
        assertThat(e.getMessage()).containsIgnoringCase(worker.address().substring(2));
        assertThat(k.stake(a.scheduler(), worker).bond()).isEqualTo(big(1_000));
        assertThat(k.stake(b.scheduler(), worker)).isEqualTo(PoolStake.NONE);
        k.assertConserved();
    }

    /**
     * Found by this suite on f51ec1e, now refused: {@code bondFor(scheduler, worker, amount)} may be called by anyone and resets the
     * worker's {@code unbondAt}. A stranger who pays one token every 11 days (the token goes to the victim's bond)
     * keeps any worker's bond locked for ever. Only the bond's owner should be able to cancel its own request
     * (or a third party's bond should leave the request pending).
     */
    @Test
    void aStrangerCannotKeepAWorkersBondLocked() {
        AttackKit.Parties p = k.parties();
        GridClient worker = k.worker(p.scheduler(), 1_000);
        worker.requestUnbond(p.scheduler().address());
        GridClient stranger = k.actor();
        stranger.bondFor(p.scheduler().address(), worker.address(), BigInteger.ONE);
        k.advance(UNBOND_DELAY + 1);
        RevertException refused = null;
        try {
            worker.unbond(p.scheduler().address(), big(1_000));
        } catch (RevertException e) {
            refused = e; // BondStillLocked(scheduler, worker, 0): the stranger's bond cancelled the request
        }
        assertThat(refused).as("the worker's bond leaves after the delay, whatever a stranger bonds for it").isNull();
        assertThat(k.stake(p.scheduler(), worker).bond()).isEqualTo(BigInteger.ONE);
    }
}
