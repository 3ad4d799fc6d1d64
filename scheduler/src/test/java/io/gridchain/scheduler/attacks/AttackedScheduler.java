package io.gridchain.scheduler.attacks;

import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.scheduler.SchedulerService;
import io.gridchain.scheduler.api.HttpLimits;
import io.gridchain.scheduler.api.WorkerHttpApi;
import io.gridchain.scheduler.results.FileResultStore;
import io.gridchain.scheduler.state.JdbcStateStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.Credentials;

/** A real scheduler (its own workerpool on a local chain, SQLite state, HTTP API) for attacks to run against. */
final class AttackedScheduler implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final SchedulerService service;
    final WorkerHttpApi api;
    final Path results;

    private AttackedScheduler(SchedulerService service, WorkerHttpApi api, Path results) {
        this.service = service;
        this.api = api;
        this.results = results;
    }

    /** Creates a workerpool owned by {@code owner} and starts its scheduler with {@code limits}. */
    static AttackedScheduler start(LocalProtocol net, int owner, HttpLimits limits, Path dir) {
        GridClient hub = net.client(owner);
        String pool = hub.createWorkerpool("attacked");
        SchedulerService service = new SchedulerService(hub, pool, JdbcStateStore.sqlite(dir.resolve("scheduler.db")),
                new FileResultStore(dir.resolve("results")), SchedulerService.Options.DEFAULT).start();
        return new AttackedScheduler(service, new WorkerHttpApi(service, "127.0.0.1", 0, limits),
                dir.resolve("results"));
    }

    RequestAuth.Scope scope() {
        return service.scope();
    }

    int port() {
        return api.port();
    }

    String url() {
        return "http://127.0.0.1:" + api.port();
    }

    /** Sends {@code body} with {@code headers} as they are (a captured request is sent again this way). */
    HttpResponse<String> send(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs {@code json} for this scheduler with {@code key} and posts it. */
    HttpResponse<String> post(Credentials key, String path, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send("POST", path, new RequestAuth.Signer(key, scope()).headers("POST", path, body), body);
    }

    /** Registers {@code key} (one slot, no session), as a worker does; the scheduler's answer. */
    HttpResponse<String> register(Credentials key) throws Exception {
        return post(key, WorkerApi.REGISTER, "{\"slots\":1,\"agent\":\"test\"}");
    }

    @Override
    public void close() {
        api.close();
        service.close();
    }
}
