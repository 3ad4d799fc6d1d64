package io.gridchain.api;

import java.nio.charset.StandardCharsets;

/**
 * PUT {@code /v1/deals/{dealId}/delivery}: a deal's requester names where the pool's scheduler also puts each certified
 * result, an S3-compatible bucket or an HTTP PUT URL (docs/API.md). It goes to the scheduler off-chain, signed by the
 * requester's key, because a request order's params are public and a bucket's credentials must never be. The request
 * carries {@link WorkerApi#LOGS_TIME} (unix seconds) and {@link WorkerApi#LOGS_SIGNATURE}, the requester's EIP-191
 * signature of {@link #message}; it is valid {@link WorkerApi#LOGS_WINDOW_SECONDS} around the scheduler's clock.
 */
public final class Delivery {
    public static final String DEALS = "/v1/deals/";
    public static final String SUFFIX = "/delivery";
    /** The most a target's JSON may weigh: read before the signature is checked, so small. */
    public static final int MAX_BODY_BYTES = 8_192;

    /**
     * The body: {@code type} "s3" (bucket, prefix, endpoint, region, accessKey, secretKey, pathStyle) or "http" (url,
     * where {task}, {index} and {digest} become the task's id, index and certified digest).
     */
    public record Target(String type, String bucket, String prefix, String endpoint, String region, String accessKey,
            String secretKey, Boolean pathStyle, String url) {
        public static Target s3(String bucket, String prefix, String endpoint, String region, String accessKey,
                String secretKey) {
            return new Target("s3", bucket, prefix, endpoint, region, accessKey, secretKey, endpoint != null, null);
        }

        public static Target http(String url) {
            return new Target("http", null, null, null, null, null, null, null, url);
        }

        /** Never the credentials: a target may end up in a log line. */
        @Override
        public String toString() {
            return "s3".equals(type) ? "s3://" + bucket + "/" + (prefix == null ? "" : prefix) : "http " + url;
        }
    }

    /** The answer: where the results go, and how many already certified results were queued for it. */
    public record Registered(String deal, String target, int queued) {}

    public static String path(String dealId) {
        return DEALS + dealId + SUFFIX;
    }

    /** What the deal's requester signs: the chain, the deal, the time and the sha256 of the body (hex). */
    public static byte[] message(long chainId, String dealId, long time, String bodySha256) {
        return ("gridchain-delivery-v1:" + chainId + ":" + dealId.toLowerCase() + ":" + time + ":"
                + bodySha256.toLowerCase()).getBytes(StandardCharsets.UTF_8);
    }

    private Delivery() {}
}
