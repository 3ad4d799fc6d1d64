package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.market.Market;
import io.gridchain.market.OrderJson;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.http.Tls;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.scheduler.Scheduler;
import io.gridchain.worker.WorkerAgent;
import io.gridchain.worker.WorkerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * What an operator runs (docs/OPERATIONS.md), over real sockets: a scheduler and an order book serving HTTPS only
 * with a certificate of a private CA made by openssl (scripts/tls-ca.sh), a worker and the CLI that trust that CA
 * and one that does not, and the Prometheus figures of the three services moving as a task runs.
 */
class OperationsEndToEndTest {
    @TempDir static Path dir;
    static LocalPool pool;
    static Path ca;
    static Scheduler scheduler;
    static Market market;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        Path tls = dir.resolve("tls");
        Process p = new ProcessBuilder("sh", Path.of("..", "scripts", "tls-ca.sh").toString(), tls.toString())
                .redirectErrorStream(true).start();
        String made = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(made).isZero();
        ca = tls.resolve("ca.pem");
        var serverTls = Tls.serverContext(tls.resolve("server.pem"), tls.resolve("server.key"));

        pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler());
        scheduler = Scheduler.start(Scheduler.Config.local(pool.net().rpcUrl(), pool.net().protocol().addresses(),
                pool.net().accounts().get(3), pool.workerpool(), dir.resolve("scheduler")), serverTls);
        pool.useScheduler(scheduler.url());
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses()), serverTls);
        config = dir.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses())).withCurrentProfile("local").save(config);
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (scheduler != null) scheduler.close();
        if (pool != null) pool.close();
    }

    @Test
    void overHttpsAWorkerTrustingTheCaIsCertifiedAndTheFiguresMove() throws Exception {
        assertThat(scheduler.url()).startsWith("https://127.0.0.1:");
        assertThat(market.url()).startsWith("https://127.0.0.1:");

        // this JVM's clients (the worker's, the metrics reads) trust the CA from now on
        Tls.trustProcessWide(ca);
        PrometheusText before = PrometheusText.parse(get(scheduler.url() + "/metrics"));
        assertThat(before.value("gridchain_scheduler_batch_tasks_count")).isZero();
        assertThat(before.has("gridchain_scheduler_chain_lag_seconds")).isTrue();

        WorkerAgent worker = pool.startWorker(WorkerConfig.of(scheduler.url(), pool.net().accounts().get(5)));
        int workerMetrics = worker.serveMetrics("127.0.0.1", 0);
        String app = pool.publish("primes");
        DealRecord deal = pool.request(app, "1000", 1, 1);
        LocalPool.await("the task certified over https", Duration.ofSeconds(60),
                () -> pool.requester().taskStatus(deal.taskId(0)) == GridClient.TaskStatus.FINALIZED);

        // a CLI process without the CA is refused in one line; with --tls-ca it reads the scheduler
        String task = deal.taskId(0);
        Cli refused = cli(Map.of("GRIDCHAIN_SCHEDULER", scheduler.url()), "task", "show", task);
        assertThat(refused.code()).as(refused.err()).isEqualTo(3);
        assertThat(refused.err().strip()).doesNotContain("\n")
                .startsWith("error: cannot reach the scheduler at " + scheduler.url())
                .containsIgnoringCase("certification path");
        Cli trusted = cli(Map.of("GRIDCHAIN_SCHEDULER", scheduler.url()), "task", "show", task, "--tls-ca",
                ca.toString(), "--json");
        assertThat(trusted.code()).as(trusted.err()).isZero();
        Cli byEnv = cli(Map.of("GRIDCHAIN_SCHEDULER", scheduler.url(), Tls.CA_ENV, ca.toString()), "task", "show",
                task);
        assertThat(byEnv.code()).as(byEnv.err()).isZero();


        PrometheusText after = PrometheusText.parse(get(scheduler.url() + "/metrics"));
        assertThat(after.value("gridchain_scheduler_workers_alive")).isEqualTo(1);
        assertThat(after.value("gridchain_scheduler_worker_slots")).isEqualTo(2);
        assertThat(after.value("gridchain_scheduler_batch_tasks_count")).isEqualTo(1);
        assertThat(after.value("gridchain_scheduler_batch_tasks_sum")).isEqualTo(1);
        assertThat(after.value("gridchain_scheduler_batch_gas_sum")).isGreaterThan(50_000);
        assertThat(after.value("gridchain_scheduler_http_requests_total", "route=\"/v1/replicates/claim\"",
                "status=\"200\"")).isPositive();
        assertThat(after.value("gridchain_scheduler_deal_scan_lag_blocks")).isLessThan(50);
        assertThat(after.has("gridchain_scheduler_tasks")).isTrue();
        assertThat(after.has("gridchain_scheduler_replicates")).isTrue();

        PrometheusText ofWorker = PrometheusText.parse(get("http://127.0.0.1:" + workerMetrics + "/metrics"));
        assertThat(ofWorker.value("gridchain_worker_app_run_seconds_count", "outcome=\"ok\"")).isEqualTo(1);
        assertThat(ofWorker.value("gridchain_worker_app_run_seconds_sum")).isPositive();
        assertThat(ofWorker.value("gridchain_worker_commits_total")).isEqualTo(1);
        assertThat(ofWorker.value("gridchain_worker_slots")).isEqualTo(2);
    }

    @Test
    void theOrderBookOverHttpsCountsOrdersByKindAndPublications() throws Exception {
        Tls.trustProcessWide(ca);
        PrometheusText before = PrometheusText.parse(get(market.url() + "/metrics"));
        AppOrder order = pool.appOrder(pool.publish("primes"));
        String body = "{\"kind\":\"app\",\"order\":" + OrderJson.write(order) + ",\"signature\":\""
                + Numeric.toHexString(pool.appOwner().sign(order)) + "\"}";
        assertThat(post(market.url() + "/v1/orders", body)).isEqualTo(201);
        assertThat(post(market.url() + "/v1/orders", "{\"kind\":\"app\"}")).isEqualTo(400);

        PrometheusText after = PrometheusText.parse(get(market.url() + "/metrics"));
        assertThat(after.value("gridchain_market_orders", "kind=\"app\"")
                - before.value("gridchain_market_orders", "kind=\"app\"")).isEqualTo(1);
        assertThat(after.value("gridchain_market_publications_total", "outcome=\"accepted\"")
                - before.value("gridchain_market_publications_total", "outcome=\"accepted\"")).isEqualTo(1);
        assertThat(after.value("gridchain_market_publications_total", "outcome=\"rejected\"", "status=\"400\"")
                - before.value("gridchain_market_publications_total", "outcome=\"rejected\"", "status=\"400\""))
                .isEqualTo(1);
        assertThat(after.value("gridchain_market_http_requests_total", "route=\"/v1/orders\"", "method=\"POST\""))
                .isGreaterThanOrEqualTo(2);
    }

    record Cli(int code, String out, String err) {}

    /** {@code gridchain ARGS} as a process of its own (a fresh JVM: no CA trusted unless told), with the profile. */
    static Cli cli(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.gridchain.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove(Tls.CA_ENV);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    static int post(String url, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
