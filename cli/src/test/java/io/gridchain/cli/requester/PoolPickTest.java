package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.UserError;
import io.gridchain.market.ChainView;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/**
 * run's pool pick against a real book and chain: two free pools of an owner bonded 1 list before the honest one.
 * An answer full of pools below the minimums makes the pick ask the book again for only those meeting them.
 */
class PoolPickTest {
    static LocalPool pool;
    static Market market;
    static String app;
    static String sybil1;
    static String sybil2;

    @BeforeAll
    static void start() {
        pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler());
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        app = pool.publish("primes");
        publish(pool.appOrder(app), pool.appOwner());
        publish(pool.poolOrder(), pool.schedulerOwner());
        GridClient attacker = pool.net().client(2);
        attacker.deposit(BigInteger.TEN);
        attacker.bond(attacker.address(), BigInteger.ONE);
        sybil1 = Words.canonical(attacker.createWorkerpool("s1"));
        sybil2 = Words.canonical(attacker.createWorkerpool("s2"));
        publish(WorkerpoolOrder.of(sybil1, 0, 1_000, 0, 1_000_000), attacker);
        publish(WorkerpoolOrder.of(sybil2, 1, 1_000, 0, 1_000_000), attacker);
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (pool != null) pool.close();
    }

    static void publish(Order order, GridClient signer) {
        market.book().publish(order, Numeric.toHexString(signer.sign(order)));
    }

    String best() {
        return market.url() + "/v1/best?app=" + app + "&requester=" + pool.requester().address() + "&trust=1";
    }

    PoolChoice.Minimums defaults() {
        return new PoolChoice.Minimums(PoolPick.DEFAULT_MIN_BOND, 0, Set.of());
    }

    @Test
    void anAnswerOfOnlyCheapSybilsIsLookedPastForAPoolMeetingTheMinimums() {
        PoolPick.Picked p = new PoolPick(new ChainView(pool.net().protocol()), 2).pick(best(), defaults(), "none");
        assertThat(p.pool()).isEqualTo(Words.canonical(pool.workerpool()));
        assertThat(p.facts().owner()).isEqualTo(Words.canonical(pool.schedulerOwner().address()));
        assertThat(p.reason()).contains("\"local pool\"").endsWith("; passed over the 2 cheapest pools, all below "
                + "your minimums");
    }

    @Test
    void withRoomForEveryPoolTheSybilsAreNamedWithTheirBond() {
        PoolPick.Picked p = new PoolPick(new ChainView(pool.net().protocol())).pick(best(), defaults(), "none");
        assertThat(p.pool()).isEqualTo(Words.canonical(pool.workerpool()));
        assertThat(p.reason()).contains("passed over 2 cheaper: " + sybil1 + " bond 1 < 1,000; " + sybil2
                + " bond 1 < 1,000");
    }

    @Test
    void whenNoPoolMeetsTheMinimumsEvenPastTheFloodTheRefusalNamesTheCheapest() {
        var min = new PoolChoice.Minimums(BigInteger.TEN.pow(30), 0, Set.of());
        assertThatThrownBy(() -> new PoolPick(new ChainView(pool.net().protocol()), 2).pick(best(), min, "none"))
                .isInstanceOf(UserError.class).hasMessageStartingWith("no pool meets your minimum")
                .hasMessageContaining(sybil1 + " bond 1 < ").hasMessageContaining("lower --min-pool-bond");
    }
}
