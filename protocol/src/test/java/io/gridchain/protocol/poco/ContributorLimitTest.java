package io.gridchain.protocol.poco;

import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContributorLimitTest extends FixtureTest {
    @Test
    void aTaskTakesAtMostMaxContributorsOnThePerWorkerPath() {
        PocoKit k = new PocoKit(f);
        long max = call(() -> f.owner.extension().MAX_CONTRIBUTORS().send()).longValueExact();
        assertThat(max).isEqualTo(32);
        // Votes are counted at reveal: contributions stay open (every worker commits its own answer) until closed.
        DealRecord deal = f.deal(1, 1L << 40);
        f.scheduler.initialize(deal, 0);
        List<GridClient> workers = k.freshWorkers((int) max + 1);
        for (int i = 0; i < max; i++) k.contribute(workers.get(i), deal, 0, PocoKit.digest("answer " + i));
        GridClient late = workers.get((int) max);
        assertRevert(() -> k.contribute(late, deal, 0, PocoKit.digest("late")), "TooManyContributors",
                "task " + deal.taskId(0) + " has the maximum number of contributors");
        assertThat(k.classicTask(deal.taskId(0)).workers).hasSize((int) max);
        assertThat(f.owner.contribution(deal.taskId(0), late.address()).seal).as("the refused worker committed nothing")
                .isEqualTo(new byte[32]);
        assertThat(f.stake(late).bond()).isEqualTo(PocoKit.BOND);
        k.assertConserved();
    }

    @Test
    void taskIdOfMatchesTheJavaDerivation() {
        DealRecord deal = f.deal(3, 1);
        for (long i = 0; i < 3; i++) {
            long index = i;
            byte[] onChain = call(() -> f.owner.hub().taskIdOf(Words.toBytes32(deal.dealId()), BigInteger.valueOf(index))
                    .send());
            assertThat(Words.hex(onChain)).isEqualTo(deal.taskId(i));
        }
    }
}
