package io.gridchain.cli.provider;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Config;
import io.gridchain.runtime.ResultDigest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** Reading what a provider publishes (a local file or a URL) and its sha256 checksum. */
public final class Sources {
    /** Bytes read and where they came from. */
    record Content(byte[] bytes, String uri, String name) {
        String checksum() {
            return sha256(bytes);
        }
    }

    private Sources() {}

    static boolean isUrl(String source) {
        String s = source.toLowerCase();
        return s.startsWith("http://") || s.startsWith("https://");
    }

    /** A local file: missing or unreadable is a usage error (exit 2). */
    static Content file(String path) {
        Path file = Config.expandHome(path).toAbsolutePath().normalize();
        if (Files.isDirectory(file)) throw UserError.usage("not a file: " + file);
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new Content(bytes, file.toUri().toString(), baseName(file.getFileName().toString()));
        } catch (NoSuchFileException e) {
            throw UserError.usage("no such file: " + file);
        } catch (IOException e) {
            throw UserError.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Downloads {@code url}: an HTTP error or a network failure is exit code 1. */
    static Content download(String url) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getHost() == null) throw new IllegalArgumentException("no host");
        } catch (IllegalArgumentException e) {
            throw UserError.usage("malformed URL: " + url);
        }
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw UserError.failure("cannot download " + url + ": HTTP " + r.statusCode());
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String last = path.substring(path.lastIndexOf('/') + 1);
            return new Content(r.body(), url, last.isEmpty() ? uri.getHost() : baseName(last));
        } catch (IOException e) {
            throw UserError.failure("cannot download " + url + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.failure("interrupted while downloading " + url);
        }
    }

    /**
     * Uploads {@code bytes} to the network's content-addressed store (the order book's {@code /v1/blobs/}) and returns
     * the URI workers fetch them from: the store's URL and their sha256, which the chain also records.
     */
    static String upload(io.gridchain.cli.config.Context ctx, byte[] bytes) {
        String market = ctx.settings().marketUrl();
        if (market == null) {
            throw UserError.usage("--upload puts the file in the order book's store: configure one with `gridchain"
                    + " config set market URL` (the devnet's is set), or host the file yourself and pass --uri");
        }
        String url = market.replaceAll("/+$", "") + "/v1/blobs/" + sha256(bytes);
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                            .timeout(java.time.Duration.ofMinutes(5))
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                String error = r.body();
                try {
                    error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("error")
                            .asText(r.body());
                } catch (java.io.IOException notJson) {
                    // the raw body says it
                }
                throw UserError.failure("the order book's store at " + market + " refused the upload ("
                        + r.statusCode() + "): " + error);
            }
            return url;
        } catch (java.io.IOException e) {
            throw new UserError("the order book at " + market + " is unreachable (" + e.getClass().getSimpleName()
                    + "): try again, or host the file yourself and pass --uri", UserError.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.failure("interrupted");
        }
    }

    /** The checksum registered on-chain for an app's or dataset's bytes: 0x and their sha256. */
    public static String sha256(byte[] bytes) {
        return "0x" + ResultDigest.sha256Hex(bytes);
    }

    private static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
