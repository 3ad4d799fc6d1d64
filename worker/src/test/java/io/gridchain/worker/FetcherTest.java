package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.gridchain.apps.ExampleApps;
import io.gridchain.runtime.ResultDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetcherTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private String base;
    private final AtomicInteger served = new AtomicInteger();
    private final byte[] content = "hello, gridchain input\n".getBytes(StandardCharsets.UTF_8);
    private Fetcher fetcher;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals("/data/input.txt")) {
                    served.incrementAndGet();
                    exchange.sendResponseHeaders(200, content.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(content);
                    }
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        fetcher = new Fetcher(tmp.resolve("cache"), Duration.ofSeconds(5), Duration.ofSeconds(30), 1 << 20);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String sha(byte[] bytes) {
        return "0x" + ResultDigest.sha256Hex(bytes);
    }

    @Test
    void downloadsAndVerifiesTheChecksum() throws Exception {
        byte[] bytes = fetcher.fetch(base + "/data/input.txt", sha(content), "input input.txt");
        assertThat(bytes).isEqualTo(content);
        assertThat(fetcher.downloads()).isEqualTo(1);
        assertThat(served).hasValue(1);
        assertThat(tmp.resolve("cache/sha256/" + ResultDigest.sha256Hex(content))).hasBinaryContent(content);
    }

    @Test
    void plainHexChecksumsAndNoChecksumAreAccepted() throws Exception {
        assertThat(fetcher.fetch(base + "/data/input.txt", ResultDigest.sha256Hex(content).toUpperCase(), "input"))
                .isEqualTo(content);
        assertThat(fetcher.fetch(base + "/data/input.txt", null, "input")).isEqualTo(content);
    }

    @Test
    void aCacheHitDoesNotDownloadAgain() throws Exception {
        fetcher.fetch(base + "/data/input.txt", sha(content), "input");
        byte[] again = fetcher.fetch(base + "/data/input.txt", sha(content), "input");
        assertThat(again).isEqualTo(content);
        assertThat(fetcher.downloads()).isEqualTo(1);
        assertThat(fetcher.cacheHits()).isEqualTo(1);
        assertThat(served).hasValue(1);

        // the cache is keyed by content: another fetcher on the same directory, even another URI, hits it
        Fetcher other = new Fetcher(tmp.resolve("cache"));
        assertThat(other.fetch(base + "/elsewhere", sha(content), "input")).isEqualTo(content);
        assertThat(other.cacheHits()).isEqualTo(1);
        assertThat(other.downloads()).isZero();
    }

    @Test
    void aCorruptedCacheEntryIsFetchedAgain() throws Exception {
        fetcher.fetch(base + "/data/input.txt", sha(content), "input");
        Files.writeString(tmp.resolve("cache/sha256/" + ResultDigest.sha256Hex(content)), "tampered");
        Fetcher restarted = new Fetcher(tmp.resolve("cache")); // nothing in memory: the disk entry is read
        assertThat(restarted.fetch(base + "/data/input.txt", sha(content), "input")).isEqualTo(content);
        assertThat(restarted.downloads()).isEqualTo(1);
        assertThat(tmp.resolve("cache/sha256/" + ResultDigest.sha256Hex(content))).hasBinaryContent(content);
    }

    @Test
    void repeatedFetchesAreServedFromMemoryAsCopies() throws Exception {
        byte[] first = fetcher.fetch(base + "/data/input.txt", sha(content), "input");
        first[0] ^= 1; // a caller changing its copy changes nothing for the next
        Files.delete(tmp.resolve("cache/sha256/" + ResultDigest.sha256Hex(content)));
        assertThat(fetcher.fetch(base + "/data/input.txt", sha(content), "input")).isEqualTo(content);
        assertThat(fetcher.downloads()).isEqualTo(1);
        assertThat(fetcher.cacheHits()).isEqualTo(1);
    }

    @Test
    void aChecksumMismatchSaysWhatWasExpectedAndWhatCame() {
        String wrong = "0x" + "ab".repeat(32);
        assertThatThrownBy(() -> fetcher.fetch(base + "/data/input.txt", wrong, "app"))
                .isInstanceOfSatisfying(FetchFailure.class,
                        f -> assertThat(f.cause()).isEqualTo(FetchFailure.Cause.CHECKSUM_MISMATCH))
                .hasMessage("app checksum mismatch: expected " + wrong + ", got " + sha(content));
        assertThat(tmp.resolve("cache/sha256/" + "ab".repeat(32))).doesNotExist();
    }

    @Test
    void aMalformedChecksumIsAChecksumMismatch() {
        assertThatThrownBy(() -> fetcher.fetch(base + "/data/input.txt", "0x1234", "app"))
                .isInstanceOfSatisfying(FetchFailure.class,
                        f -> assertThat(f.cause()).isEqualTo(FetchFailure.Cause.CHECKSUM_MISMATCH))
                .hasMessageContaining("'0x1234' is not a sha256");
    }

    @Test
    void notFoundIsAFetchFailure() {
        String url = base + "/missing.wasm";
        assertThatThrownBy(() -> fetcher.fetch(url, null, "app"))
                .isInstanceOfSatisfying(FetchFailure.class,
                        f -> assertThat(f.cause()).isEqualTo(FetchFailure.Cause.FETCH_FAILED))
                .hasMessage("cannot download " + url + ": HTTP 404 not found");
    }

    @Test
    void anUnreachablePortIsAFetchFailure() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/app.wasm";
        assertThatThrownBy(() -> fetcher.fetch(url, sha(content), "app"))
                .isInstanceOfSatisfying(FetchFailure.class,
                        f -> assertThat(f.cause()).isEqualTo(FetchFailure.Cause.FETCH_FAILED))
                .hasMessage("cannot download " + url + ": connection refused");
    }

    @Test
    void fileUris() throws Exception {
        Path file = Files.write(tmp.resolve("local.bin"), content);
        assertThat(fetcher.fetch(file.toUri().toString(), sha(content), "input")).isEqualTo(content);
        String missing = tmp.resolve("nope.bin").toUri().toString();
        assertThatThrownBy(() -> fetcher.fetch(missing, null, "input"))
                .isInstanceOfSatisfying(FetchFailure.class,
                        f -> assertThat(f.cause()).isEqualTo(FetchFailure.Cause.FETCH_FAILED))
                .hasMessage("cannot download " + missing + ": no such file");
    }

    @Test
    void builtInAppsResolve() throws Exception {
        byte[] primes = ExampleApps.load("primes");
        assertThat(fetcher.fetch("gridchain:apps/primes.wasm", sha(primes), "app")).isEqualTo(primes);
        assertThatThrownBy(() -> fetcher.fetch("gridchain:apps/nope.wasm", null, "app"))
                .isInstanceOfSatisfying(FetchFailure.class,
                        f -> assertThat(f.cause()).isEqualTo(FetchFailure.Cause.FETCH_FAILED))
                .hasMessageStartingWith("cannot download gridchain:apps/nope.wasm: no built-in app 'nope'");
    }

    @Test
    void unsupportedSchemes() {
        assertThatThrownBy(() -> fetcher.fetch("ftp://example.org/x", null, "app"))
                .isInstanceOf(FetchFailure.class)
                .hasMessageContaining("unsupported scheme 'ftp'");
    }
}
