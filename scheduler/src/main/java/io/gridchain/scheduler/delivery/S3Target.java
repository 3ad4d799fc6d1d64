package io.gridchain.scheduler.delivery;

import io.gridchain.api.Delivery;
import java.net.URI;

/**
 * An S3-compatible bucket: each certified result goes to {@code <prefix>/<taskId>/<name>}.
 *
 * @param endpoint the server, null for AWS itself
 * @param pathStyle whether the bucket goes in the path (most S3-compatible servers) rather than the host name
 */
public record S3Target(String bucket, String prefix, URI endpoint, String region, String accessKey, String secretKey,
        boolean pathStyle) implements DeliveryTarget {
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Target {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("bucket must be 3 to 63 lower-case letters, digits, dots and dashes, got "
                    + bucket);
        }
        prefix = prefix == null ? "" : prefix.strip().replaceAll("^/+|/+$", "");
        if (prefix.length() > 512 || prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || ("/" + prefix + "/").contains("/../") || ("/" + prefix + "/").contains("/./")) {
            throw new IllegalArgumentException("prefix must be at most 512 printable characters without . or .. "
                    + "segments");
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
        if (!region.matches("[a-z0-9-]{1,32}")) throw new IllegalArgumentException("not a region: " + region);
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("an s3 target needs accessKey and secretKey (a key that may only write "
                    + "under the prefix: docs/SECURITY.md)");
        }
        if (accessKey.length() > 256 || secretKey.length() > 256) {
            throw new IllegalArgumentException("accessKey and secretKey are at most 256 characters");
        }
    }

    static S3Target of(Delivery.Target t) {
        URI endpoint = t.endpoint() == null || t.endpoint().isBlank() ? null
                : DeliveryTarget.httpUrl("endpoint", t.endpoint());
        boolean pathStyle = t.pathStyle() != null ? t.pathStyle() : endpoint != null;
        return new S3Target(t.bucket(), t.prefix(), endpoint, t.region(), t.accessKey(), t.secretKey(), pathStyle);
    }

    /** The object key of a task's result named {@code name}. */
    public String key(String taskId, String name) {
        return (prefix.isEmpty() ? "" : prefix + "/") + taskId + "/" + name;
    }

    @Override
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix)
                + (endpoint == null ? "" : " at " + DeliveryTarget.safe(endpoint.toString()));
    }

    @Override
    public Delivery.Target wire() {
        return new Delivery.Target("s3", bucket, prefix, endpoint == null ? null : endpoint.toString(), region,
                accessKey, secretKey, pathStyle, null);
    }

    @Override
    public String toString() {
        return describe();
    }
}
