package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.Order;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.scheduler.delivery.HttpPutUploader;
import io.gridchain.scheduler.delivery.S3ProxyServer;
import io.gridchain.scheduler.delivery.S3Uploader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Wallet;
import org.web3j.utils.Numeric;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Results to the requester's own storage (issue 17, item 7): `run --deliver` against a real S3-compatible server
 * (S3Proxy) and a real HTTP server; a bucket that refuses, and a stranger naming the target of someone else's deal.
 */
class DeliveryEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "delivery-test";
    static final String BUCKET = "results";

    static LocalPool pool;
    static Market market;
    static S3ProxyServer s3;
    static HttpServer http;
    static final Map<String, byte[]> received = new ConcurrentHashMap<>();
    static final Map<String, String> receivedDigests = new ConcurrentHashMap<>();
    static Path home;
    static Path config;
    static String app;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/up/", exchange -> {
            received.put(exchange.getRequestURI().getPath(), exchange.getRequestBody().readAllBytes());
            receivedDigests.put(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst(HttpPutUploader.DIGEST_HEADER));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        http.start();
        // the bucket and the PUT server are on loopback, which a pool refuses unless its operator allows it
        pool = new LocalPool(LocalPool.Setup.of(1).withScheduler(
                io.gridchain.scheduler.SchedulerService.Options.DEFAULT.withDeliveryToPrivate(true)));
        home = Files.createTempDirectory("delivery");
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        app = pool.publish("primes");
        publish(pool.appOrder(app), pool.appOwner());
        publish(pool.poolOrder(), pool.schedulerOwner());
        config = home.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses()).with("market", market.url())).withCurrentProfile("local")
                .save(config);
        Files.writeString(home.resolve("password"), PASSWORD);
        for (int account : new int[] {2, 4}) {
            Files.write(home.resolve("wallet-" + account + ".json"), JSON.writeValueAsBytes(Wallet.createLight(
                    PASSWORD, pool.net().accounts().get(account).getEcKeyPair())));
        }
        Files.writeString(home.resolve("good.env"), "AWS_ACCESS_KEY_ID=" + S3ProxyServer.ACCESS_KEY
                + "\nAWS_SECRET_ACCESS_KEY=" + S3ProxyServer.SECRET_KEY + "\n");
        Files.writeString(home.resolve("bad.env"), "AWS_ACCESS_KEY_ID=" + S3ProxyServer.ACCESS_KEY
                + "\nAWS_SECRET_ACCESS_KEY=not-the-secret\n");
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (pool != null) pool.close();
        if (http != null) http.stop(0);
        if (s3 != null) s3.close();
    }

    @Test
    void eachCertifiedResultLandsInTheRequestersBucketWithTheCertifiedDigest() throws Exception {
        InProcessCli.Result run = cli(4, "run", app, "--args", "{i}000", "--volume", "3", "--deliver", "s3://" + BUCKET + "/runs/a",
                "--deliver-endpoint", s3.endpoint().toString(), "--deliver-credentials", home.resolve("good.env")
                        .toString(), "--watch", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode out = json(run.out());
        assertThat(out.get("deliver").asText()).startsWith("s3://" + BUCKET + "/runs/a");
        try (S3Client client = s3.client()) {
            for (JsonNode t : out.get("tasks")) {
                String task = t.asText().toLowerCase();
                String digest = pool.requester().resultDigest(task);
                String key = "runs/a/" + task + "/result.zip";
                LocalPool.await("task " + task + " delivered", Duration.ofSeconds(60), () -> exists(client, key));
                ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
                assertThat(LocalPool.sha256(object.asByteArray())).isEqualToIgnoringCase(digest);
                assertThat(object.response().metadata().get(S3Uploader.DIGEST_METADATA)).isEqualToIgnoringCase(digest);
            }
            String first = out.get("tasks").get(0).asText();
            LocalPool.await("the view says DELIVERED", Duration.ofSeconds(30), () -> cli(4, "task", "show", first,
                    "--deal", out.get("deal").asText()).out().contains("delivery  DELIVERED"));
        }
    }

    @Test
    void aBucketThatRefusesTheUploadGivesAClearCauseAndTheResultStaysDownloadableFromThePool() throws Exception {
        InProcessCli.Result run = cli(4, "run", app, "--args", "77", "--deliver", "s3://" + BUCKET + "/runs/refused",
                "--deliver-endpoint", s3.endpoint().toString(), "--deliver-credentials", home.resolve("bad.env")
                        .toString(), "--watch", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode out = json(run.out());
        String deal = out.get("deal").asText();
        String task = out.get("tasks").get(0).asText();
        LocalPool.await("the delivery failed", Duration.ofSeconds(60), () -> "FAILED".equals(view(task, deal)
                .path("scheduler").path("delivery").asText()));
        String cause = view(task, deal).path("scheduler").path("deliveryCause").asText();
        assertThat(cause).startsWith("delivery to s3://" + BUCKET + "/runs/refused at " + s3.endpoint()
                + " failed after 3 attempts: ").containsPattern("(SignatureDoesNotMatch|AccessDenied) \\(403\\)")
                .endsWith("; the result stays downloadable from pool " + pool.workerpool())
                .doesNotContain("not-the-secret").doesNotContain("\n");
        assertThat(cli(4, "task", "show", task, "--deal", deal).out()).contains("delivery  FAILED: " + cause);

        Path dir = home.resolve("refused-result");
        InProcessCli.Result get = cli(4, "result", "get", task, "--deal", deal, "-o", dir.toString());
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(ResultDigest.of(dir)).isEqualToIgnoringCase(pool.requester().resultDigest(task));
        assertThat(pool.requester().taskStatus(task)).isEqualTo(GridClient.TaskStatus.FINALIZED);
    }

    @Test
    void aResultGoesByHttpPutToTheRequestersUrl() throws Exception {
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/up/{task}";
        InProcessCli.Result run = cli(4, "run", app, "--args", "4242", "--deliver", url, "--watch", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        String task = json(run.out()).get("tasks").get(0).asText().toLowerCase();
        String digest = pool.requester().resultDigest(task);
        LocalPool.await("the PUT arrived", Duration.ofSeconds(60), () -> received.containsKey("/up/" + task));
        assertThat(LocalPool.sha256(received.get("/up/" + task))).isEqualToIgnoringCase(digest);
        assertThat(receivedDigests.get("/up/" + task)).isEqualToIgnoringCase(digest);
    }

    @Test
    void anotherAccountCannotNameTheDeliveryTargetOfSomeoneElsesDeal() {
        DealRecord deal = pool.request(app, "31", 1, 1);
        InProcessCli.Result stranger = cli(2, "deal", "deliver", deal.dealId(), "--to", "http://127.0.0.1:"
                + http.getAddress().getPort() + "/up/stolen-{task}");
        assertThat(stranger.code()).isEqualTo(1);
        assertThat(stranger.err().strip().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: ").contains("is for its requester " + pool.requester().address().toLowerCase())
                .contains("not for " + pool.net().accounts().get(2).getAddress().toLowerCase()));
        LocalPool.await("the task certified", Duration.ofSeconds(60),
                () -> pool.requester().taskStatus(deal.taskId(0)) == GridClient.TaskStatus.FINALIZED);
        assertThat(received.keySet()).noneMatch(k -> k.contains("stolen"));
    }

    static boolean exists(S3Client client, String key) {
        try {
            client.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) return false;
            throw e;
        }
    }

    static JsonNode view(String task, String deal) {
        InProcessCli.Result show = cli(4, "task", "show", task, "--deal", deal, "--json");
        try {
            return json(show.out());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode json(String out) throws java.io.IOException {
        int start = out.startsWith("{") ? 0 : out.indexOf("\n{") + 1;
        return JSON.readTree(out.substring(start));
    }

    static void publish(Order order, GridClient signer) {
        market.book().publish(order, Numeric.toHexString(signer.sign(order)));
    }

    static InProcessCli.Result cli(int account, String... args) {
        return InProcessCli.run(config, home.resolve("wallet-" + account + ".json"), home.resolve("password"), args);
    }
}
