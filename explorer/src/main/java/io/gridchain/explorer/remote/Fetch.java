package io.gridchain.explorer.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.protocol.http.PublicAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The explorer's GETs to other services: a pool's scheduler at the URL its owner published on-chain, and the order book.
 * A pool's URL is a stranger's word, so unless the operator allows private hosts (a devnet, a private network) it must
 * resolve to public addresses only, or the explorer could be aimed at its own operator's network; answers are cut off
 * past a size and a time, so a slow or flooding pool cannot hold a page.
 */
public final class Fetch {
    static final int MAX_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final boolean privateAllowed;

    public Fetch(boolean privateAllowed) {
        this.privateAllowed = privateAllowed;
    }

    /** A refused or failed fetch, with one line a page can show. */
    public static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /** GETs {@code base + path} as JSON. */
    public JsonNode get(String base, String path) throws Failed {
        URI uri;
        try {
            uri = URI.create(base.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new Failed("not a URL: " + base);
        }
        check(uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (body.length > MAX_BYTES) throw new Failed(uri.getHost() + " answered over " + MAX_BYTES + " bytes");
            if (r.statusCode() != 200) throw new Failed(uri.getHost() + " answered " + r.statusCode());
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new Failed(uri.getHost() + " is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    void check(URI uri) throws Failed {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw new Failed("not an http(s) URL: " + uri);
        if (uri.getHost() == null) throw new Failed("no host in " + uri);
        if (privateAllowed) return;
        String host = uri.getHost();
        try {
            if (PublicAddresses.firstPrivate(host, InetAddress::getAllByName) != null) {
                throw new Failed(host.replaceAll("^\\[|]$", "") + " is a private address: this explorer reads pools on"
                        + " public addresses only (`explorer start --pools-on-private-network` allows others)");
            }
        } catch (UnknownHostException e) {
            throw new Failed(host + " does not resolve");
        }
    }
}
