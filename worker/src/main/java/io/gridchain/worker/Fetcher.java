package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import io.gridchain.apps.ExampleApps;
import io.gridchain.runtime.ResultDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches app modules and input files by URI, verifying their sha256, with a content cache under
 * {@code cacheDir/sha256/HEX} ({@link ContentCache}: bounded in size, entries fetched under a placement directive kept
 * for its lifetime and reported to the scheduler).
 *
 * <p>Schemes: {@code http://} and {@code https://} (Java's HttpClient, redirects followed, connect and request
 * timeouts), {@code file://} (a local file), and {@code gridchain:apps/NAME.wasm} (an example app carried by the
 * {@code gridchain-apps} jar).
 *
 * <p>With a checksum ({@code 0x}-hex or plain hex sha256) the cache is consulted first: a hit is returned without
 * touching the source. A disk entry is re-verified when read (a corrupted one is dropped and fetched again); the
 * contents used lately are also kept in memory, verified, and handed out as copies. Fetched bytes whose
 * sha256 differs fail with CHECKSUM_MISMATCH; bytes that match are stored. Without a checksum the source is
 * always read (nothing identifies the content in advance). {@link #downloads()} and {@link #cacheHits()} count
 * both outcomes. Thread-safe.
 */
public class Fetcher {

    private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

    /** Default largest app or input accepted: 512 MiB. */
    public static final long DEFAULT_MAX_BYTES = 512L << 20;

    private final HttpClient http;
    private final Duration requestTimeout;
    private final long maxBytes;
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final ContentCache cache;

    public Fetcher(Path cacheDir) {
        this(cacheDir, Duration.ofSeconds(10), Duration.ofMinutes(5), DEFAULT_MAX_BYTES);
    }

    /**
     * @param connectTimeout how long to wait for an HTTP connection
     * @param requestTimeout how long one HTTP download may take
     * @param maxBytes       largest file accepted
     */
    public Fetcher(Path cacheDir, Duration connectTimeout, Duration requestTimeout, long maxBytes) {
        this(cacheDir, connectTimeout, requestTimeout, maxBytes, ContentCache.DEFAULT_MAX_BYTES);
    }

    /** @param cacheMaxBytes most bytes the cache keeps on disk */
    public Fetcher(Path cacheDir, Duration connectTimeout, Duration requestTimeout, long maxBytes, long cacheMaxBytes) {
        this.cache = new ContentCache(cacheDir.resolve("sha256"), cacheMaxBytes, System::currentTimeMillis);
        this.requestTimeout = requestTimeout;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** How many times a source was read (cache misses and checksum-less fetches). */
    public long downloads() {
        return downloads.get();
    }

    /** How many fetches the cache answered. */
    public long cacheHits() {
        return cacheHits.get();
    }

    /**
     * The bytes behind {@code uri}.
     *
     * @param uri      http(s)://, file:// or gridchain:apps/NAME.wasm
     * @param checksum expected sha256 (0x-hex or plain hex), or null/blank for none
     * @param what     what is fetched, for messages: "app", "input data.txt"
     * @throws FetchFailure CHECKSUM_MISMATCH ("app checksum mismatch: expected 0x.., got 0x..") or FETCH_FAILED
     *                      ("cannot download URI: reason")
     */
    public byte[] fetch(String uri, String checksum, String what) throws FetchFailure {
        return fetch(uri, checksum, what, null);
    }

    /**
     * The bytes behind {@code uri}, kept in the cache under {@code placement}'s directive (null: none): for its
     * lifetime, and reported to the scheduler as held ({@link #placed}).
     */
    public byte[] fetch(String uri, String checksum, String what, WorkerApi.PlacementSpec placement)
            throws FetchFailure {
        long lifetime = placement == null ? 0 : placement.lifetimeSeconds() * 1000;
        boolean placed = placement != null && placement.placed();
        if (uri == null || uri.isBlank()) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED, "cannot download the " + what + ": it has no URI");
        }
        String expected = normalize(checksum, what);
        if (expected != null) {
            byte[] cached = cache.get(expected, lifetime, placed);
            if (cached != null) {
                cacheHits.incrementAndGet();
                log.debug("{} {} from the cache ({} bytes)", what, uri, cached.length);
                return cached;
            }
        }
        downloads.incrementAndGet();
        byte[] bytes = read(uri.strip());
        String actual = ResultDigest.sha256Hex(bytes);
        if (expected != null) {
            if (!expected.equals(actual)) {
                throw new FetchFailure(FetchFailure.Cause.CHECKSUM_MISMATCH,
                        what + " checksum mismatch: expected 0x" + expected + ", got 0x" + actual);
            }
            cache.put(actual, bytes, lifetime, placed);
        }
        log.debug("{} {} downloaded ({} bytes, sha256 0x{})", what, uri, bytes.length, actual);
        return bytes;
    }

    /** The checksum as 64 lower-case hex digits, or null for none. */
    static String normalize(String checksum, String what) throws FetchFailure {
        if (checksum == null || checksum.isBlank()) {
            return null;
        }
        String hex = checksum.strip().toLowerCase(Locale.ROOT);
        if (hex.startsWith("0x")) {
            hex = hex.substring(2);
        }
        if (!isHex64(hex)) {
            throw new FetchFailure(FetchFailure.Cause.CHECKSUM_MISMATCH, what + " checksum mismatch: '" + checksum
                    + "' is not a sha256 (64 hex digits, optionally 0x-prefixed)");
        }
        return hex;
    }

    /** 64 hex digits; checked per replicate, so not with a regular expression. */
    private static boolean isHex64(String s) {
        if (s.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            if (!HexFormat.isHexDigit(s.charAt(i))) return false;
        }
        return true;
    }

    private byte[] read(String uri) throws FetchFailure {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("gridchain:")) {
            return readBuiltIn(uri);
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw failed(uri, "not a valid URI (" + e.getReason() + ")", e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                return readHttp(uri, parsed);
            }
            case "file" -> {
                return readFile(uri, parsed);
            }
            default -> throw failed(uri,
                    "unsupported scheme '" + scheme + "' (use http://, https://, file:// or gridchain:apps/NAME.wasm)",
                    null);
        }
    }

    private byte[] readBuiltIn(String uri) throws FetchFailure {
        String rest = uri.substring("gridchain:".length());
        if (!rest.startsWith("apps/") || !rest.endsWith(".wasm") || rest.length() <= "apps/.wasm".length()) {
            throw failed(uri, "built-in modules are named gridchain:apps/NAME.wasm, one of "
                    + ExampleApps.NAMES, null);
        }
        String name = rest.substring("apps/".length(), rest.length() - ".wasm".length());
        if (!ExampleApps.NAMES.contains(name)) {
            throw failed(uri, "no built-in app '" + name + "' (known: " + ExampleApps.NAMES + ")", null);
        }
        try {
            return ExampleApps.load(name);
        } catch (RuntimeException e) {
            throw failed(uri, SchedulerClient.reason(e), e);
        }
    }

    private byte[] readFile(String uri, URI parsed) throws FetchFailure {
        Path path;
        try {
            path = Path.of(parsed);
        } catch (RuntimeException e) {
            throw failed(uri, "not a local file URI (" + SchedulerClient.reason(e) + ")", e);
        }
        try {
            if (Files.isDirectory(path)) {
                throw failed(uri, "it is a directory", null);
            }
            long size = Files.size(path);
            if (size > maxBytes) {
                throw failed(uri, "it is " + size + " bytes, more than the limit of " + maxBytes, null);
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw failed(uri, "no such file", e);
        } catch (IOException e) {
            throw failed(uri, SchedulerClient.reason(e), e);
        }
    }

    private byte[] readHttp(String uri, URI parsed) throws FetchFailure {
        HttpRequest request = HttpRequest.newBuilder(parsed)
                .timeout(requestTimeout)
                .header("User-Agent", SchedulerClient.AGENT)
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status / 100 != 2) {
                    throw failed(uri, "HTTP " + status + (status == 404 ? " not found" : ""), null);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw failed(uri, "it is " + declared + " bytes, more than the limit of " + maxBytes, null);
                }
                return readBounded(uri, body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(uri, "interrupted", e);
        } catch (IOException e) {
            throw failed(uri, SchedulerClient.reason(e), e);
        } catch (IllegalArgumentException e) {
            throw failed(uri, SchedulerClient.reason(e), e);
        }
    }

    private byte[] readBounded(String uri, InputStream in) throws IOException, FetchFailure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw failed(uri, "it is more than the limit of " + maxBytes + " bytes", null);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The sha256 of the inputs with placement directives in the cache, most recently used first. */
    public List<String> placed() {
        return cache.placed(WorkerApi.MAX_CACHED_REPORT);
    }

    private static FetchFailure failed(String uri, String reason, Throwable cause) {
        return new FetchFailure(FetchFailure.Cause.FETCH_FAILED, "cannot download " + uri + ": " + reason, cause);
    }
}
