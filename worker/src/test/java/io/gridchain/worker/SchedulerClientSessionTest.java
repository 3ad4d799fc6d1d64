package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** The client against a scheduler that opens sessions: registration key-signed, then MACed requests. */
class SchedulerClientSessionTest {
    private static final Credentials KEY =
            Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    private static final RequestAuth.Scope SCOPE = new RequestAuth.Scope("0x" + "a".repeat(40), 31337);

    private final ObjectMapper json = new ObjectMapper();
    private volatile RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 100);
    private final Map<String, Long> lastNonce = new ConcurrentHashMap<>();
    /** "key" or "session", per request received. */
    private final List<String> modes = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private SchedulerClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        client = new SchedulerClient("http://127.0.0.1:" + server.getAddress().getPort(), KEY, 1, Duration.ofMillis(1),
                Duration.ofSeconds(10));
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
            if (path.equals(WorkerApi.POOL)) {
                // the client reads the scheduler's scope once, before its first signed request
                reply(exchange, 200, json.writeValueAsBytes(SCOPE));
                return;
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            RequestAuth.Verified v;
            try {
                synchronized (lastNonce) {
                    if (RequestAuth.isSession(headers)) {
                        v = sessions.verify(method, path, body, headers, System.currentTimeMillis());
                        modes.add("session");
                    } else {
                        v = RequestAuth.verify(SCOPE, method, path, body, headers, System.currentTimeMillis(),
                                w -> lastNonce.getOrDefault(w, -1L));
                        lastNonce.put(v.worker(), v.nonce());
                        modes.add("key");
                    }
                }
            } catch (RequestAuth.Refused e) {
                reply(exchange, 401, json.writeValueAsBytes(new WorkerApi.Error(e.getMessage())));
                return;
            }
            Object answer;
            if (path.equals(WorkerApi.REGISTER)) {
                WorkerApi.RegisterRequest r = json.readValue(body, WorkerApi.RegisterRequest.class);
                WorkerApi.RegisterResponse response = new WorkerApi.RegisterResponse("0xpool", "0xhub", 1, "0", 1);
                if (r.sessionKey() != null) {
                    try {
                        RequestAuth.Sessions.Opened o = sessions.open(v.worker(), r.sessionKey());
                        response = response.withSession(o.sessionId(), o.publicKey());
                    } catch (RequestAuth.Refused e) {
                        reply(exchange, 400, json.writeValueAsBytes(new WorkerApi.Error(e.getMessage())));
                        return;
                    }
                }
                answer = response;
            } else {
                answer = new WorkerApi.ClaimResponse(List.of());
            }
            reply(exchange, 200, json.writeValueAsBytes(answer));
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Test
    void registrationOpensASessionThatLaterRequestsUse() {
        client.claim(new WorkerApi.ClaimRequest(1));
        assertThat(client.sessionId()).isNull();
        WorkerApi.RegisterResponse r = client.register(new WorkerApi.RegisterRequest(2, "test"));
        assertThat(r.session()).isNotNull();
        assertThat(client.sessionId()).isEqualTo(r.session());
        client.claim(new WorkerApi.ClaimRequest(1));
        client.claim(new WorkerApi.ClaimRequest(1));
        assertThat(modes).containsExactly("key", "key", "session", "session");
    }

    @Test
    void aForgottenSessionFallsBackToTheKeyAtOnceAndAsksToRegisterAgain() {
        client.register(new WorkerApi.RegisterRequest(2, "test"));
        sessions = new RequestAuth.Sessions(SCOPE, 100); // the scheduler restarted
        client.claim(new WorkerApi.ClaimRequest(1)); // refused as "unknown session", sent again key-signed
        assertThat(client.sessionId()).isNull();
        assertThat(client.sessionLost()).isTrue();
        assertThat(modes).containsExactly("key", "key");
        client.register(new WorkerApi.RegisterRequest(2, "test"));
        assertThat(client.sessionLost()).isFalse();
        client.claim(new WorkerApi.ClaimRequest(1));
        assertThat(modes).containsExactly("key", "key", "key", "session");
    }
}
