package io.gridchain.e2e.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.runtime.ResultDigest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data placement directives on a real pool: a bag whose every task reads the same large input, served by a real HTTP
 * server that counts the downloads. Without directives each worker that runs a task fetches the input once; with
 * {@code replicas: 1} only one worker ever fetches it, and the bag is still certified.
 */
class PlacementEndToEndTest {
    static final int WORKERS = 4;
    static final int TASKS = 12;
    /** About a quarter of a second per task: every worker polls many times while the first runs. */
    static final String ARGS = "20000000";

    static LocalPool pool;
    static HttpServer data;
    static String app;
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(LocalPool.Setup.of(WORKERS).withSlots(1));
        app = pool.publish("primes");
        data = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        data.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            byte[] body = files.get(name);
            downloads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        data.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        data.start();
    }

    @AfterAll
    static void stop() {
        if (data != null) data.stop(0);
        if (pool != null) pool.close();
    }

    /** A 4 MiB input of its own, so that one run's caches do not serve the other's. */
    static String serve(String name, byte fill) {
        byte[] body = new byte[4 << 20];
        Arrays.fill(body, fill);
        files.put(name, body);
        return "0x" + ResultDigest.sha256Hex(body);
    }

    static String params(String name, String checksum, String placement) {
        return "{\"args\": \"" + ARGS + "\", \"inputs\": [{\"url\": \"http://127.0.0.1:" + data.getAddress().getPort()
                + "/" + name + "\", \"checksum\": \"" + checksum + "\"" + (placement == null ? ""
                : ", \"placement\": " + placement) + "}]}";
    }

    static Set<String> runAndAwait(String params) {
        DealRecord deal = pool.request(app, params, TASKS, 1);
        LocalPool.await(TASKS + " certified tasks", Duration.ofSeconds(180), () -> {
            for (int i = 0; i < TASKS; i++) {
                if (pool.requester().taskStatus(deal.taskId(i)) != GridClient.TaskStatus.FINALIZED) return false;
            }
            return true;
        });
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < TASKS; i++) digests.add(pool.requester().resultDigest(deal.taskId(i)));
        return digests;
    }

    @Test
    void aReusedInputIsFetchedByFewerWorkersWithDirectivesThanWithout() {
        String plain = serve("plain.bin", (byte) 1);
        Set<String> without = runAndAwait(params("plain.bin", plain, null));
        int fetchedWithout = downloads.get("plain.bin").get();

        String placed = serve("placed.bin", (byte) 2);
        Set<String> with = runAndAwait(params("placed.bin", placed, "{\"affinity\": true, \"replicas\": 1}"));
        int fetchedWith = downloads.get("placed.bin").get();

        assertThat(without).hasSize(1).isEqualTo(with); // the same certified result for every task, either way
        assertThat(fetchedWithout).as("workers that fetched the input without directives").isGreaterThanOrEqualTo(2)
                .isLessThanOrEqualTo(WORKERS);
        assertThat(fetchedWith).as("workers that fetched it with replicas 1").isEqualTo(1).isLessThan(fetchedWithout);
    }
}
