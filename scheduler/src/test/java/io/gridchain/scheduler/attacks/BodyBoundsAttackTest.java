package io.gridchain.scheduler.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.scheduler.api.HttpLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Attacks on the scheduler's request bodies, sent by hand over a socket against a started scheduler: bodies too
 * large for their route (declared, or chunked without end), and bodies behind headers that do not authenticate.
 * Each is refused without the body being read whole, and an honest worker is served after it.
 */
class BodyBoundsAttackTest {
    private static final long LIMIT = 64 * 1024;
    private static final byte[] CHUNK = new byte[8192];

    static LocalProtocol net;
    static AttackedScheduler scheduler;
    static Credentials honest;
    static Credentials attacker;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        net = LocalProtocol.start();
        scheduler = AttackedScheduler.start(net, 3, HttpLimits.DEFAULT.withMaxRequestBytes(LIMIT)
                .withMaxUploadBytes(4 * LIMIT), dir);
        honest = net.accounts().get(5);
        attacker = net.accounts().get(6);
        for (Credentials c : List.of(honest, attacker)) assertThat(scheduler.register(c).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (scheduler != null) scheduler.close();
        if (net != null) net.close();
    }

    @AfterEach
    void anHonestWorkerIsStillServed() throws Exception {
        var beat = scheduler.post(honest, WorkerApi.HEARTBEAT, "{\"running\":[]}");
        assertThat(beat.statusCode()).as(beat.body()).isEqualTo(200);
    }

    /** The attacker's signed headers for a body it describes by {@code bodyHash}, plus {@code extra}. */
    private static Map<String, String> signed(String path, byte[] claimedBody, Map<String, String> extra) {
        Map<String, String> h = new HashMap<>(new RequestAuth.Signer(attacker, scheduler.scope())
                .headers("POST", path, claimedBody));
        h.put("Content-Type", "application/json");
        h.putAll(extra);
        return h;
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAByteOfTheBodyIsSent() throws Exception {
        try (RawHttp http = new RawHttp(scheduler.port())) {
            http.head("POST", WorkerApi.HEARTBEAT, signed(WorkerApi.HEARTBEAT, new byte[0],
                    Map.of("Content-Length", Long.toString(1L << 30))));
            RawHttp.Response r = http.response();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("over this route's limit of " + LIMIT + " bytes").doesNotContain("\n");
        }
    }

    @Test
    void aChunkedBodyThatNeverEndsIsCutOffAtTheLimit() throws Exception {
        try (RawHttp http = new RawHttp(scheduler.port())) {
            http.head("POST", WorkerApi.HEARTBEAT, signed(WorkerApi.HEARTBEAT, new byte[0],
                    Map.of("Transfer-Encoding", "chunked")));
            // 1 GiB, far more than the socket buffers hold: only a server that reads it all lets it through
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                long total = 0;
                try {
                    while (total < (1L << 30)) {
                        http.chunk(CHUNK);
                        total += CHUNK.length;
                    }
                } catch (IOException e) {
                    return total; // the server hung up on the endless body
                }
                return -1L;
            });
            RawHttp.Response r = http.response();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("over this route's limit of " + LIMIT + " bytes");
            http.close();
            assertThat(sent.get()).as("bytes the attacker got through before the server hung up").isNotNegative()
                    .isLessThan(1L << 30);
        }
    }

    /**
     * Sends {@code headers} with a chunked body of which only the first chunk ever comes: an answer can only come
     * from the headers.
     */
    private static RawHttp.Response unfinished(String method, String path, Map<String, String> headers)
            throws IOException {
        try (RawHttp http = new RawHttp(scheduler.port())) {
            Map<String, String> h = new HashMap<>(headers);
            h.put("Transfer-Encoding", "chunked");
            http.head(method, path, h);
            http.chunk(CHUNK);
            return http.response();
        }
    }

    @Test
    void anUploadFromAWorkerHoldingNoReplicateIsRefusedBeforeItsBodyIsRead() throws Exception {
        String path = WorkerApi.RESULTS + "0x" + "ab".repeat(32);
        RawHttp.Response r = unfinished("PUT", path, new RequestAuth.Signer(attacker, scheduler.scope())
                .headers("PUT", path, new byte[0]));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("holds no replicate");
    }

    @Test
    void aForgedSignatureIsRefusedWithoutReadingTheBody() throws Exception {
        Map<String, String> h = signed(WorkerApi.CLAIM, "{\"max\":1}".getBytes(StandardCharsets.UTF_8), Map.of());
        h.put(RequestAuth.SIGNATURE, "0x" + "11".repeat(65));
        RawHttp.Response r = unfinished("POST", WorkerApi.CLAIM, h);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("signature");
    }

    @Test
    void aMissingSignatureIsRefusedWithoutReadingTheBody() throws Exception {
        RawHttp.Response r = unfinished("POST", WorkerApi.CLAIM, Map.of(RequestAuth.WORKER, attacker.getAddress()));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).contains("missing header");
    }

    @Test
    void anUnregisteredKeyIsRefusedWithoutReadingTheBody() throws Exception {
        Credentials stranger = Credentials.create("0x" + "7".repeat(64));
        RawHttp.Response r = unfinished("POST", WorkerApi.CLAIM, new RequestAuth.Signer(stranger, scheduler.scope())
                .headers("POST", WorkerApi.CLAIM, new byte[0]));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("is not registered");
    }

    @Test
    void aBodySwappedUnderSignedHeadersIsRefused() throws Exception {
        byte[] signedBody = "{\"max\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] swapped = "{\"max\":9}".getBytes(StandardCharsets.UTF_8);
        var r = scheduler.send("POST", WorkerApi.CLAIM, signed(WorkerApi.CLAIM, signedBody, Map.of()), swapped);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("does not hash to the signed X-Gridchain-Body");
    }
}
