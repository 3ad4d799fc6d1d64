package io.gridchain.cli.discovery;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Settings;
import io.gridchain.protocol.GridClient;
import java.util.Optional;

/**
 * Where a workerpool's scheduler answers. The URL its owner published on-chain ({@code gridchain pool set-api}) is
 * found from the pool's address alone, so a requester whose deal lands on a pool it has never heard of, or a worker
 * told only a pool's address, reaches its scheduler. {@code GRIDCHAIN_SCHEDULER} and the profile's "scheduler"
 * override it (a tunnel, a private address, a scheduler not yet published).
 */
public final class SchedulerLocator {
    /** Longest URL the registry accepts (WorkerpoolRegistry.MAX_API_URL_LENGTH), in bytes. */
    public static final int MAX_URL_BYTES = 256;

    /** How {@link Located#source()} begins for a URL read from the chain. */
    public static final String PUBLISHED = "published on-chain";

    /** A scheduler's base URL (no trailing slash) and where it came from, for messages. */
    public record Located(String url, String source) {}

    /** The scheduler of {@code pool}: the override when one is set, else the pool's published URL. */
    public static Located forPool(Settings settings, GridClient reader, String pool) {
        Settings.Value override = settings.scheduler();
        if (override != null) return choose(override, Optional.empty(), pool);
        return choose(null, reader.poolApiUrl(pool), pool);
    }

    /** The decision alone: the override wins, then the published URL; neither is a one-line error saying what to do. */
    static Located choose(Settings.Value override, Optional<String> published, String pool) {
        if (override != null) return new Located(httpUrl(override.source(), override.value()), override.source());
        String url = published.orElseThrow(() -> UserError.failure(noApiUrl(pool)));
        try {
            return new Located(httpUrl("the API URL of pool " + pool, url), PUBLISHED + " by pool " + pool);
        } catch (UserError e) {
            throw UserError.failure(e.getMessage() + ": its owner runs `gridchain pool set-api " + pool
                    + " URL`, or set GRIDCHAIN_SCHEDULER");
        }
    }

    /** What to say when {@code pool} has published no API URL. */
    public static String noApiUrl(String pool) {
        return "pool " + pool + " has published no API URL: its owner runs `gridchain pool set-api " + pool
                + " URL`, or set GRIDCHAIN_SCHEDULER";
    }

    /** {@code url} without trailing slashes, if it is an http(s) URL with a host; else a usage error naming {@code what}. */
    public static String httpUrl(String what, String url) {
        String u = url == null ? "" : url.strip();
        java.net.URI uri;
        try {
            uri = java.net.URI.create(u);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(what + " must be an http(s) URL, got " + u);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw UserError.usage(what + " must be an http(s) URL such as http://203.0.113.7:8082, got " + u);
        }
        return u.replaceAll("/+$", "");
    }

    /**
     * The workerpool the scheduler at {@code url} says it serves ({@code GET /v1/pool}); empty when it answers
     * otherwise than 200 with a pool. An unreachable scheduler is an {@link java.io.IOException}.
     */
    public static Optional<String> servedPool(String url) throws java.io.IOException, InterruptedException {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url + io.gridchain.api.WorkerApi.POOL)).timeout(java.time.Duration.ofSeconds(10))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) return Optional.empty();
        String served = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("workerpool").asText();
        return served.isEmpty() ? Optional.empty() : Optional.of(served);
    }

    private SchedulerLocator() {}
}
