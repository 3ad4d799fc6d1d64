package io.gridchain.bench.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalPoolTest {
    /** The throughput bench runs 8 workers: the three beyond the dev accounts must be funded and bonded too. */
    @Test
    void workersBeyondTheDevAccountsAreBondedInThePool() {
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(6))) {
            assertThat(pool.freshWorkers()).hasSize(1);
            String fresh = pool.freshWorkers().get(0);
            assertThat(pool.stakeOf(fresh).bond()).isPositive();
            assertThat(pool.stakeOf(fresh).leaving()).isFalse();
            assertThat(pool.conserved()).isTrue();
        }
    }
}
