package io.gridchain.e2e.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * Issue 14, guarantee 3, played against a real scheduler and real workers: a worker asks for its bond back and
 * keeps working, hoping to contribute (and lie) on stake that will be gone before its results are settled. The
 * scheduler gives a leaving worker no work at all: every task of the deal is run and paid by the worker whose bond
 * stays, and the leaving worker's bond is untouched and still locked until its delay passes.
 */
class LeavingWorkerAttackTest {
    static LocalPool pool;

    @BeforeAll
    static void start() {
        pool = new LocalPool(LocalPool.Setup.of(0));
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.close();
    }

    @Test
    void aWorkerThatAskedForItsBondBackGetsNoWork() {
        Credentials leaving = pool.net().accounts().get(5);
        Credentials staying = pool.net().accounts().get(6);
        pool.net().protocol().as(leaving).requestUnbond(pool.owner());
        PoolStake leavingBefore = pool.stakeOf(leaving.getAddress());
        assertThat(leavingBefore.leaving()).isTrue();
        pool.startWorker(leaving);
        pool.startWorker(staying);

        DealRecord deal = pool.request(pool.publish("noop"), "", 6, 1);
        LocalPool.await("the deal certified", Duration.ofSeconds(60), () -> pool.certified(deal) == 6);

        PoolStake leavingAfter = pool.stakeOf(leaving.getAddress());
        assertThat(leavingAfter.earned()).as("the leaving worker ran nothing").isEqualTo(leavingBefore.earned());
        assertThat(leavingAfter.bond()).isEqualTo(leavingBefore.bond());
        assertThat(pool.stakeOf(staying.getAddress()).earned()).isGreaterThan(BigInteger.ZERO);
        assertThat(pool.conserved()).isTrue();
    }
}
