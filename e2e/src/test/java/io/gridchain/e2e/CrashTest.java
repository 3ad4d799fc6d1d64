package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.SchedulerMain;
import io.gridchain.worker.WorkerMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** Workers and schedulers as separate processes, some of them killed with kill -9 mid-work. */
class CrashTest {
    @Test
    void threeWorkerProcessesCertifyADeal() {
        try (LocalPool pool = new LocalPool(0); Processes procs = new Processes(pool.dir())) {
            for (int i = 5; i < 8; i++) startWorkerProcess(pool, procs, i);
            DealRecord deal = pool.request(pool.publish("primes"), "200000", 4, 5);
            awaitCertified(pool, deal, Duration.ofSeconds(60));
            assertThat(pool.conserved()).isTrue();
        }
    }

    @Test
    void aWorkerKilledMidTaskIsReplacedAndEveryTaskIsCertifiedOnce() {
        try (LocalPool pool = new LocalPool(0); Processes procs = new Processes(pool.dir())) {
            List<Process> workers = new ArrayList<>();
            for (int i = 5; i < 8; i++) workers.add(startWorkerProcess(pool, procs, i));
            // A task long enough to be killed in the middle of: every replica of it runs a few seconds.
            DealRecord deal = pool.request(pool.publish("primes"), "60000000", 1, 5);
            String taskId = deal.taskId(0);
            LocalPool.await("the task to start running", Duration.ofSeconds(30), () -> status(pool, taskId).equals("RUNNING"));
            String victim = pool.net().accounts().get(5).getAddress();
            PoolStake victimBefore = pool.stakeOf(victim);
            Processes.kill(workers.get(0));

            // A fresh worker joins; the lost worker's replica goes to it once 3 heartbeats are missed.
            pool.startWorker(pool.net().accounts().get(8));
            awaitCertified(pool, deal, Duration.ofSeconds(90));
            assertThat(pool.stakeOf(victim)).as("the killed worker contributed nothing").isEqualTo(victimBefore);
            assertThat(pool.stakeOf(pool.net().accounts().get(8).getAddress()).score())
                    .as("the replacement worker was paid and gained reputation").isEqualTo(1);
            assertThat(pool.conserved()).isTrue();
        }
    }

    @Test
    void aSchedulerKilledMidDealRestartsAndResumesWithNothingLostOrPaidTwice() throws Exception {
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler());
                Processes procs = new Processes(pool.dir())) {
            int port = freePort();
            String[] args = schedulerArgs(pool, procs, port);
            Process scheduler = procs.start("scheduler-1", SchedulerMain.class, "listening", args);
            pool.useScheduler("http://127.0.0.1:" + port);
            for (int i = 5; i < 8; i++) pool.startWorker(pool.net().accounts().get(i));

            DealRecord deal = pool.request(pool.publish("primes"), "3000000", 12, 5);
            LocalPool.await("a first certified task", Duration.ofSeconds(60), () -> pool.certified(deal) > 0);
            long before = pool.certified(deal);
            Processes.kill(scheduler);
            assertThat(before).as("killed mid-deal").isLessThan(12);

            procs.start("scheduler-2", SchedulerMain.class, "listening", args);
            awaitCertified(pool, deal, Duration.ofSeconds(120));
            assertThat(pool.conserved()).isTrue();
            // The requester paid exactly once per task: 12 x price, and nothing is left locked.
            Balance requester = pool.requester().balance();
            assertThat(requester.locked()).isZero();
        }
    }

    private static Process startWorkerProcess(LocalPool pool, Processes procs, int account) {
        Credentials key = pool.net().accounts().get(account);
        return procs.start("worker-" + account, WorkerMain.class, "started", "scheduler=" + pool.schedulerUrl(),
                "keyFile=" + procs.keyFile("worker-" + account, Numeric.toHexStringWithPrefixZeroPadded(
                        key.getEcKeyPair().getPrivateKey(), 64)), "slots=2", "cache=" + pool.dir().resolve("cache-" + account));
    }

    private static String[] schedulerArgs(LocalPool pool, Processes procs, int port) {
        Protocol.Addresses a = pool.net().protocol().addresses();
        Credentials key = pool.net().accounts().get(3);
        return new String[] {"rpc=" + pool.net().rpcUrl(), "hub=" + a.hub(), "token=" + a.token(), "apps=" + a.apps(),
            "datasets=" + a.datasets(), "workerpools=" + a.workerpools(), "pool=" + pool.workerpool(),
            "keyFile=" + procs.keyFile("scheduler", Numeric.toHexStringWithPrefixZeroPadded(
                    key.getEcKeyPair().getPrivateKey(), 64)),
            "data=" + pool.dir().resolve("scheduler-data"), "port=" + port};
    }

    private static String status(LocalPool pool, String taskId) {
        var response = pool.get("/v1/tasks/" + taskId);
        if (response.statusCode() != 200) return "";
        String body = new String(response.body());
        int i = body.indexOf("\"status\":\"");
        return i < 0 ? "" : body.substring(i + 10, body.indexOf('"', i + 10));
    }

    private static void awaitCertified(LocalPool pool, DealRecord deal, Duration timeout) {
        long volume = deal.deal().volume().longValueExact();
        try {
            LocalPool.await("all " + volume + " tasks certified", timeout, () -> pool.certified(deal) == volume);
        } catch (AssertionError e) {
            // what the scheduler says of the tasks left, so a failure on a CI machine can be understood
            StringBuilder left = new StringBuilder(e.getMessage());
            for (long i = 0; i < volume; i++) {
                String taskId = deal.taskId(i);
                if (pool.requester().taskStatus(taskId) == GridClient.TaskStatus.FINALIZED) continue;
                var response = pool.get("/v1/tasks/" + taskId);
                left.append("\n  task ").append(i).append(": ").append(response.statusCode()).append(' ')
                        .append(new String(response.body()));
            }
            throw new AssertionError(left.toString(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
