package io.gridchain.scheduler.delivery;

import io.gridchain.api.Delivery;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a deal's requester wants its certified results, besides the pool's store: checked once, when the requester
 * names it, so an upload never fails on what could have been refused with a clear line then. A target holds
 * credentials: its {@code toString} and {@link #describe} never show them.
 */
public sealed interface DeliveryTarget permits S3Target, HttpPutTarget {
    /** Where, for a person and a log line: {@code s3://bucket/prefix}, or the URL without its query. */
    String describe();

    /** The wire form, credentials included (for the store only). */
    Delivery.Target wire();

    /** A checked target; an {@link IllegalArgumentException} whose message is one line for the requester otherwise. */
    static DeliveryTarget of(Delivery.Target t) {
        if (t == null || t.type() == null) throw new IllegalArgumentException("a delivery target needs a type: s3 or http");
        return switch (t.type().toLowerCase(Locale.ROOT)) {
            case "s3" -> S3Target.of(t);
            case "http", "https" -> HttpPutTarget.of(t.url());
            default -> throw new IllegalArgumentException("unknown delivery type " + t.type() + ": use s3 or http");
        };
    }

    /** An http(s) URL with a host and no user info; {@code what} names it in the refusal. */
    static URI httpUrl(String what, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " is missing");
        if (value.length() > 2_048) throw new IllegalArgumentException(what + " is longer than 2048 characters");
        URI uri;
        try {
            uri = new URI(value.replace("{", "%7B").replace("}", "%7D"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + value.lines().findFirst().orElse(""));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(what + " must be an http:// or https:// URL, got " + safe(value));
        }
        if (uri.getHost() == null) throw new IllegalArgumentException(what + " has no host: " + safe(value));
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " must not carry a user and password: " + uri.getHost());
        }
        return uri;
    }

    /** A URL as it may be shown: scheme, host, port and path, not its query (a presigned URL's token is there). */
    static String safe(String url) {
        int q = url.indexOf('?');
        String shown = q < 0 ? url : url.substring(0, q) + "?…";
        int at = shown.indexOf('@');
        int scheme = shown.indexOf("://");
        if (at > 0 && scheme > 0 && at > scheme) shown = shown.substring(0, scheme + 3) + "…" + shown.substring(at);
        return shown.lines().findFirst().orElse("");
    }
}
