package io.gridchain.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.scheduler.SchedulerService;
import io.gridchain.scheduler.results.FileResultStore;
import io.gridchain.scheduler.state.JdbcStateStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** {@code GET /v1/workers} on a real scheduler: anyone reads it, and it lists a worker once it registered. */
class WorkersRouteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static LocalProtocol net;
    static SchedulerService service;
    static WorkerHttpApi api;

    @BeforeAll
    static void start(@TempDir Path dir) {
        net = LocalProtocol.start();
        GridClient hub = net.client(3);
        service = new SchedulerService(hub, hub.createWorkerpool("explored"),
                JdbcStateStore.sqlite(dir.resolve("scheduler.db")), new FileResultStore(dir.resolve("results")),
                SchedulerService.Options.DEFAULT).start();
        api = new WorkerHttpApi(service, "127.0.0.1", 0, HttpLimits.DEFAULT);
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
        if (service != null) service.close();
        if (net != null) net.close();
    }

    @Test
    void anyoneReadsTheWorkersAliveAndARegisteredWorkerIsListedWithItsSlotsAfterItsHeartbeat() throws Exception {
        Credentials worker = net.accounts().get(5);
        String address = worker.getAddress().toLowerCase();
        assertThat(post(worker, WorkerApi.REGISTER, "{\"slots\":4,\"agent\":\"test\"}").statusCode()).isEqualTo(200);
        long beforeBeat = System.currentTimeMillis();
        assertThat(post(worker, WorkerApi.HEARTBEAT, "{\"running\":[]}").statusCode()).isEqualTo(200);

        HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(url(WorkerHttpApi.WORKERS))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode workers = JSON.readTree(read.body());
        assertThat(workers.isArray()).isTrue();
        JsonNode listed = workers.get(0);
        assertThat(workers.size()).isEqualTo(1);
        // nothing but these four: no tasks, no replicas, no IPs
        assertThat(listed.fieldNames()).toIterable().containsExactlyInAnyOrder("worker", "slots", "busy", "lastSeen");
        assertThat(listed.get("worker").asText()).isEqualTo(address);
        assertThat(listed.get("slots").asInt()).isEqualTo(4);
        assertThat(listed.get("busy").asInt()).isZero();
        assertThat(listed.get("lastSeen").asLong()).isBetween(beforeBeat, System.currentTimeMillis());
    }

    @Test
    void theWorkerRoutesBelowItStayAuthenticated() throws Exception {
        byte[] body = "{\"running\":[]}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(url(WorkerApi.HEARTBEAT)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> post(Credentials key, String path, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        new RequestAuth.Signer(key, service.scope()).headers("POST", path, body).forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + api.port() + path;
    }
}
