package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

class SchedulerClientTest {

    private static final Credentials KEY =
            Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    static final RequestAuth.Scope SCOPE = new RequestAuth.Scope("0x" + "a".repeat(40), 31337);

    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;
    private SchedulerClient client;
    /** Highest accepted nonce per worker, as a scheduler keeps it. */
    private final Map<String, Long> lastNonce = new ConcurrentHashMap<>();
    /** What the server received and verified: method, path, body. */
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> results = new ConcurrentHashMap<>();
    private final AtomicInteger unavailable = new AtomicInteger();

    record Received(String method, String path, byte[] body, Map<String, String> headers, String worker) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
        client = new SchedulerClient("http://127.0.0.1:" + server.getAddress().getPort() + "/", KEY, SCOPE, 3,
                Duration.ofMillis(10), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            RequestAuth.Verified verified;
            synchronized (lastNonce) {
                try {
                    verified = RequestAuth.verify(SCOPE, method, path, body, headers, System.currentTimeMillis(),
                            w -> lastNonce.getOrDefault(w, -1L));
                } catch (RequestAuth.Refused e) {
                    reply(exchange, 401, json.writeValueAsBytes(new WorkerApi.Error(e.getMessage())));
                    return;
                }
                lastNonce.put(verified.worker(), verified.nonce());
            }
            received.add(new Received(method, path, body, headers, verified.worker()));
            if (path.equals(WorkerApi.CLAIM)) {
                WorkerApi.ClaimRequest req = json.readValue(body, WorkerApi.ClaimRequest.class);
                List<WorkerApi.Assignment> list = new ArrayList<>();
                for (int i = 0; i < req.max(); i++) {
                    list.add(new WorkerApi.Assignment("r" + i, "0xdeal", i, "0xtask" + i,
                            new WorkerApi.AppSpec("0xapp", "primes", "wasm", "gridchain:apps/primes.wasm", null),
                            List.of(), List.of("100"), Map.of("K", "V"), new WorkerApi.LimitsSpec(1000, 16, 4096),
                            42, 0, false, false));
                }
                reply(exchange, 200, json.writeValueAsBytes(new WorkerApi.ClaimResponse(list)));
            } else if (path.equals(WorkerApi.COMMIT)) {
                reply(exchange, 409, "{\"error\":\"replicate r9 is not assigned to worker "
                        + verified.worker() + ": claim it first\"}");
            } else if (path.equals(WorkerApi.HEARTBEAT)) {
                if (unavailable.getAndDecrement() > 0) {
                    reply(exchange, 503, "{\"error\":\"the scheduler is starting\"}");
                } else {
                    reply(exchange, 200, json.writeValueAsBytes(new WorkerApi.HeartbeatResponse(List.of("r1"),
                            List.of(), List.of(new WorkerApi.SignRequest("b1",
                                    List.of(new WorkerApi.Entry("0x01", "0x02")))))));
                }
            } else if (path.equals(WorkerApi.FAIL)) {
                reply(exchange, 500, "internal\nerror trace");
            } else if (path.startsWith(WorkerApi.RESULTS) && method.equals("PUT")) {
                results.put(path.substring(WorkerApi.RESULTS.length()), body);
                reply(exchange, 201, new byte[0]);
            } else if (path.startsWith(WorkerApi.RESULTS) && method.equals("GET")) {
                byte[] r = results.get(path.substring(WorkerApi.RESULTS.length()));
                if (r == null) {
                    reply(exchange, 404, "{\"error\":\"no result " + path.substring(WorkerApi.RESULTS.length()) + "\"}");
                } else {
                    reply(exchange, 200, r);
                }
            } else {
                // echo the body
                reply(exchange, 200, "{\"accepted\":1}");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        reply(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Test
    void signsTheExactBodyAndParsesTheAnswer() throws Exception {
        WorkerApi.ClaimResponse response = client.claim(new WorkerApi.ClaimRequest(2));

        assertThat(response.assignments()).hasSize(2);
        WorkerApi.Assignment a = response.assignments().get(1);
        assertThat(a.replicateId()).isEqualTo("r1");
        assertThat(a.app().uri()).isEqualTo("gridchain:apps/primes.wasm");
        assertThat(a.limits()).isEqualTo(new WorkerApi.LimitsSpec(1000, 16, 4096));
        assertThat(a.env()).containsEntry("K", "V");

        Received r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(WorkerApi.CLAIM);
        assertThat(r.worker()).isEqualTo(KEY.getAddress().toLowerCase());
        assertThat(json.readValue(r.body(), WorkerApi.ClaimRequest.class)).isEqualTo(new WorkerApi.ClaimRequest(2));

        // the signature covers the body: the same headers do not verify another body, path or method
        byte[] other = "{\"max\":3}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, other, r.headers(),
                System.currentTimeMillis(), w -> -1L)).isInstanceOf(RequestAuth.Refused.class);
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.COMMIT, r.body(), r.headers(),
                System.currentTimeMillis(), w -> -1L)).isInstanceOf(RequestAuth.Refused.class);
        assertThat(RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, r.body(), r.headers(), System.currentTimeMillis(),
                w -> -1L).worker()).isEqualTo(KEY.getAddress().toLowerCase());
    }

    @Test
    void anErrorAnswerBecomesASchedulerExceptionWithItsMessage() {
        assertThatThrownBy(() -> client.commit(new WorkerApi.CommitRequest(
                List.of(new WorkerApi.Commit("r9", "0x" + "00".repeat(32), "0x00")))))
                .isInstanceOfSatisfying(SchedulerException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.isTransient()).isFalse();
                })
                .hasMessage("replicate r9 is not assigned to worker " + KEY.getAddress().toLowerCase()
                        + ": claim it first");
        assertThat(received).hasSize(1); // not retried
    }

    @Test
    void aNonJsonErrorIsStillOneLine() {
        assertThatThrownBy(() -> client.fail(new WorkerApi.FailRequest(List.of())))
                .isInstanceOfSatisfying(SchedulerException.class, e -> assertThat(e.status()).isEqualTo(500))
                .hasMessage("HTTP 500: internal error trace");
        assertThat(received).hasSize(3); // a 5xx is transient: retried up to the attempts
    }

    @Test
    void transientFailuresAreRetriedWithFreshSignatures() {
        unavailable.set(2);
        WorkerApi.HeartbeatResponse response = client.heartbeat(new WorkerApi.Heartbeat(List.of("r1", "r2")));
        assertThat(response.cancel()).containsExactly("r1");
        assertThat(response.sign()).containsExactly(
                new WorkerApi.SignRequest("b1", List.of(new WorkerApi.Entry("0x01", "0x02"))));
        assertThat(received).hasSize(3);
        assertThat(received).extracting(r -> r.headers().get(RequestAuth.NONCE)).doesNotHaveDuplicates();
    }

    @Test
    void resultsArePutAndGotAsBytes() {
        byte[] archive = new byte[300_000];
        new Random(1).nextBytes(archive);
        String digest = "0x" + "ab".repeat(32);
        client.putResult(digest, archive);
        assertThat(results.get(digest)).isEqualTo(archive);
        assertThat(client.getResult(digest)).isEqualTo(archive);
        assertThat(received).extracting(Received::method, Received::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PUT", WorkerApi.RESULTS + digest),
                org.assertj.core.groups.Tuple.tuple("GET", WorkerApi.RESULTS + digest));

        assertThatThrownBy(() -> client.getResult("0x" + "cd".repeat(32)))
                .isInstanceOfSatisfying(SchedulerException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("no result 0x" + "cd".repeat(32));
    }

    @Test
    void concurrentCallsReachTheSchedulerWithIncreasingNonces() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<WorkerApi.Ack>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> client.reveal(new WorkerApi.RevealRequest(
                        List.of(new WorkerApi.Reveal("r" + n, "0x" + "11".repeat(32)))))));
            }
            for (Future<WorkerApi.Ack> f : futures) {
                assertThat(f.get().accepted()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(received).hasSize(40); // none refused as replayed, so none retried
    }

    @Test
    void anUnreachableSchedulerIsStatusZero() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SchedulerClient offline = new SchedulerClient("http://127.0.0.1:" + port, KEY, SCOPE, 2, Duration.ofMillis(1),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> offline.register(new WorkerApi.RegisterRequest(1, "test")))
                .isInstanceOfSatisfying(SchedulerException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.isTransient()).isTrue();
                })
                .hasMessage("cannot reach the scheduler at http://127.0.0.1:" + port
                        + " (POST /v1/workers/register): connection refused");
    }
}
