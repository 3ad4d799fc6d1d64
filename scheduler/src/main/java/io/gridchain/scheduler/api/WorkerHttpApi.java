package io.gridchain.scheduler.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.WorkerApi;
import io.gridchain.scheduler.SchedulerService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The scheduler's HTTP API (docs/API.md). Worker routes require an authenticated request
 * ({@link RequestAuth}): signed by the worker's key (always accepted, and required to register), or
 * MACed under the session the worker opened when it registered. Results and task views are public reads.
 */
public final class WorkerHttpApi implements AutoCloseable {
    public static final String TASKS = "/v1/tasks/";
    private static final String WORKER = "gridchain.worker";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final SchedulerService service;
    private final Javalin app;
    /** Open sessions: in memory, so they die with the scheduler (workers then register again). */
    private final RequestAuth.Sessions sessions = new RequestAuth.Sessions();

    public WorkerHttpApi(SchedulerService service, String host, int port, long maxUploadBytes) {
        this.service = service;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = maxUploadBytes;
        });
        app.before("/v1/*", this::authenticate);
        app.post(WorkerApi.REGISTER, ctx -> reply(ctx, register(ctx)));
        app.post(WorkerApi.HEARTBEAT, ctx -> reply(ctx, service.workers().heartbeat(worker(ctx),
                read(ctx, WorkerApi.Heartbeat.class))));
        app.post(WorkerApi.CLAIM, ctx -> reply(ctx, service.workers().claim(worker(ctx),
                read(ctx, WorkerApi.ClaimRequest.class).max())));
        app.post(WorkerApi.COMMIT, ctx -> reply(ctx, service.workers().commit(worker(ctx),
                read(ctx, WorkerApi.CommitRequest.class))));
        app.post(WorkerApi.REVEAL, ctx -> reply(ctx, service.workers().reveal(worker(ctx),
                read(ctx, WorkerApi.RevealRequest.class))));
        app.post(WorkerApi.FAIL, ctx -> reply(ctx, service.workers().fail(worker(ctx),
                read(ctx, WorkerApi.FailRequest.class))));
        app.post(WorkerApi.SIGN, ctx -> reply(ctx, service.workers().sign(worker(ctx),
                read(ctx, WorkerApi.SignResponse.class))));
        app.put(WorkerApi.RESULTS + "{digest}", ctx -> {
            service.results().putResult(worker(ctx), ctx.pathParam("digest"), ctx.bodyAsBytes());
            reply(ctx, new WorkerApi.Ack(1));
        });
        app.head(WorkerApi.RESULTS + "{digest}", ctx -> {
            if (!service.results().hasResult(ctx.pathParam("digest"))) {
                throw new SchedulerService.Rejected(404, "no result " + ctx.pathParam("digest")
                        + " in this pool's store");
            }
            ctx.status(200);
        });
        app.get(WorkerApi.RESULTS + "{digest}", ctx -> {
            var sealed = service.results().sealedResult(ctx.pathParam("digest"));
            if (sealed.isPresent()) {
                ctx.header(ResultEncryption.HEADER, ResultEncryption.SCHEME);
                ctx.contentType("application/octet-stream").result(sealed.get());
                return;
            }
            var bytes = service.results().result(ctx.pathParam("digest"));
            if (bytes.isEmpty()) throw new SchedulerService.Rejected(404, "no result " + ctx.pathParam("digest")
                    + " in this pool's store");
            ctx.contentType("application/octet-stream").result(bytes.get());
        });
        app.get(TASKS + "{taskId}", ctx -> reply(ctx, service.task(ctx.pathParam("taskId"))
                .orElseThrow(() -> new SchedulerService.Rejected(404, "task " + ctx.pathParam("taskId")
                        + " is unknown to this scheduler"))));
        app.exception(SchedulerService.Rejected.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(IOException.class, (e, ctx) -> error(ctx, 400, "malformed request body: " + firstLine(e)));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "scheduler error: " + firstLine(e)));
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    /** Registers the worker; opens a session when the (key-signed) request carries an ephemeral key. */
    private WorkerApi.RegisterResponse register(Context ctx) throws IOException {
        WorkerApi.RegisterRequest request = read(ctx, WorkerApi.RegisterRequest.class);
        RequestAuth.Sessions.Opened opened = null;
        if (request.sessionKey() != null) {
            try {
                opened = sessions.open(worker(ctx), request.sessionKey());
            } catch (RequestAuth.Refused e) {
                throw new SchedulerService.Rejected(400, e.getMessage());
            }
        }
        WorkerApi.RegisterResponse response = service.workers().register(worker(ctx), nonce(ctx), request);
        return opened == null ? response : response.withSession(opened.sessionId(), opened.publicKey());
    }

    private void authenticate(Context ctx) {
        String path = ctx.path();
        String method = ctx.method().name();
        boolean publicRead = ("GET".equals(method) || "HEAD".equals(method))
                && (path.startsWith(WorkerApi.RESULTS) || path.startsWith(TASKS));
        if (publicRead) return;
        Map<String, String> headers = new HashMap<>(ctx.headerMap());
        RequestAuth.Verified v;
        boolean session = RequestAuth.isSession(headers);
        try {
            if (session) {
                if (path.equals(WorkerApi.REGISTER)) {
                    throw new RequestAuth.Refused("register with a request signed by the worker's key, not a session");
                }
                v = sessions.verify(method, path, ctx.bodyAsBytes(), headers, System.currentTimeMillis());
            } else {
                v = RequestAuth.verify(method, path, ctx.bodyAsBytes(), headers, System.currentTimeMillis(),
                        service.replay()::nonceFloor);
            }
        } catch (RequestAuth.Refused e) {
            throw new SchedulerService.Rejected(401, e.getMessage());
        }
        if (!path.equals(WorkerApi.REGISTER) && !service.replay().registered(v.worker())) {
            throw new SchedulerService.Rejected(403, "worker " + v.worker() + " is not registered: POST "
                    + WorkerApi.REGISTER + " first");
        }
        // A session's nonces were checked and recorded by the session; a key-signed nonce is recorded here.
        if (!service.replay().seen(v.worker(), session ? -1 : v.nonce())) {
            throw new SchedulerService.Rejected(401, "replayed request: nonce " + v.nonce() + " was used before");
        }
        ctx.attribute(WORKER, v);
    }

    private static String worker(Context ctx) {
        RequestAuth.Verified v = ctx.attribute(WORKER);
        return v.worker();
    }

    private static long nonce(Context ctx) {
        RequestAuth.Verified v = ctx.attribute(WORKER);
        return v.nonce();
    }

    private static <T> T read(Context ctx, Class<T> type) throws IOException {
        return JSON.readValue(ctx.bodyAsBytes(), type);
    }

    private static void reply(Context ctx, Object body) throws IOException {
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private static void error(Context ctx, int status, String message) {
        try {
            ctx.status(status).contentType("application/json")
                    .result(JSON.writeValueAsBytes(new WorkerApi.Error(message)));
        } catch (IOException e) {
            ctx.status(status).result(message);
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        app.stop();
    }
}
