package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.apps.ExampleApps;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.poco.ConsensusRule;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.scheduler.SchedulerService;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.worker.Sabotage;
import io.gridchain.worker.WorkerAgent;
import io.gridchain.worker.WorkerConfig;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A pool of 10 workers in which 3 (30 %) are colluding saboteurs: they lie on every task and all return
 * the same wrong result. One of them is a sleeper: it worked honestly through a first deal, building the
 * same reputation as the honest workers, before turning. 200 tasks at trust 10,000.
 */
class SabotageEndToEndTest {
    static final long TRUST = 10_000;
    static final int HONEST = 7;
    static final BigInteger STAKE_FUNDS = BigInteger.valueOf(1_000_000);
    static final String PARAMS = "1000";

    static LocalPool pool;
    static final List<Credentials> honest = new ArrayList<>();
    static Credentials sleeper;
    static Credentials loner;
    static final List<Credentials> fresh = new ArrayList<>();
    static final List<String> extra = new ArrayList<>();

    @BeforeAll
    static void start() {
        // the scheduler's policy: f <= 0.3 assumed, a fifth of the claims answered by a known-answer task,
        // blacklist, established after 10 verifications
        pool = new LocalPool(LocalPool.Setup.of(0).withScheduler(SchedulerService.Options.DEFAULT.withPolicy(
                new ReplicationPolicy(0.3, 0.2, 0.1, true, 10))));
        // the extra workers hold no ether: a funder bonds their stake in the pool for them
        GridClient funder = pool.net().client(2);
        funder.deposit(STAKE_FUNDS.multiply(BigInteger.valueOf(11)));
        for (int i = 0; i < 11; i++) {
            Credentials key = Credentials.create(Numeric.toHexStringWithPrefixZeroPadded(
                    BigInteger.valueOf(0x5ab0_7a9e_0000L + i), 64));
            funder.bondFor(pool.owner(), key.getAddress(), STAKE_FUNDS);
            extra.add(key.getAddress());
            if (i < HONEST) honest.add(key);
            else if (i == HONEST) sleeper = key;
            else if (i < 10) fresh.add(key);
            else loner = key;
        }
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.close();
    }

    @Test
    void colludingSaboteursAreOutvotedSlashedAndBlacklistedAndNoWrongResultIsCertified() throws Exception {
        // Trust 10,000 with fresh workers (weight 2 each) needs 14 agreeing results: within the contract's
        // per-task contributor limit, but more than this pool's 7 honest workers, and 17 against 3 fresh colluders.
        long freshNeeded = 1;
        while (!ConsensusRule.reached(ConsensusRule.groupWeight(new long[(int) freshNeeded]),
                ConsensusRule.groupWeight(new long[(int) freshNeeded]), BigInteger.valueOf(TRUST))) freshNeeded++;
        long maxContributors = pool.requester().extension().MAX_CONTRIBUTORS().send().longValueExact();
        assertThat(freshNeeded).isEqualTo(14).isLessThanOrEqualTo(maxContributors).isGreaterThan(HONEST);
        // So reputation is raised first, legitimately: a deal at trust 100 run by the honest workers and the
        // sleeper, honest for now (a fresh group of 7 reaches trust 100: 2^7 = 128).
        String app = pool.publish("primes");
        List<WorkerAgent> warmUp = new ArrayList<>();
        for (Credentials c : honest) warmUp.add(pool.startWorker(WorkerConfig.of(pool.schedulerUrl(), c)));
        warmUp.add(pool.startWorker(WorkerConfig.of(pool.schedulerUrl(), sleeper)));
        DealRecord first = pool.request(app, PARAMS, 30, 100);
        awaitFinalized(first, 30, Duration.ofMinutes(3));
        long sleeperScore = pool.stakeOf(sleeper.getAddress()).score();
        assertThat(sleeperScore).as("the sleeper's reputation").isGreaterThanOrEqualTo(10);
        warmUp.get(warmUp.size() - 1).close(); // the sleeper turns

        Map<String, PoolStake> before = new HashMap<>();
        for (String a : extra) before.put(a, pool.stakeOf(a));
        Sabotage colluding = new Sabotage(1.0, true, 0xC0FFEE, 0);
        // The deal comes first: a saboteur that joined an idle pool would be offered only known-answer checks, and
        // caught by one before it ever contributed to the deal (it would then keep its stake).
        DealRecord deal = pool.request(app, PARAMS, 200, TRUST);
        pool.startWorker(WorkerConfig.of(pool.schedulerUrl(), sleeper).withSabotage(colluding));
        for (Credentials c : fresh) {
            pool.startWorker(WorkerConfig.of(pool.schedulerUrl(), c).withSabotage(colluding));
        }
        awaitFinalized(deal, 200, Duration.ofMinutes(6));

        // No wrong result certified: every task's digest is that of an honest local run.
        for (long i = 0; i < 200; i++) {
            String taskId = deal.taskId(i);
            Path out = Files.createTempDirectory("honest").resolve("out");
            ExecutionResult run = pool.runtime().run(ExecutionRequest.of("primes", ExampleApps.load("primes"), out)
                    .withArgs(PARAMS).withSeed(Numeric.toBigInt(taskId).longValue()));
            assertThat(run.succeeded()).isTrue();
            assertThat(pool.requester().resultDigest(taskId)).as("task %d", i).isEqualTo(ResultDigest.of(out));
        }
        // The saboteurs lost stakes from their bonds (burned) and their reputation in the pool; the honest workers
        // were paid into their earnings in the pool.
        List<Credentials> saboteurs = new ArrayList<>(fresh);
        saboteurs.add(sleeper);
        // Each was caught by the pool (a lost consensus or a known-answer check) and blacklisted; one caught
        // by a check before any of its results was submitted keeps its stake, the others lost theirs.
        BigInteger seized = BigInteger.ZERO;
        for (Credentials c : saboteurs) {
            PoolStake was = before.get(c.getAddress());
            PoolStake after = pool.stakeOf(c.getAddress());
            assertThat(service().spotChecks(c.getAddress()).caught()).as("saboteur %s caught", c.getAddress()).isTrue();
            assertThat(after.earned()).as("saboteur %s never paid", c.getAddress()).isLessThanOrEqualTo(was.earned());
            assertThat(after.score()).isLessThanOrEqualTo(was.score());
            if (after.bond().compareTo(was.bond()) < 0) assertThat(after.score()).as("slashed to 0").isZero();
            seized = seized.add(was.bond().subtract(after.bond()));
        }
        assertThat(seized).as("stakes seized from the saboteurs").isPositive();
        for (Credentials c : honest) {
            PoolStake after = pool.stakeOf(c.getAddress());
            assertThat(after.earned()).as("honest %s paid", c.getAddress())
                    .isGreaterThan(before.get(c.getAddress()).earned());
            assertThat(after.score()).isGreaterThan(before.get(c.getAddress()).score());
        }
        assertThat(pool.conserved(extra)).as("tokens conserved").isTrue();
        for (Credentials c : honest) {
            assertThat(service().spotChecks(c.getAddress()).caught()).as("honest %s", c.getAddress()).isFalse();
        }
        assertThat(honest.stream().mapToLong(c -> service().spotChecks(c.getAddress()).passed()).sum())
                .as("known-answer checks passed by the honest workers").isPositive();

        // A lone liar on a deal at trust 1, where any single result is certified: only a known-answer check
        // (a replica of one of the 200 certified tasks) can catch it; then it is blacklisted.
        pool.startWorker(WorkerConfig.of(pool.schedulerUrl(), loner).withSabotage(new Sabotage(1.0, false, 7, 0)));
        DealRecord open = pool.request(app, PARAMS, 60, 1);
        awaitFinalized(open, 60, Duration.ofMinutes(3));
        LocalPool.await("a known-answer check catching the lone liar", Duration.ofMinutes(2),
                () -> service().spotChecks(loner.getAddress()).caught());
        assertThat(service().spotChecks(loner.getAddress()).passed()).isZero();
        assertThat(pool.conserved(extra)).as("tokens conserved").isTrue();
    }

    private static SchedulerService service() {
        return pool.scheduler().service();
    }

    private static void awaitFinalized(DealRecord deal, int volume, Duration timeout) {
        LocalPool.await(volume + " certified tasks", timeout, () -> {
            for (long i = volume - 1; i >= 0; i--) {
                if (pool.requester().taskStatus(deal.taskId(i)) != GridClient.TaskStatus.FINALIZED) return false;
            }
            return true;
        });
    }
}
