package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.api.WorkerApi.PlacementSpec;
import io.gridchain.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code run --placement}: data placement directives for the run's inputs and dataset (docs/APPS.md), and the
 * checksums they need. An input is {@code URL}, or {@code URL#sha256=HEX} to give its checksum; a blob of the
 * network's store ({@code …/v1/blobs/HEX}) names its own; otherwise, with directives, run reads it once to compute
 * it, as workers will check it.
 */
final class Placement {
    private static final Pattern FRAGMENT = Pattern.compile("#sha256=(?:0x)?([0-9a-fA-F]{64})$");
    private static final Pattern BLOB = Pattern.compile("/v1/blobs/(?:0x)?([0-9a-fA-F]{64})$");
    private static final Pattern LIFETIME = Pattern.compile("(\\d{1,9})([smhd]?)");

    private Placement() {}

    /**
     * Parses {@code affinity,replicas=N,lifetime=T} (any of them, comma-separated; T in seconds or with s, m, h, d);
     * null stays null.
     */
    static PlacementSpec parse(String text) {
        if (text == null) return null;
        boolean affinity = false;
        int replicas = 0;
        long lifetime = 0;
        for (String part : text.split(",")) {
            String item = part.strip().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) continue;
            if (item.equals("affinity")) {
                affinity = true;
            } else if (item.startsWith("replicas=")) {
                try {
                    replicas = Integer.parseInt(item.substring("replicas=".length()));
                } catch (NumberFormatException e) {
                    replicas = -1;
                }
                if (replicas < 1 || replicas > PlacementSpec.MAX_REPLICAS) {
                    throw UserError.usage("--placement " + item + ": replicas is a number of workers from 1 to "
                            + PlacementSpec.MAX_REPLICAS);
                }
            } else if (item.startsWith("lifetime=")) {
                Matcher m = LIFETIME.matcher(item.substring("lifetime=".length()));
                if (!m.matches()) {
                    throw UserError.usage("--placement " + item + ": lifetime is a duration such as 600, 10m, 2h or 7d");
                }
                long unit = switch (m.group(2)) {
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86_400;
                    default -> 1;
                };
                lifetime = Long.parseLong(m.group(1)) * unit;
                if (lifetime > PlacementSpec.MAX_LIFETIME_SECONDS) {
                    throw UserError.usage("--placement " + item + ": the longest lifetime is 30d");
                }
            } else {
                throw UserError.usage("--placement: unknown directive '" + item + "'; use affinity, replicas=N and "
                        + "lifetime=T, e.g. --placement affinity,replicas=2,lifetime=1h");
            }
        }
        if (!affinity && replicas == 0 && lifetime == 0) {
            throw UserError.usage("--placement needs at least one directive, e.g. --placement affinity");
        }
        return new PlacementSpec(affinity, replicas, lifetime);
    }

    /** The JSON of a directive, as the scheduler and workers read it. */
    static ObjectNode json(PlacementSpec spec) {
        return Services.JSON.valueToTree(spec);
    }

    /** An input as given to --input: its URL without the checksum fragment, and its checksum if known. */
    record Input(String url, String checksum) {}

    static Input input(String given) {
        Matcher fragment = FRAGMENT.matcher(given);
        if (fragment.find()) {
            return new Input(given.substring(0, fragment.start()), "0x" + fragment.group(1).toLowerCase(Locale.ROOT));
        }
        if (given.contains("#sha256=")) {
            throw UserError.usage("--input " + given + ": after #sha256= come the 64 hex digits of the file's sha256");
        }
        Matcher blob = BLOB.matcher(given);
        return new Input(given, blob.find() ? "0x" + blob.group(1).toLowerCase(Locale.ROOT) : null);
    }

    /** The sha256 of the file at {@code url} (file://, http://, https://), read once. */
    static String checksumOf(String url) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = open(url); DigestInputStream digest = new DigestInputStream(in, sha)) {
            digest.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UserError("cannot read --input " + url + " to compute its sha256 for --placement: "
                    + e.getMessage() + "; give it as URL#sha256=HEX", UserError.FAILURE);
        }
        return "0x" + HexFormat.of().formatHex(sha.digest());
    }

    private static InputStream open(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) return Files.newInputStream(Path.of(uri));
        if (!scheme.equals("http") && !scheme.equals("https")) throw new IOException("only file:// and http(s):// are read");
        try {
            HttpResponse<InputStream> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() / 100 != 2) {
                r.body().close();
                throw new IOException("HTTP " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
