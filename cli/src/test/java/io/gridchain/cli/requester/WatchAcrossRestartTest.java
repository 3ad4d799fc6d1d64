package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Settings;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A requester watching a deal while the pool's scheduler is down: it finds the scheduler from the deal's pool on
 * the chain (no GRIDCHAIN_SCHEDULER, no profile), says it waits and why, and once the scheduler is back on the same
 * port, with the workers that survived its restart, sees every task certified.
 */
class WatchAcrossRestartTest {
    @TempDir Path home;

    @Test
    void watchWaitsForARestartedSchedulerAndSeesEveryTaskCertified() throws Exception {
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler())) {
            var net = pool.net();
            Path data = pool.dir().resolve("scheduler");
            Scheduler first = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(),
                    net.accounts().get(3), pool.workerpool(), data));
            String url = first.url(); // read before close, which releases the port
            int port = java.net.URI.create(url).getPort();
            pool.useScheduler(url); // publishes it on-chain
            pool.startWorker(net.accounts().get(5));
            pool.startWorker(net.accounts().get(6));
            String app = pool.publish("primes");
            first.close();
            DealRecord deal = pool.request(app, "1000", 3, 1);

            Map<String, String> env = Map.of("GRIDCHAIN_RPC", net.rpcUrl(),
                    "GRIDCHAIN_HUB", net.protocol().addresses().hub());
            Settings settings = Settings.resolve(new Settings.Flags(home.resolve("config.json"), null, null, null,
                    null), env);
            assertThat(settings.scheduler()).isNull();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream stderr = System.err;
            ObjectNode out = Services.JSON.createObjectNode();
            Scheduler second = null;
            try (Context ctx = new Context(settings)) {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Watch.tasks(ctx, pool.requester(), deal, null, true, out);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                String waiting = "[watch] the scheduler at " + url + " is unreachable (connection refused); retrying in ";
                try {
                    LocalPool.await("the waiting line", Duration.ofSeconds(60),
                            () -> watch.isDone() || err.toString(StandardCharsets.UTF_8).contains(waiting));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; stderr: " + err.toString(StandardCharsets.UTF_8), e);
                }
                assertThat(watch).isNotDone();
                second = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(),
                        net.accounts().get(3), pool.workerpool(), data).withPort(port));
                assertThat(watch.get(120, TimeUnit.SECONDS)).isZero();
            } finally {
                System.setErr(stderr);
                if (second != null) second.close();
            }
            String said = err.toString(StandardCharsets.UTF_8);
            assertThat(said).contains("until the deal's deadline ").contains("answers again")
                    .contains("[watch] 3/3 certified").doesNotContain("null").doesNotContain("devnet");
            assertThat(out.get("results")).hasSize(3)
                    .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("CERTIFIED"));
            assertThat(pool.certified(deal)).isEqualTo(3);
        }
    }

    @Test
    void pastTheDeadlineAnUnreachableSchedulerIsAOneLineErrorNamingIt() throws Exception {
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler())) {
            var net = pool.net();
            String url;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                url = "http://127.0.0.1:" + s.getLocalPort(); // closed again: nothing answers there
            }
            pool.useScheduler(url);
            DealRecord deal = pool.request(pool.publish("primes"), "1000", 1, 1);
            net.advanceTime(deal.deal().deadline() - net.chain().latestTimestamp() + 1);

            Settings settings = Settings.resolve(new Settings.Flags(home.resolve("config.json"), null, null, null,
                    null), Map.of("GRIDCHAIN_RPC", net.rpcUrl(), "GRIDCHAIN_HUB", net.protocol().addresses().hub()));
            try (Context ctx = new Context(settings)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Watch.tasks(ctx, pool.requester(), deal,
                        null, true, Services.JSON.createObjectNode()))
                        .isInstanceOf(io.gridchain.cli.UserError.class)
                        .satisfies(e -> assertThat(e.getMessage())
                                .startsWith("the scheduler at " + url + " is unreachable (connection refused), and the "
                                        + "deal's deadline ")
                                .endsWith("has passed: its unfinished tasks can be refunded with `gridchain deal claim "
                                        + deal.dealId() + "`")
                                .doesNotContain("null").doesNotContain("devnet").doesNotContain("\n"));
            }
        }
    }
}
