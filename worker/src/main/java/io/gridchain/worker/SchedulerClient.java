package io.gridchain.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * The worker's side of {@link WorkerApi}: JSON over HTTP, every request authenticated over (method, API path,
 * exact body bytes). Registration is signed with the worker's key ({@link RequestAuth.Signer}) and carries an
 * ephemeral public key ({@link RequestAuth.Handshake}); when the scheduler answers with a session, later
 * requests are MACed under the session key ({@link RequestAuth.Session}), which costs no signature. Without a
 * session (an older scheduler, or one that forgot the session: it then answers 401 "unknown session ...
 * register again") requests are key-signed.
 *
 * <p>Requests are sent one at a time (signing and sending under one lock), so the scheduler receives this
 * worker's nonces in increasing order and never refuses a request as replayed because two raced. Transient
 * failures (no response, 408/425/429, 5xx, or a refusal as replayed) are retried with exponential backoff, each
 * attempt freshly signed; other non-2xx answers throw a {@link SchedulerException} at once carrying the
 * scheduler's one-line {@link WorkerApi.Error} message and the status code.
 *
 * <p>Requests are blocking calls on the caller's thread ({@link HttpURLConnection} over the JDK's keep-alive
 * cache). {@code java.net.http} ran every exchange through its selector and executor threads, hand-offs that cost
 * about a millisecond each on a loaded machine, and OkHttp wakes its pool's cleanup thread at every request: in a
 * throughput run, context switches were the largest cost in the kernel.
 *
 * <p>Every request is signed for one scheduler ({@link RequestAuth.Scope}: its workerpool and chain), which the
 * client reads once from the scheduler's public {@link WorkerApi#POOL} before its first signed request; a request
 * captured on its way cannot be replayed to another scheduler.
 *
 * <p>The signed path is the API path (e.g. {@code /v1/replicates/claim}, {@code /v1/results/0x...}), without the
 * query string and without any path prefix of the scheduler URL.
 *
 * <p>A little over 300 lines: one route per request of the worker API, over one authenticated send-and-retry path
 * that every route must share.
 */
public class SchedulerClient implements SchedulerPort {

    private static final Logger log = LoggerFactory.getLogger(SchedulerClient.class);

    /** User agent and {@link WorkerApi.RegisterRequest#agent()}. */
    public static final String AGENT = "gridchain-worker/0.1.0";

    /** Changes only when the pool's scheduler moved ({@link #moveTo}). */
    private volatile String baseUrl;
    private final Credentials key;
    /** Null until the scheduler's scope is known (given, or read from {@link WorkerApi#POOL}). */
    private volatile RequestAuth.Signer signer;
    private final ObjectMapper json;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration requestTimeout;
    private final ReentrantLock sending = new ReentrantLock(true);
    /** The session opened by the last registration, or null: requests are then key-signed. */
    private volatile RequestAuth.Session session;
    /** The scheduler forgot the session (it restarted): requests are key-signed until the worker registers again. */
    private volatile boolean sessionLost;

    public SchedulerClient(String baseUrl, Credentials key) {
        this(baseUrl, key, 4, Duration.ofMillis(200), Duration.ofSeconds(60));
    }

    /**
     * @param maxAttempts    attempts per call for transient failures (at least 1)
     * @param firstBackoff   wait after the first transient failure; doubled on each retry, at most 5 s
     * @param requestTimeout how long one attempt may take
     */
    public SchedulerClient(String baseUrl, Credentials key, int maxAttempts, Duration firstBackoff,
            Duration requestTimeout) {
        this(baseUrl, key, null, maxAttempts, firstBackoff, requestTimeout);
    }

    /** @param scope the scheduler's workerpool and chain, or null to read them from the scheduler */
    public SchedulerClient(String baseUrl, Credentials key, RequestAuth.Scope scope, int maxAttempts,
            Duration firstBackoff, Duration requestTimeout) {
        String base = Objects.requireNonNull(baseUrl, "baseUrl").strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.baseUrl = base;
        this.key = Objects.requireNonNull(key, "key");
        this.signer = scope == null ? null : new RequestAuth.Signer(key, scope);
        this.maxAttempts = Math.max(1, maxAttempts);
        this.firstBackoff = firstBackoff;
        this.requestTimeout = requestTimeout;
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** The worker's address as sent in {@link RequestAuth#WORKER}. */
    public String address() {
        return org.web3j.crypto.Keys.toChecksumAddress(key.getAddress()).toLowerCase();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Sends every later request to the scheduler at {@code url}: the pool's scheduler moved (its owner published
     * another URL). The scope stays (the same pool on the same chain); the session is dropped, so the worker
     * registers there before its next claim.
     */
    public void moveTo(String url) {
        String base = Objects.requireNonNull(url, "url").strip().replaceAll("/+$", "");
        sending.lock();
        try {
            baseUrl = base;
            session = null;
            sessionLost = true;
        } finally {
            sending.unlock();
        }
    }

    /**
     * Registers, always key-signed, offering a session: the request carries a fresh ephemeral public key; if
     * the answer names a session, later requests use it.
     */
    public WorkerApi.RegisterResponse register(WorkerApi.RegisterRequest request) {
        RequestAuth.Handshake handshake = new RequestAuth.Handshake();
        session = null;
        sessionLost = false;
        WorkerApi.RegisterResponse response = post(WorkerApi.REGISTER,
                new WorkerApi.RegisterRequest(request.slots(), request.agent(), handshake.publicKey()),
                WorkerApi.RegisterResponse.class);
        if (response != null && response.session() != null && response.sessionKey() != null) {
            try {
                session = handshake.complete(signer.scope(), address(), response.session(), response.sessionKey());
            } catch (RequestAuth.Refused e) {
                log.warn("the scheduler's session answer is unusable ({}); signing every request", e.getMessage());
            }
        }
        return response;
    }

    /**
     * True when the scheduler answered that it does not know this client's session (it restarted): the request
     * was sent again signed by the key, and the worker should register again to open a new session.
     */
    public boolean sessionLost() {
        return sessionLost;
    }

    /** The open session's id, or null when requests are key-signed. */
    public String sessionId() {
        RequestAuth.Session s = session;
        return s == null ? null : s.id();
    }

    public WorkerApi.HeartbeatResponse heartbeat(WorkerApi.Heartbeat request) {
        return post(WorkerApi.HEARTBEAT, request, WorkerApi.HeartbeatResponse.class);
    }

    public WorkerApi.ClaimResponse claim(WorkerApi.ClaimRequest request) {
        return post(WorkerApi.CLAIM, request, WorkerApi.ClaimResponse.class);
    }

    public WorkerApi.CommitResponse commit(WorkerApi.CommitRequest request) {
        return post(WorkerApi.COMMIT, request, WorkerApi.CommitResponse.class);
    }

    public WorkerApi.Ack reveal(WorkerApi.RevealRequest request) {
        return post(WorkerApi.REVEAL, request, WorkerApi.Ack.class);
    }

    public WorkerApi.Ack fail(WorkerApi.FailRequest request) {
        return post(WorkerApi.FAIL, request, WorkerApi.Ack.class);
    }

    /** Answers a {@link WorkerApi.SignRequest}: POST {@link WorkerApi#SIGN} with the batch signature. */
    public WorkerApi.Ack sign(WorkerApi.SignResponse response) {
        return post(WorkerApi.SIGN, response, WorkerApi.Ack.class);
    }

    /** PUT {@code /v1/results/{digest}} with the result archive as the body ({@code application/octet-stream}). */
    public void putResult(String digest, byte[] archive) {
        send("PUT", WorkerApi.RESULTS + digest, archive, "application/octet-stream");
    }

    /** HEAD {@code /v1/results/{digest}}: whether the scheduler's store already holds that result. */
    public boolean hasResult(String digest) {
        try {
            send("HEAD", WorkerApi.RESULTS + digest, new byte[0], null);
            return true;
        } catch (SchedulerException e) {
            if (e.status() == 404 || e.status() == 405) {
                return false; // 405: a scheduler without HEAD; the upload decides
            }
            throw e;
        }
    }

    /** GET {@code /v1/results/{digest}}: the archive bytes. */
    public byte[] getResult(String digest) {
        return send("GET", WorkerApi.RESULTS + digest, new byte[0], null);
    }

    private <T> T post(String path, Object request, Class<T> type) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + request + " as JSON", e);
        }
        byte[] response = send("POST", path, body, "application/json");
        if (response.length == 0 || type == Void.class) {
            return null;
        }
        try {
            return json.readValue(response, type);
        } catch (IOException e) {
            throw new SchedulerException(200, "POST", path, "the scheduler answered POST " + path
                    + " with an unreadable " + type.getSimpleName() + ": " + oneLine(e.getMessage()), e);
        }
    }

    /** Sends one request, retrying transient failures; returns the 2xx response body. */
    byte[] send(String method, String path, byte[] body, String contentType) {
        long backoff = firstBackoff.toMillis();
        SchedulerException last = null;
        boolean resent = false;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return attempt(method, path, body, contentType);
            } catch (SchedulerException e) {
                if (!resent && e.status() == 401 && e.getMessage().startsWith("unknown session")) {
                    resent = true; // the session is gone: the same request again, signed by the key, at once
                    attempt--;
                    continue;
                }
                boolean replayed = e.status() / 100 == 4 && e.getMessage() != null
                        && e.getMessage().contains("replayed request");
                if (!(e.isTransient() || replayed) || attempt == maxAttempts) {
                    throw e;
                }
                last = e;
                log.debug("{} {} failed (attempt {}/{}), retrying in {} ms: {}", method, path, attempt, maxAttempts,
                        backoff, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        throw last;
    }

    private byte[] attempt(String method, String path, byte[] body, String contentType) {
        int status;
        byte[] bytes;
        sending.lock();
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(baseUrl + path).openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
            c.setRequestMethod(method);
            c.setRequestProperty("User-Agent", AGENT);
            c.setRequestProperty("Accept", "application/json");
            RequestAuth.Session s = path.equals(WorkerApi.REGISTER) ? null : session;
            Map<String, String> auth = s != null ? s.headers(method, path, body) : signer().headers(method, path, body);
            for (Map.Entry<String, String> h : auth.entrySet()) {
                c.setRequestProperty(h.getKey(), h.getValue());
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                c.setRequestProperty("Content-Type", contentType == null ? "application/octet-stream" : contentType);
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                bytes = new byte[0];
            } else {
                try (in) {
                    bytes = in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new SchedulerException(0, method, path,
                    "cannot reach the scheduler at " + baseUrl + " (" + method + " " + path + "): " + reason(e), e);
        } finally {
            sending.unlock();
        }
        if (status / 100 == 2) {
            return bytes;
        }
        String message = errorMessage(status, bytes);
        if (status == 401 && message.startsWith("unknown session")) {
            session = null; // the scheduler forgot it (restarted): key-signed until registered again
            sessionLost = true;
        }
        throw new SchedulerException(status, method, path, message, null);
    }

    /** The signer, reading the scheduler's scope first if it is not known yet (call under the sending lock). */
    private RequestAuth.Signer signer() throws IOException {
        RequestAuth.Signer s = signer;
        if (s != null) return s;
        HttpURLConnection c = (HttpURLConnection) new URL(baseUrl + WorkerApi.POOL).openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
        c.setRequestProperty("User-Agent", AGENT);
        int status = c.getResponseCode();
        if (status != 200) {
            InputStream err = c.getErrorStream();
            byte[] bytes = err == null ? new byte[0] : err.readAllBytes();
            throw new SchedulerException(status, "GET", WorkerApi.POOL, "cannot read the scheduler's workerpool and "
                    + "chain: " + errorMessage(status, bytes), null);
        }
        try (InputStream in = c.getInputStream()) {
            RequestAuth.Scope scope = json.readValue(in.readAllBytes(), RequestAuth.Scope.class);
            if (scope == null || scope.workerpool() == null) throw new IOException("the answer names no workerpool");
            s = new RequestAuth.Signer(key, scope);
        }
        signer = s;
        return s;
    }

    private String errorMessage(int status, byte[] body) {
        if (body.length > 0) {
            try {
                WorkerApi.Error error = json.readValue(body, WorkerApi.Error.class);
                if (error != null && error.error() != null && !error.error().isBlank()) {
                    return oneLine(error.error());
                }
            } catch (IOException | RuntimeException ignored) {
                // not the error JSON: fall through
            }
            String text = oneLine(new String(body, StandardCharsets.UTF_8));
            if (!text.isBlank()) {
                return "HTTP " + status + ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
            }
        }
        return "HTTP " + status + " from the scheduler";
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A readable reason for an I/O failure (Java's HttpClient often leaves the message empty). */
    public static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String message = t.getMessage();
                return message == null || message.isBlank() || message.toLowerCase().contains("refused")
                        ? "connection refused" : oneLine(message);
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return oneLine(t.getMessage());
            }
        }
        return e.getClass().getSimpleName();
    }
}
