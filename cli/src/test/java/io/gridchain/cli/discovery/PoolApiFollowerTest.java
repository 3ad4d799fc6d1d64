package io.gridchain.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.Scheduler;
import io.gridchain.worker.WorkerAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolApiFollowerTest {

    @Test
    void movesOnlyToAnotherPublishedHttpUrl() {
        assertThat(PoolApiFollower.moveTo("http://a:1", Optional.of("http://b:2/"))).contains("http://b:2");
        assertThat(PoolApiFollower.moveTo("http://a:1", Optional.of("http://a:1/"))).isEmpty();
        assertThat(PoolApiFollower.moveTo("http://a:1", Optional.empty())).as("withdrawn: stay").isEmpty();
        assertThat(PoolApiFollower.moveTo("http://a:1", Optional.of("ftp://b"))).as("not http: stay").isEmpty();
    }

    @Test
    void aWorkerGivenItsPoolFollowsTheSchedulerToItsNewAddress() throws Exception {
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler())) {
            var net = pool.net();
            var dir = pool.dir().resolve("scheduler");
            Scheduler first = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(),
                    net.accounts().get(3), pool.workerpool(), dir));
            pool.useScheduler(first.url());
            WorkerAgent worker = pool.startWorker(net.accounts().get(5));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Scheduler second = null;
            String moved = null;
            try (PoolApiFollower follower = new PoolApiFollower(pool.workerpool(),
                    () -> pool.requester().poolApiUrl(pool.workerpool()), worker.client(), Duration.ofMillis(100),
                    new PrintStream(err, true, StandardCharsets.UTF_8))) {
                first.close();
                // the pool's scheduler moves to another port, and its owner publishes it
                second = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(),
                        net.accounts().get(3), pool.workerpool(), dir));
                moved = second.url(); // read before close, which releases the port
                pool.useScheduler(moved);
                String to = moved;
                LocalPool.await("the worker moving", Duration.ofSeconds(60), () -> worker.client().baseUrl().equals(to));
                DealRecord deal = pool.request(pool.publish("primes"), "1000", 2, 1);
                LocalPool.await("the deal certified", Duration.ofSeconds(120), () -> pool.certified(deal) == 2);
            } finally {
                if (second != null) second.close();
            }
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("[worker] pool " + pool.workerpool()
                    + " now publishes its scheduler at " + moved + ": moving there");
        }
    }
}
