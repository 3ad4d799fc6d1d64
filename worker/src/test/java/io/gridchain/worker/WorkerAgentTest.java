package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.apps.ExampleApps;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** The agent against a fake scheduler: the HTTP calls, their order and their contents. */
class WorkerAgentTest {

    private static final Credentials KEY =
            Credentials.create("0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f");
    private static final String HUB = "0x" + "12".repeat(20);
    private static final long CHAIN = 31337;
    private static final String TASK_1 = "0x" + "00".repeat(31) + "01";
    private static final String TASK_2 = "0x" + "00".repeat(31) + "02";
    private static final String TASK_3 = "0x" + "00".repeat(31) + "03";

    @TempDir
    Path tmp;

    private final ObjectMapper json = new ObjectMapper();
    private HttpServer server;
    private String base;
    private WorkerAgent agent;

    private final Deque<WorkerApi.Assignment> queue = new ArrayDeque<>();
    private final List<Integer> claimed = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<WorkerApi.Commit> commits = new CopyOnWriteArrayList<>();
    private final List<WorkerApi.Reveal> reveals = new CopyOnWriteArrayList<>();
    private final List<WorkerApi.Failure> failures = new CopyOnWriteArrayList<>();
    private final List<WorkerApi.SignResponse> signatures = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> store = new ConcurrentHashMap<>();
    private final List<String> revealByHeartbeat = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastNonce = new ConcurrentHashMap<>();
    /** Per commit request: the replicates it claimed, and the ones whose digest it carried (the slots it frees). */
    private final List<List<Integer>> commitClaims = new CopyOnWriteArrayList<>();
    /** The store refuses the first upload of this digest: its replicate is committed without it, revealed later. */
    private volatile String refuseFirstUpload;
    private final Set<String> refusedUploads = ConcurrentHashMap.newKeySet();
    private final byte[] words = "the cat and the dog and the bird\n".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("/inputs/words.txt")) {
                reply(exchange, 200, words);
                return;
            }
            if (path.equals(WorkerApi.POOL)) {
                reply(exchange, 200, json.writeValueAsBytes(SchedulerClientTest.SCOPE));
                return;
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            synchronized (lastNonce) {
                try {
                    RequestAuth.Verified v = RequestAuth.verify(SchedulerClientTest.SCOPE, method, path, body, headers,
                            System.currentTimeMillis(), w -> lastNonce.getOrDefault(w, -1L));
                    lastNonce.put(v.worker(), v.nonce());
                } catch (RequestAuth.Refused e) {
                    reply(exchange, 401, json.writeValueAsBytes(new WorkerApi.Error(e.getMessage())));
                    return;
                }
            }
            calls.add(method + " " + path);
            Object answer;
            switch (path) {
                case WorkerApi.REGISTER -> answer = new WorkerApi.RegisterResponse("0xpool", HUB, CHAIN, "0", 1);
                case WorkerApi.CLAIM -> {
                    int max = json.readValue(body, WorkerApi.ClaimRequest.class).max();
                    claimed.add(max);
                    answer = new WorkerApi.ClaimResponse(take(max));
                }
                case WorkerApi.COMMIT -> {
                    List<String> now = new ArrayList<>();
                    WorkerApi.CommitRequest request = json.readValue(body, WorkerApi.CommitRequest.class);
                    int freed = 0;
                    for (WorkerApi.Commit c : request.commits()) {
                        commits.add(c);
                        calls.add("commit " + c.replicateId());
                        if (c.digest() != null) {
                            reveals.add(new WorkerApi.Reveal(c.replicateId(), c.digest()));
                            freed++;
                        } else if (c.replicateId().startsWith("later")) {
                            revealByHeartbeat.add(c.replicateId());
                        } else {
                            now.add(c.replicateId());
                        }
                    }
                    commitClaims.add(List.of(request.claim(), freed));
                    answer = new WorkerApi.CommitResponse(now, List.of(), WorkerApi.Work.group(take(request.claim())));
                }
                case WorkerApi.REVEAL -> {
                    for (WorkerApi.Reveal r : json.readValue(body, WorkerApi.RevealRequest.class).reveals()) {
                        reveals.add(r);
                        calls.add("reveal " + r.replicateId());
                    }
                    answer = new WorkerApi.Ack(1);
                }
                case WorkerApi.FAIL -> {
                    failures.addAll(json.readValue(body, WorkerApi.FailRequest.class).failures());
                    answer = new WorkerApi.Ack(1);
                }
                case WorkerApi.SIGN -> {
                    signatures.add(json.readValue(body, WorkerApi.SignResponse.class));
                    answer = new WorkerApi.Ack(1);
                }
                case WorkerApi.HEARTBEAT -> {
                    List<String> reveal = new ArrayList<>(revealByHeartbeat);
                    revealByHeartbeat.clear();
                    List<WorkerApi.SignRequest> sign = new ArrayList<>();
                    if (revealed("ok-1") && revealed("later-1") && signatures.isEmpty()) {
                        sign.add(new WorkerApi.SignRequest("batch-1", List.of(
                                new WorkerApi.Entry(TASK_1, digestOf("ok-1")),
                                new WorkerApi.Entry(TASK_2, digestOf("later-1")))));
                        sign.add(new WorkerApi.SignRequest("forged", List.of(
                                new WorkerApi.Entry(TASK_1, "0x" + "66".repeat(32)))));
                    }
                    answer = new WorkerApi.HeartbeatResponse(List.of(), reveal, sign);
                }
                default -> {
                    if (path.startsWith(WorkerApi.RESULTS) && method.equals("PUT")) {
                        String digest = path.substring(WorkerApi.RESULTS.length());
                        if (digest.equals(refuseFirstUpload) && refusedUploads.add(digest)) {
                            reply(exchange, 400, "{\"error\":\"not now\"}".getBytes(StandardCharsets.UTF_8));
                            return;
                        }
                        store.put(digest, body);
                        reply(exchange, 201, new byte[0]);
                    } else {
                        reply(exchange, 404, ("{\"error\":\"no route " + path + "\"}").getBytes(StandardCharsets.UTF_8));
                    }
                    return;
                }
            }
            reply(exchange, 200, json.writeValueAsBytes(answer));
        }
    }

    private List<WorkerApi.Assignment> take(int max) {
        List<WorkerApi.Assignment> out = new ArrayList<>();
        synchronized (queue) {
            while (out.size() < max && !queue.isEmpty()) {
                out.add(queue.poll());
            }
        }
        return out;
    }

    private boolean revealed(String replicateId) {
        return reveals.stream().anyMatch(r -> r.replicateId().equals(replicateId));
    }

    private String digestOf(String replicateId) {
        return reveals.stream().filter(r -> r.replicateId().equals(replicateId)).findFirst().orElseThrow().digest();
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static WorkerApi.Assignment assignment(String id, String taskId, String app, String checksum,
            List<WorkerApi.InputSpec> inputs, String... args) {
        return new WorkerApi.Assignment(id, "0xdeal", 0, taskId,
                new WorkerApi.AppSpec("0xapp", app, "wasm", "gridchain:apps/" + app + ".wasm", checksum),
                inputs, List.of(args), Map.of(), new WorkerApi.LimitsSpec(20_000, 256, 1 << 20), 7, 0, false, true);
    }

    /** The digest of a local run of the example app, as the worker runs it (seed 7). */
    private String localDigest(String app, String... args) throws IOException {
        Path out = tmp.resolve("local-" + app + "-" + String.join("-", args));
        var result = new WasmRuntime().run(io.gridchain.runtime.ExecutionRequest.of(app, ExampleApps.load(app), out)
                .withArgs(List.of(args)).withSeed(7));
        assertThat(result.succeeded()).isTrue();
        return ResultDigest.of(out);
    }

    private static String sha(byte[] bytes) {
        return "0x" + ResultDigest.sha256Hex(bytes);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void runsCommitsRevealsFailsAndSigns() throws Exception {
        String primes = sha(ExampleApps.load("primes"));
        synchronized (queue) {
            queue.add(assignment("ok-1", TASK_1, "primes", primes, List.of(), "1000"));
            queue.add(assignment("later-1", TASK_2, "primes", primes, List.of(), "2000"));
            queue.add(assignment("trap-1", TASK_3, "trap", null, List.of()));
            queue.add(assignment("sum-1", TASK_3, "primes", "0x" + "00".repeat(32), List.of(), "10"));
            queue.add(assignment("words-1", TASK_3, "wordfreq", null,
                    List.of(new WorkerApi.InputSpec("words.txt", base + "/inputs/words.txt", sha(words)))));
        }
        refuseFirstUpload = localDigest("primes", "2000"); // later-1's result
        WorkerConfig config = new WorkerConfig(base, KEY, 2, tmp.resolve("cache"), Duration.ofMillis(20));
        agent = new WorkerAgent(config, new WasmRuntime()).start();

        await("four reveals (one of a failure) and one failure report", () -> reveals.size() >= 4
                && failures.size() >= 1);
        await("the batch signature", () -> !signatures.isEmpty());

        assertThat(calls.get(0)).isEqualTo("POST " + WorkerApi.REGISTER);
        assertThat(claimed).allSatisfy(max -> assertThat(max).isBetween(1, 2));
        Eip712Domain domain = new Eip712Domain(CHAIN, HUB);
        String worker = KEY.getAddress();

        // success: commit = signed commitment to (task, digest); the archive under the digest holds the output
        for (String id : List.of("ok-1", "later-1", "words-1")) {
            WorkerApi.Commit commit = commits.stream().filter(c -> c.replicateId().equals(id)).findFirst().orElseThrow();
            String digest = digestOf(id);
            String task = id.equals("ok-1") ? TASK_1 : id.equals("later-1") ? TASK_2 : TASK_3;
            String commitment = Contributions.commitment(worker, List.of(new Contributions.Entry(task, digest)));
            assertThat(commit.commitment()).isEqualTo(commitment);
            assertThat(commit.signature())
                    .isEqualTo(Numeric.toHexString(Contributions.signCommitment(domain, commitment, KEY)));
            assertThat(ResultArchive.digest(store.get(digest))).isEqualTo(digest);
        }
        Path out = tmp.resolve("ok-1");
        ResultArchive.decode(store.get(digestOf("ok-1")), out);
        assertThat(Files.readString(out.resolve("result.txt"))).contains("168");
        Path wf = tmp.resolve("words-1");
        ResultArchive.decode(store.get(digestOf("words-1")), wf);
        assertThat(Files.readString(wf.resolve("result.txt"))).contains("the");

        // a stored result is committed with its digest: PUT, then the commit that reveals it
        for (String id : List.of("ok-1", "words-1")) {
            int putAt = calls.indexOf("PUT " + WorkerApi.RESULTS + digestOf(id));
            assertThat(putAt).as(id).isPositive().isLessThan(calls.indexOf("commit " + id));
            assertThat(calls).as(id).doesNotContain("reveal " + id);
        }
        // a refused upload: commit without the digest, then (asked) PUT again, then reveal
        WorkerApi.Commit later = commits.stream().filter(c -> c.replicateId().equals("later-1")).findFirst().orElseThrow();
        assertThat(later.digest()).isNull();
        int commitAt = calls.indexOf("commit later-1");
        int putAt = calls.lastIndexOf("PUT " + WorkerApi.RESULTS + digestOf("later-1"));
        assertThat(commitAt).isPositive().isLessThan(putAt);
        assertThat(putAt).isLessThan(calls.indexOf("reveal later-1"));
        // the failure record is stored like a result; the failed fetch has no partial output to PUT
        assertThat(calls).filteredOn(c -> c.startsWith("PUT ")).hasSize(5);
        // a commit claims no more new replicates than the slots its revealed commits free
        assertThat(commitClaims).allSatisfy(c -> assertThat(c.get(0)).isLessThanOrEqualTo(c.get(1)));

        // a trap happens wherever the app runs: its failure digest is committed and revealed like a result, so the
        // pool certifies it; its record is in the store under the digest
        String trap = FailureDigest.of(false, "TRAP", 0);
        assertThat(digestOf("trap-1")).isEqualTo(trap);
        assertThat(store.get(trap)).isEqualTo(FailureDigest.record(false, "TRAP", 0));
        // a failed download depends on the worker: a typed failure report with its message
        assertThat(failures).extracting(WorkerApi.Failure::replicateId).containsExactly("sum-1");
        WorkerApi.Failure sum = failures.stream().filter(f -> f.replicateId().equals("sum-1")).findFirst().orElseThrow();
        assertThat(sum.cause()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(sum.message()).isEqualTo("app checksum mismatch: expected 0x" + "00".repeat(32) + ", got " + primes);

        // batch: signed over its own revealed results only; the forged batch is refused
        assertThat(signatures).extracting(WorkerApi.SignResponse::batchId).containsExactly("batch-1");
        List<Contributions.Entry> entries = List.of(new Contributions.Entry(TASK_1, digestOf("ok-1")),
                new Contributions.Entry(TASK_2, digestOf("later-1")));
        assertThat(signatures.get(0).signature())
                .isEqualTo(Numeric.toHexString(Contributions.sign(domain, entries, KEY)));
        assertThat(agent.running()).isEmpty();
        assertThat(agent.awaitingReveal()).isEmpty();
        assertThat(agent.reveals()).isEqualTo(4);
        assertThat(agent.failures()).isEqualTo(1);
    }
}
