package io.gridchain.e2e.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.e2e.multihost.HostProcesses.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults on the multi-host network: kill -9 of a worker, of the scheduler and of the order book at a moment of a
 * replicate's life read from the processes' logs, a worker restarted without its local state, and network cuts
 * ({@link ReorgAcrossHostsTest} adds a chain reorganisation). Every run ends with every task certified once, charged once, paid at most once, its
 * result downloaded and matching the chain, and tokens conserved; each test prints how long recovery took.
 *
 * <p>The moment and the extra delay after it are drawn from a seed printed at the start: {@code
 * -Dmultihost.seed=N} replays a run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsTest {
    private static final String ARGS = "2000000"; // a replicate runs long enough to be killed in the middle of it
    private static final long VOLUME = 4;
    private static final long TRUST = 5;
    private static final Duration CUT = Duration.ofSeconds(8); // longer than a lost worker's 3 heartbeats (6 s)

    /** A moment of a replicate's life, as a worker's or the scheduler's log shows it. */
    enum Moment {
        BEFORE_RUN(true, "task(s) of app"),       // the scheduler saw the deal: nothing ran yet
        DURING_RUN(false, "app gridchain:apps/"), // a worker fetched the app: its run starts
        AFTER_RUN(false, "-> ExecutionResult"),   // a run ended, before its commit
        AFTER_COMMIT(false, "committed digest"),  // a contribution committed, not yet signed in a batch
        AFTER_BATCH_SIGNATURE(false, "signed batch"); // a batch signed, maybe not yet on-chain

        final boolean schedulerLog;
        final String line;

        Moment(boolean schedulerLog, String line) {
            this.schedulerLog = schedulerLog;
            this.line = line;
        }
    }

    enum Victim { WORKER, SCHEDULER, MARKET }

    private final long seed = Long.getLong("multihost.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private Lab lab;
    private Ledger ledger;

    @BeforeAll
    void network() {
        System.out.println("[multihost] faults seed " + seed + " (replay with -Dmultihost.seed=" + seed + ")");
        lab = Lab.start("faults-" + ProcessHandle.current().pid(), 3);
        ledger = new Ledger(lab);
    }

    @AfterAll
    void down() {
        if (lab != null) lab.close();
    }

    @ParameterizedTest
    @EnumSource(Victim.class)
    void aProcessKilledAtARandomMomentIsRestartedAndEveryTaskIsCertifiedOnce(Victim victim) throws Exception {
        Moment moment = Moment.values()[random.nextInt(Moment.values().length)];
        long delay = random.nextInt(300);
        System.out.printf("[multihost] kill -9 of the %s at %s + %d ms%n", victim, moment, delay);
        Started started = startAt(moment, delay);
        long killed = System.nanoTime();
        switch (victim) {
            case WORKER -> {
                HostProcesses.kill(lab.workers[started.worker()]);
                lab.startWorker(started.worker());
            }
            case SCHEDULER -> {
                HostProcesses.kill(lab.scheduler);
                lab.startScheduler();
            }
            case MARKET -> {
                HostProcesses.kill(lab.market);
                lab.startMarket();
            }
        }
        Ledger.Run done = finish(started.run());
        recovered(victim + " killed at " + moment, killed);
        ledger.assertDelivered(done, VOLUME);
        if (victim == Victim.MARKET) {
            // the restarted book still holds the owners' orders: a new deal matches from it
            ledger.assertDelivered(finish(lab.run("1000", 1, TRUST)), 1);
        }
    }

    @Test
    void aWorkerRestartedWithTheSameKeyAfterLosingItsStateRejoinsAndNothingIsPaidTwice() throws Exception {
        Moment moment = List.of(Moment.DURING_RUN, Moment.AFTER_COMMIT, Moment.AFTER_BATCH_SIGNATURE)
                .get(random.nextInt(3));
        System.out.printf("[multihost] a worker loses its state at %s%n", moment);
        Started started = startAt(moment, 0);
        long killed = System.nanoTime();
        int w = started.worker();
        HostProcesses.kill(lab.workers[w]);
        delete(lab.workerCache(w));
        lab.startWorker(w);
        Ledger.Run done = finish(started.run());
        recovered("worker restarted without its state at " + moment, killed);
        ledger.assertDelivered(done, VOLUME);
    }

    @Test
    void aWorkerCutOffLongerThanItsHeartbeatsIsReplacedAndRejoins() throws Exception {
        Started started = startAt(Moment.DURING_RUN, random.nextInt(300));
        long cut = System.nanoTime();
        Netns.Host host = lab.workerHosts.get(started.worker());
        lab.net.linkDown(host);
        HostProcesses.sleep(CUT.toMillis());
        lab.net.linkUp(host);
        Ledger.Run done = finish(started.run());
        recovered("worker cut off for " + CUT.toSeconds() + " s", cut);
        ledger.assertDelivered(done, VOLUME);
    }

    @Test
    void theSchedulerCutOffLongerThanAHeartbeatResumesWhenItsLinkReturns() throws Exception {
        Started started = startAt(Moment.DURING_RUN, random.nextInt(300));
        long cut = System.nanoTime();
        lab.net.linkDown(lab.schedulerHost);
        HostProcesses.sleep(CUT.toMillis());
        lab.net.linkUp(lab.schedulerHost);
        Ledger.Run done = finish(started.run());
        recovered("scheduler cut off for " + CUT.toSeconds() + " s", cut);
        ledger.assertDelivered(done, VOLUME);
    }

    /** A run under way and the worker whose log showed the moment (0 when the scheduler's log did). */
    private record Started(Proc run, int worker) {}

    /** Starts a run and returns once {@code moment} is seen in the logs, plus {@code delayMillis}. */
    private Started startAt(Moment moment, long delayMillis) {
        int n = lab.workers.length;
        int[] before = new int[n + 1];
        for (int w = 0; w < n; w++) before[w] = lab.workers[w].count(moment.line);
        before[n] = lab.scheduler.count(moment.line);
        Proc run = lab.run(ARGS, VOLUME, TRUST);
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (moment.schedulerLog) {
                if (lab.scheduler.count(moment.line) > before[n]) return after(delayMillis, new Started(run, 0));
            } else {
                for (int w = 0; w < n; w++) {
                    if (lab.workers[w].count(moment.line) > before[w]) return after(delayMillis, new Started(run, w));
                }
            }
            if (!run.process().isAlive() || System.nanoTime() > end) {
                throw new AssertionError("never saw '" + moment.line + "' in the logs before the run ended:\n"
                        + HostProcesses.tail(run.output()));
            }
            HostProcesses.sleep(5);
        }
    }

    private static Started after(long delayMillis, Started started) {
        HostProcesses.sleep(delayMillis);
        return started;
    }

    private static Ledger.Run finish(Proc run) {
        return Ledger.finish(run, Duration.ofSeconds(180));
    }

    private static void recovered(String what, long since) {
        System.out.printf("[multihost] recovery: %s -> every task certified and downloaded %d ms later%n", what,
                (System.nanoTime() - since) / 1_000_000);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
