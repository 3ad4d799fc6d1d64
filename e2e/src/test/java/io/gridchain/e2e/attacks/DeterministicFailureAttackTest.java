package io.gridchain.e2e.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.poco.FailureDigest;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, guarantee 1: a requester asks for an app that fails wherever it runs (here primes with an argument it
 * refuses: exit code 2) and waits for the deadline, hoping the pool cannot certify a result and the claim refunds
 * it, so that the workers ran its app for nothing. The workers agree on the failure's digest and the pool
 * certifies it before the deadline: the claim reverts, the requester paid the price and the workers were paid.
 */
class DeterministicFailureAttackTest {
    /** A category of its own, 2 seconds long: the deadline (10 category times) is reached by moving time. */
    static final long CATEGORY_SECONDS = 2;

    static LocalPool pool;
    static long category;

    @BeforeAll
    static void start() {
        pool = new LocalPool(3);
        category = pool.category("attack", CATEGORY_SECONDS);
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.close();
    }

    @Test
    void aFailureEveryWorkerReproducesIsCertifiedSoTheRequesterPaysAndCannotClaim() throws Exception {
        List<String> workers = new ArrayList<>();
        for (int i = 5; i < 8; i++) workers.add(pool.net().accounts().get(i).getAddress());
        List<PoolStake> stakesBefore = workers.stream().map(pool::stakeOf).toList();
        Balance before = pool.requester().balance();

        // trust 5: three fresh workers (weight 2 each, 8 together) must agree
        DealRecord deal = pool.request(pool.publish("primes"), "not-a-number", 1, 5, category);
        String taskId = deal.taskId(0);
        LocalPool.await("the failure certified", Duration.ofSeconds(30),
                () -> pool.requester().taskStatus(taskId) == GridClient.TaskStatus.FINALIZED);

        assertThat(pool.requester().resultDigest(taskId)).isEqualTo(FailureDigest.of(false, "EXIT_NONZERO", 2));
        JsonNode view = new ObjectMapper().readTree(pool.get("/v1/tasks/" + taskId).body());
        assertThat(view.get("status").asText()).isEqualTo("FINALIZED");
        assertThat(view.get("cause").asText()).isEqualTo("EXIT_NONZERO");
        assertThat(view.get("message").asText()).isEqualTo("failed (certified by 3 workers): app exited with code 2");

        // the requester waits out the deadline and claims: too late, the task is certified
        pool.net().advanceTime(10 * CATEGORY_SECONDS + 1);
        assertThatThrownBy(() -> pool.requester().claim(deal, List.of(0L)))
                .isInstanceOfSatisfying(RevertException.class,
                        e -> assertThat(e.errorName()).isEqualTo("TaskAlreadyFinalized"));
        assertThat(pool.requester().taskStatus(taskId)).isEqualTo(GridClient.TaskStatus.FINALIZED);

        // it paid for the run it asked for, and got nothing back
        Balance after = pool.requester().balance();
        assertThat(after.free()).isEqualTo(before.free().subtract(BigInteger.valueOf(LocalPool.APP_PRICE
                + LocalPool.POOL_PRICE)));
        assertThat(after.locked()).isEqualTo(before.locked());
        // the workers who ran it were paid, into their earnings in the pool, and kept their bonds
        for (int i = 0; i < workers.size(); i++) {
            PoolStake now = pool.stakeOf(workers.get(i));
            assertThat(now.earned()).as("worker %s paid", workers.get(i)).isGreaterThan(stakesBefore.get(i).earned());
            assertThat(now.bond()).isEqualTo(stakesBefore.get(i).bond());
        }
        assertThat(pool.conserved()).as("tokens conserved").isTrue();
    }
}
