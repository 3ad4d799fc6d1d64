package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.poco.FailureDigest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * Each kind of bad input ends in a clear, typed failure cause that reaches the requester, and the
 * requester is refunded by a claim after the deadline, as the protocol says.
 */
class BadInputTest {
    /** A category of 2 s: wall time 2 s, deadline 20 s after the deal. */
    static final long CATEGORY_SECONDS = 2;
    static LocalPool pool;
    static long category;

    @BeforeAll
    static void start() {
        pool = new LocalPool(3);
        category = pool.category("e2e", CATEGORY_SECONDS);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void anAppWithAWrongChecksum() throws Exception {
        String app = pool.publish("primes", "not the module".getBytes(StandardCharsets.UTF_8));
        failsThenRefunds(app, "1000", "CHECKSUM_MISMATCH", "checksum");
    }

    @Test
    void anUnreachableInputUrl() throws Exception {
        String app = pool.publish("wordfreq");
        failsThenRefunds(app, "{\"inputs\": [{\"name\": \"text.txt\", \"url\": \"http://127.0.0.1:1/text.txt\"}]}",
                "FETCH_FAILED", "http://127.0.0.1:1/text.txt");
    }

    @Test
    void anAppThatTraps() throws Exception {
        certifiedAsAFailure(pool.publish("trap"), "", "TRAP", "trapped");
    }

    @Test
    void anAppThatLoopsForever() throws Exception {
        failsThenRefunds(pool.publish("spin"), "", "TIMEOUT", "wall time");
    }

    @Test
    void anAppThatAllocatesTooMuchMemory() throws Exception {
        certifiedAsAFailure(pool.publish("hog"), "", "MEMORY_LIMIT", "memory");
    }

    @Test
    void anAppThatWritesTooMuchOutput() throws Exception {
        certifiedAsAFailure(pool.publish("flood"), "", "OUTPUT_LIMIT", "output");
    }

    @Test
    void aForgedWorkerRequestIsRefused() throws Exception {
        Credentials worker = pool.net().accounts().get(5);
        Credentials forger = pool.net().accounts().get(8);
        // the scheduler refuses a claim for an unknown worker before checking its signature: forge a registered one
        LocalPool.await("worker " + worker.getAddress() + " registered", Duration.ofSeconds(30),
                () -> pool.scheduler().service().replay().registered(worker.getAddress().toLowerCase()));
        byte[] body = "{\"max\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(new RequestAuth.Signer(forger, pool.scheduler().service().scope()).headers("POST", WorkerApi.CLAIM, body));
        headers.put(RequestAuth.WORKER, worker.getAddress());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pool.scheduler().url() + WorkerApi.CLAIM))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(new ObjectMapper().readTree(response.body()).get("error").asText())
                .isEqualTo("the request is not signed by worker " + worker.getAddress().toLowerCase());

        // A genuine request, replayed, is refused too. The worker is one no agent runs, so no request of
        // its own can race the test's.
        RequestAuth.Signer idle = new RequestAuth.Signer(pool.net().accounts().get(9), pool.scheduler().service().scope());
        assertThat(send(idle, WorkerApi.REGISTER, "{\"slots\":1,\"agent\":\"test\"}").statusCode()).isEqualTo(200);
        byte[] beatBody = "{\"running\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder beat = HttpRequest.newBuilder(URI.create(pool.scheduler().url() + WorkerApi.HEARTBEAT))
                .POST(HttpRequest.BodyPublishers.ofByteArray(beatBody));
        idle.headers("POST", WorkerApi.HEARTBEAT, beatBody).forEach(beat::header);
        HttpRequest once = beat.build();
        assertThat(HttpClient.newHttpClient().send(once, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        HttpResponse<String> replay = HttpClient.newHttpClient().send(once, HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("replayed request");
    }

    private HttpResponse<String> send(RequestAuth.Signer signer, String path, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pool.scheduler().url() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.headers("POST", path, body).forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The app fails the same way wherever it runs: the workers' failure digest is certified like a result, so the
     * requester pays for the run it asked for and sees the failure it certified.
     */
    private void certifiedAsAFailure(String app, String params, String cause, String fragment) throws IOException {
        Balance before = pool.requester().balance();
        DealRecord deal = pool.request(app, params, 1, 1, category);
        String taskId = deal.taskId(0);
        LocalPool.await("task certified as a failure", Duration.ofSeconds(30),
                () -> pool.requester().taskStatus(taskId) == GridClient.TaskStatus.FINALIZED);
        assertThat(pool.requester().resultDigest(taskId)).isEqualTo(FailureDigest.of(false, cause, 0));
        JsonNode view = new ObjectMapper().readTree(pool.get("/v1/tasks/" + taskId).body());
        assertThat(view.get("status").asText()).isEqualTo("FINALIZED");
        assertThat(view.get("cause").asText()).isEqualTo(cause);
        assertThat(view.get("message").asText()).startsWith("failed (certified by 1 worker): ").contains(fragment);
        Balance after = pool.requester().balance();
        assertThat(after.free()).isEqualTo(before.free().subtract(BigInteger.valueOf(LocalPool.APP_PRICE
                + LocalPool.POOL_PRICE)));
        assertThat(after.locked()).isEqualTo(before.locked());
    }

    /** The task fails with {@code cause} (its message naming {@code fragment}), and a claim refunds the requester. */
    private void failsThenRefunds(String app, String params, String cause, String fragment) throws IOException {
        Balance before = pool.requester().balance();
        DealRecord deal = pool.request(app, params, 1, 1, category);
        String taskId = deal.taskId(0);
        JsonNode[] view = new JsonNode[1];
        LocalPool.await("task failing with " + cause, Duration.ofSeconds(30), () -> {
            var response = pool.get("/v1/tasks/" + taskId);
            if (response.statusCode() != 200) return false;
            try {
                view[0] = new ObjectMapper().readTree(response.body());
            } catch (IOException e) {
                return false;
            }
            return "FAILED".equals(view[0].get("status").asText());
        });
        assertThat(view[0].get("cause").asText()).isEqualTo(cause);
        assertThat(view[0].get("message").asText()).containsIgnoringCase(fragment);

        pool.net().advanceTime(10 * CATEGORY_SECONDS + 1);
        pool.requester().claim(deal, List.of(0L));
        assertThat(pool.requester().taskStatus(taskId)).isEqualTo(GridClient.TaskStatus.CLAIMED);
        Balance after = pool.requester().balance();
        // Refunded its price only: the scheduler's stake is burned, since a requester could cause the failure.
        assertThat(after.free()).isEqualTo(before.free());
        assertThat(after.locked()).isEqualTo(before.locked());
        for (int i = 5; i < 8; i++) {
            assertThat(pool.requester().balanceOf(pool.net().accounts().get(i).getAddress()).locked()).isZero();
        }
    }
}
