package io.gridchain.protocol.poco;

import static io.gridchain.protocol.poco.PocoKit.STAKE;
import static io.gridchain.protocol.poco.PocoKit.agree;
import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.digest;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reputation: per pool for workers, counted only while bonded stakes back it and only on deals with a price and a
 * stake; the pool owner's own reputation; and the majority a winner needs even at trust 1.
 */
class ReputationTest extends FixtureTest {
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    @Test
    void theEffectiveScoreIsCappedByTheStakesTheBondBacks() {
        assertThat(ConsensusRule.effectiveScore(5, big(60), STAKE)).isEqualTo(2);
        assertThat(ConsensusRule.effectiveScore(5, big(150), STAKE)).isEqualTo(5);
        assertThat(ConsensusRule.effectiveScore(5, big(1_000_000), BigInteger.ZERO)).isZero();
        // at trust 1,000 two workers of score 2 (22 * 22 = 484) fail and two of score 5 (52 * 52 = 2,704) pass
        assertThat(ConsensusRule.reached(ConsensusRule.groupWeight(2, 2), ConsensusRule.groupWeight(2, 2), big(1000)))
                .isFalse();
        assertThat(ConsensusRule.reached(ConsensusRule.groupWeight(5, 5), ConsensusRule.groupWeight(5, 5), big(1000)))
                .isTrue();
        List<GridClient> pair = List.of(k.freshWorker(BigInteger.ZERO, big(150), true),
                k.freshWorker(BigInteger.ZERO, big(150), true));
        k.reputation(pair, 5);
        assertThat(pair.stream().map(k::score).toList()).containsExactly(5L, 5L);
        for (GridClient w : pair) w.requestUnbond(f.scheduler.address());
        f.net.advanceTime(PocoKit.UNBOND_DELAY);
        for (GridClient w : pair) w.unbond(f.scheduler.address(), big(90));
        assertThat(pair.stream().map(w -> k.stake(w).bond()).toList()).containsExactly(big(60), big(60));

        DealRecord deal = f.deal(1, 1000);
        String d = digest("d");
        reverts("NoConsensus", () -> k.finalize(deal, agree(deal, 0, pair, d)), "does not reach the deal's trust");
        assertThat(pair.stream().map(k::score).toList()).as("the score itself is kept").containsExactly(5L, 5L);
        for (GridClient w : pair) w.bond(f.scheduler.address(), big(90));
        k.finalize(deal, agree(deal, 0, pair, d));
        assertThat(pair.stream().map(k::score).toList()).containsExactly(6L, 6L);
        k.assertConserved();
    }

    @Test
    void aWorkersScoreIsPerPool() {
        List<GridClient> pair = k.freshWorkers(2);
        k.reputation(pair, 3);
        assertThat(k.score(pair.get(0))).isEqualTo(3);
        assertThat(f.owner.stakeOf(f.requester.address(), pair.get(0).address()).score())
                .as("no reputation in another pool").isZero();
        assertThat(k.bal(pair.get(0)).score()).as("nor as a pool owner").isZero();
    }

    @Test
    void dealsWithoutAPriceOrWithoutAStakeRaiseNoScore() {
        List<GridClient> pair = k.freshWorkers(2);
        k.reputation(pair, 2);
        long ownerScore = k.poolScore();

        // a free deal: no price, so no stake (30 % of nothing) and nothing at risk
        DealRecord free = f.match(f.appOrder(1), DatasetOrder.NONE, WorkerpoolOrder.of(f.pool, 0, 1, 0, 1),
                f.request(1, 1));
        assertThat(free.deal().workerpoolPrice()).isZero();
        assertThat(free.deal().workerStake()).isZero();
        k.finalize(free, agree(free, 0, pair, digest("free")));
        assertThat(pair.stream().map(k::score).toList()).containsExactly(2L, 2L);
        assertThat(k.poolScore()).isEqualTo(ownerScore);

        // a paid deal of a pool staking nothing
        String unstaked = f.scheduler.createWorkerpool("no stakes");
        f.scheduler.setWorkerpoolPolicy(unstaked, 0, 1);
        DealRecord paid = f.match(f.appOrder(1), DatasetOrder.NONE,
                WorkerpoolOrder.of(unstaked, Fixture.POOL_PRICE, 1, 0, 1),
                f.request(1, 1).withWorkerpool(unstaked));
        assertThat(paid.deal().workerStake()).isZero();
        assertThat(paid.deal().workerpoolPrice()).isPositive();
        k.finalize(paid, agree(paid, 0, pair, digest("paid")));
        assertThat(pair.stream().map(k::score).toList()).containsExactly(2L, 2L);
        assertThat(k.poolScore()).isEqualTo(ownerScore);
        assertThat(k.stake(pair.get(0)).earned()).isPositive();

        // and on a deal staking nothing the score weighs nothing: two workers of score 2 count as fresh ones
        DealRecord strict = f.match(f.appOrder(1), DatasetOrder.NONE,
                WorkerpoolOrder.of(unstaked, Fixture.POOL_PRICE, 1, 0, 5), f.request(1, 5).withWorkerpool(unstaked));
        reverts("NoConsensus", () -> k.finalize(strict, agree(strict, 0, pair, digest("s"))), "does not reach");
        k.assertConserved();
    }

    @Test
    void thePoolOwnersScoreRisesWithEachCertifiedTask() {
        long before = k.poolScore();
        DealRecord deal = f.deal(3, 1);
        List<GridClient> ws = k.freshWorkers(1);
        Batch b = new Batch();
        for (long i = 0; i < 3; i++) {
            String d = digest("t");
            b.add(i, deal.taskId(i), List.of(new Batch.Vote(ws.get(0).address(), d)), d, null);
        }
        k.finalize(deal, b);
        assertThat(k.poolScore()).isEqualTo(before + 3);
        assertThat(k.score(ws.get(0))).as("a lone worker's wins are not replicated").isZero();
    }

    @Test
    void atTrustOneALoneSybilCannotOutvoteAnHonestWorker() {
        GridClient honest = k.freshWorker();
        GridClient sybil = k.freshWorker();
        DealRecord deal = f.deal(1, 1);
        String truth = digest("truth");
        String lie = digest("lie");
        PoolStake before = k.stake(honest);
        // the scheduler lists its own key's lie as the winner: 2 against 2 is no majority
        Batch b = PocoKit.batch(deal, 0, List.of(honest, sybil), List.of(truth, lie), lie);
        reverts("NoConsensus", () -> k.finalize(deal, b), "does not reach");
        // nor may it list the truth as a loser in a batch of its own
        Batch reversed = PocoKit.batch(deal, 0, List.of(sybil, honest), List.of(lie, truth), lie);
        reverts("NoConsensus", () -> k.finalize(deal, reversed), "does not reach");
        assertThat(k.stake(honest)).as("the honest worker loses nothing").isEqualTo(before);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(io.gridchain.protocol.GridClient.TaskStatus.UNSET);
        // with a real majority the minority loses its stake, burned
        GridClient second = k.freshWorker();
        BigInteger burned = f.burned();
        k.finalize(deal, PocoKit.batch(deal, 0, List.of(honest, second, sybil), List.of(truth, truth, lie), truth));
        assertThat(f.burned().subtract(burned)).isEqualTo(STAKE);
        assertThat(k.stake(honest).bond()).isEqualTo(before.bond());
        k.assertConserved();
    }
}
