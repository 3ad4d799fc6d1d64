package io.gridchain.scheduler.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.Delivery;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.http.BoundedBody;
import io.gridchain.protocol.http.Https;
import io.gridchain.scheduler.SchedulerService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The scheduler's HTTP API (docs/API.md). Worker routes require an authenticated request
 * ({@link RequestAuth}): signed by the worker's key (always accepted, and required to register), or
 * MACed under the session the worker opened when it registered. Results, task views, the pool's scope and its
 * workers alive are public reads.
 *
 * <p>A hostile client is refused before it costs much: a request is authenticated from its headers, and refused
 * without its body being read; only then is the body read, bounded whatever its transfer encoding
 * ({@link BoundedBody}), and checked against the hash the headers signed. Registrations and sessions have quotas
 * ({@link HttpLimits}).
 */
public final class WorkerHttpApi implements AutoCloseable {
    public static final String TASKS = "/v1/tasks/";
    /** The explorer's read, not a worker's: so here, like {@link #TASKS}, rather than in {@link WorkerApi}. */
    public static final String WORKERS = "/v1/workers";
    private static final String WORKER = "gridchain.worker";
    private static final String BODY = "gridchain.body";
    static final int UPLOADS_PER_WORKER = 2;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final SchedulerService service;
    private final HttpLimits limits;
    private final RequestAuth.Scope scope;
    private final Javalin app;
    /** Open sessions: in memory, so they die with the scheduler (workers then register again). */
    private final RequestAuth.Sessions sessions;
    private final RateQuota newWorkersByIp;
    private final RateQuota registrationsByWorker;
    private final Map<String, Integer> uploading = new ConcurrentHashMap<>();

    public WorkerHttpApi(SchedulerService service, String host, int port, long maxUploadBytes) {
        this(service, host, port, HttpLimits.DEFAULT.withMaxUploadBytes(maxUploadBytes));
    }

    public WorkerHttpApi(SchedulerService service, String host, int port, HttpLimits limits) {
        this(service, host, port, limits, null, app -> { });
    }

    /**
     * @param tls serves HTTPS only with this context ({@link io.gridchain.protocol.http.Tls#serverContext}); null
     *     for plain HTTP
     * @param extras more routes and handlers (metrics), installed before the server starts
     */
    public WorkerHttpApi(SchedulerService service, String host, int port, HttpLimits limits, SSLContext tls,
            Consumer<Javalin> extras) {
        this.service = service;
        this.limits = limits;
        this.scope = service.scope();
        this.sessions = new RequestAuth.Sessions(scope, limits.maxSessions());
        this.newWorkersByIp = new RateQuota(limits.newWorkersPerIp(), limits.quotaWindowMillis(), 100_000);
        this.registrationsByWorker = new RateQuota(limits.registrationsPerWorker(), limits.quotaWindowMillis(), 100_000);
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = Math.max(limits.maxUploadBytes(), limits.maxRequestBytes());
            // Jetty holds a request until its body starts; headers alone must be enough to refuse it
            cfg.jetty.modifyHttpConfiguration(http -> http.setDelayDispatchUntilContent(false));
            Https.configure(cfg, tls, host, port);
        });
        extras.accept(app);
        app.before("/v1/*", this::authenticate);
        app.get(WorkerApi.POOL, ctx -> reply(ctx, scope));
        app.get(WORKERS, ctx -> reply(ctx, service.workersAlive()));
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
        app.put(WorkerApi.RESULTS + "{digest}", this::upload);
        app.head(WorkerApi.RESULTS + "{digest}", ctx -> {
            if (!service.results().hasResult(ctx.pathParam("digest"))) {
                throw new SchedulerService.Rejected(404, "no result " + ctx.pathParam("digest")
                        + " in this pool's store");
            }
            ctx.status(200);
        });
        app.get(WorkerApi.RESULTS + "{digest}", ctx -> {
            // A sealed result has a copy per worker that committed to it; ?copy=N picks one, for a beneficiary
            // whose first copy does not open to the certified digest.
            var copies = service.results().sealedCopies(ctx.pathParam("digest"));
            if (!copies.isEmpty()) {
                int copy = copyIndex(ctx.queryParam("copy"), copies.size());
                var sealed = service.results().sealedResult(ctx.pathParam("digest"), copies.get(copy));
                if (sealed.isPresent()) {
                    ctx.header(ResultEncryption.HEADER, ResultEncryption.SCHEME);
                    ctx.header(ResultEncryption.COPIES_HEADER, Integer.toString(copies.size()));
                    ctx.contentType("application/octet-stream").result(sealed.get());
                    return;
                }
            }
            var bytes = service.results().result(ctx.pathParam("digest"));
            if (bytes.isEmpty()) throw new SchedulerService.Rejected(404, "no result " + ctx.pathParam("digest")
                    + " in this pool's store");
            ctx.contentType("application/octet-stream").result(bytes.get());
        });
        app.put(Delivery.DEALS + "{dealId}" + Delivery.SUFFIX, this::delivery);
        app.get(TASKS + "{taskId}/logs", ctx -> reply(ctx, service.logs(ctx.pathParam("taskId"),
                ctx.header(WorkerApi.LOGS_TIME), ctx.header(WorkerApi.LOGS_SIGNATURE))));
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

    private static int copyIndex(String value, int copies) {
        if (value == null) return 0;
        try {
            int i = Integer.parseInt(value);
            if (i >= 0 && i < copies) return i;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new SchedulerService.Rejected(400, "copy must be 0 to " + (copies - 1) + ", got " + value);
    }

    /** Registers the worker; opens a session when the (key-signed) request carries an ephemeral key. */
    private WorkerApi.RegisterResponse register(Context ctx) throws IOException {
        WorkerApi.RegisterRequest request = read(ctx, WorkerApi.RegisterRequest.class);
        service.admit(worker(ctx));
        RequestAuth.Sessions.Opened opened = null;
        if (request.sessionKey() != null) {
            try {
                opened = sessions.open(worker(ctx), request.sessionKey());
            } catch (RequestAuth.Refused e) {
                throw new SchedulerService.Rejected(e instanceof RequestAuth.Busy ? 429 : 400, e.getMessage());
            }
        }
        WorkerApi.RegisterResponse response = service.workers().register(worker(ctx), nonce(ctx), request);
        return opened == null ? response : response.withSession(opened.sessionId(), opened.publicKey());
    }

    /**
     * Authenticates a worker request from its headers alone: everything here refuses a request before its body is
     * read. The route reads the body ({@link #body}).
     */
    private void authenticate(Context ctx) {
        String path = ctx.path();
        String method = ctx.method().name();
        boolean reading = "GET".equals(method) || "HEAD".equals(method);
        // WORKERS is matched whole: the worker routes below it (register, heartbeat) stay authenticated
        boolean publicRead = reading && (path.startsWith(WorkerApi.RESULTS) || path.startsWith(TASKS)
                || path.equals(WorkerApi.POOL) || path.equals(WORKERS));
        if (publicRead) return;
        // a requester's request, signed over its body by the deal's requester (checked by the route): no worker here
        if ("PUT".equals(method) && path.startsWith(Delivery.DEALS) && path.endsWith(Delivery.SUFFIX)) return;
        Map<String, String> headers = new HashMap<>(ctx.headerMap());
        boolean registering = path.equals(WorkerApi.REGISTER);
        boolean session = RequestAuth.isSession(headers);
        long now = System.currentTimeMillis();
        RequestAuth.Verified v;
        try {
            if (session) {
                if (registering) {
                    throw new RequestAuth.Refused("register with a request signed by the worker's key, not a session");
                }
                v = sessions.verify(method, path, headers, now);
            } else {
                String claimed = ctx.header(RequestAuth.WORKER);
                // an unknown key costs no key recovery: only registration is open to it
                if (!registering && claimed != null && !service.replay().registered(claimed.trim().toLowerCase())) {
                    throw notRegistered(claimed.trim().toLowerCase());
                }
                v = RequestAuth.verify(scope, method, path, headers, now, service.replay()::nonceFloor);
            }
        } catch (RequestAuth.Refused e) {
            throw new SchedulerService.Rejected(401, e.getMessage());
        }
        if (!registering && !service.replay().registered(v.worker())) throw notRegistered(v.worker());
        if (registering) takeRegistration(v.worker(), ctx.ip(), now);
        // A session's nonces were checked and recorded by the session; a key-signed nonce is recorded here.
        if (!service.replay().seen(v.worker(), session ? -1 : v.nonce())) {
            throw new SchedulerService.Rejected(401, "replayed request: nonce " + v.nonce() + " was used before");
        }
        ctx.attribute(WORKER, v);
    }

    /**
     * The body of an authenticated request, read on first use (so a route refusing first never reads it) up to the
     * route's limit, and checked against the hash its headers signed.
     */
    private byte[] body(Context ctx) throws IOException {
        byte[] cached = ctx.attribute(BODY);
        if (cached != null) return cached;
        RequestAuth.Verified v = ctx.attribute(WORKER);
        long limit = ctx.path().startsWith(WorkerApi.RESULTS) ? limits.maxUploadBytes() : limits.maxRequestBytes();
        byte[] body;
        try {
            body = BoundedBody.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), limit);
            v.checkBody(body);
        } catch (BoundedBody.TooLarge e) {
            throw new SchedulerService.Rejected(413, e.getMessage());
        } catch (RequestAuth.Refused e) {
            throw new SchedulerService.Rejected(401, e.getMessage());
        }
        ctx.attribute(BODY, body);
        return body;
    }

    /**
     * Stores an upload: refused before its body is read when it would not be kept, and at most
     * {@link #UPLOADS_PER_WORKER} at once per worker, so one worker holds at most that many bodies in memory.
     */
    private void upload(Context ctx) throws IOException {
        String worker = worker(ctx);
        String digest = ctx.pathParam("digest");
        service.results().admit(worker, digest, ctx.req().getContentLengthLong());
        if (uploading.merge(worker, 1, Integer::sum) > UPLOADS_PER_WORKER) {
            uploading.merge(worker, -1, Integer::sum);
            throw new SchedulerService.Rejected(429, "worker " + worker + " already has " + UPLOADS_PER_WORKER
                    + " uploads in flight: wait for one to finish");
        }
        try {
            service.results().putResult(worker, digest, body(ctx));
        } finally {
            uploading.computeIfPresent(worker, (w, n) -> n > 1 ? n - 1 : null);
        }
        reply(ctx, new WorkerApi.Ack(1));
    }

    /** A requester names where its deal's results also go ({@link Delivery}); its small body is read bounded. */
    private void delivery(Context ctx) throws IOException {
        byte[] body;
        try {
            body = BoundedBody.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                    Delivery.MAX_BODY_BYTES);
        } catch (BoundedBody.TooLarge e) {
            throw new SchedulerService.Rejected(413, e.getMessage());
        }
        ctx.attribute(BODY, body);
        reply(ctx, service.deliver(ctx.pathParam("dealId"), ctx.header(WorkerApi.LOGS_TIME),
                ctx.header(WorkerApi.LOGS_SIGNATURE), body));
    }

    private static SchedulerService.Rejected notRegistered(String worker) {
        return new SchedulerService.Rejected(403, "worker " + worker + " is not registered: POST "
                + WorkerApi.REGISTER + " first");
    }

    /** Registration quotas: new addresses per IP, and registrations per address; a refused one stores nothing. */
    private void takeRegistration(String worker, String ip, long now) {
        boolean known = service.replay().registered(worker);
        if (!known && !newWorkersByIp.take(ip, now)) {
            throw new SchedulerService.Rejected(429, "too many new workers registered from " + ip + " (at most "
                    + limits.newWorkersPerIp() + " per " + limits.quotaWindowMillis() / 1000 + " s): try later");
        }
        if (!registrationsByWorker.take(worker, now)) {
            throw new SchedulerService.Rejected(429, "worker " + worker + " registered too often (at most "
                    + limits.registrationsPerWorker() + " per " + limits.quotaWindowMillis() / 1000 + " s): try later");
        }
    }

    private static String worker(Context ctx) {
        RequestAuth.Verified v = ctx.attribute(WORKER);
        return v.worker();
    }

    private static long nonce(Context ctx) {
        RequestAuth.Verified v = ctx.attribute(WORKER);
        return v.nonce();
    }

    private <T> T read(Context ctx, Class<T> type) throws IOException {
        return JSON.readValue(body(ctx), type);
    }

    private static void reply(Context ctx, Object body) throws IOException {
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private static void error(Context ctx, int status, String message) {
        // A refused body is never read: closing the connection spares the server from draining it (Jetty would
        // otherwise wait for a declared body the client may never send before it answers).
        if (ctx.attribute(BODY) == null) ctx.header("Connection", "close");
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
