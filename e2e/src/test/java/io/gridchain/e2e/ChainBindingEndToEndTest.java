package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduler's state is bound to its chain: started on chain A, then on a new anvil B (same chain id, same contract
 * addresses, as after a devnet restart) with the same data directory, it refuses in one line naming both genesis
 * hashes; allowed to discard its state, it starts fresh and certifies B's deals.
 */
class ChainBindingEndToEndTest {
    @TempDir Path data;

    @Test
    void aSchedulerRestartedOnANewChainRefusesOrStartsFreshAndCertifiesItsDeals() {
        String genesisA;
        String dealOnA;
        String addressesA;
        try (LocalPool a = new LocalPool(LocalPool.Setup.of(0).withoutScheduler())) {
            genesisA = genesis(a);
            addressesA = a.net().protocol().addresses().toString();
            try (Scheduler scheduler = start(a, false)) {
                a.useScheduler(scheduler.url());
                a.startWorker(a.net().accounts().get(5));
                DealRecord deal = a.request(a.publish("primes"), "1000", 1, 1);
                awaitCertified(a, deal);
                dealOnA = deal.taskId(0);
                assertThat(scheduler.service().task(dealOnA)).isPresent();
            }
        }
        try (LocalPool b = new LocalPool(LocalPool.Setup.of(0).withoutScheduler())) {
            assertThat(b.net().protocol().addresses().toString()).as("B looks like A").isEqualTo(addressesA);
            String genesisB = genesis(b);
            assertThatThrownBy(() -> start(b, false)).isInstanceOf(ChainBinding.MismatchException.class)
                    .hasMessageContaining("the scheduler's state in " + data.toAbsolutePath() + " belongs to chain ")
                    .hasMessageContaining("genesis " + genesisA)
                    .hasMessageContaining("is genesis " + genesisB)
                    .hasMessageEndingWith("start with another --data directory, or delete " + data.toAbsolutePath()
                            + " to start over")
                    .message().doesNotContain("\n");

            try (Scheduler scheduler = start(b, true)) {
                assertThat(scheduler.service().task(dealOnA)).as("A's deal is gone with A's state").isEmpty();
                b.useScheduler(scheduler.url());
                b.startWorker(b.net().accounts().get(5));
                DealRecord deal = b.request(b.publish("primes"), "1000", 1, 1);
                awaitCertified(b, deal);
            }
        }
    }

    private Scheduler start(LocalPool pool, boolean freshOnMismatch) {
        return Scheduler.start(Scheduler.Config.local(pool.net().rpcUrl(), pool.net().protocol().addresses(),
                pool.net().accounts().get(3), pool.workerpool(), data).withFreshOnMismatch(freshOnMismatch));
    }

    private static String genesis(LocalPool pool) {
        return ChainBinding.read(pool.net().chain(), pool.net().protocol().addresses().hub()).genesis();
    }

    private static void awaitCertified(LocalPool pool, DealRecord deal) {
        LocalPool.await("the certified task", Duration.ofSeconds(60),
                () -> pool.requester().taskStatus(deal.taskId(0)) == GridClient.TaskStatus.FINALIZED);
    }
}
