package io.gridchain.cli.requester;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.api.Delivery;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.sms.Signatures;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import io.gridchain.protocol.deal.DealRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * Names where a deal's certified results also go (an S3 bucket or an HTTP PUT URL), at the deal's pool's scheduler,
 * signed as the deal's requester (docs/API.md). The bucket's credentials go to that scheduler only, never on-chain.
 */
final class DeliveryClient {
    static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DeliveryClient() {}

    /**
     * The target {@code to} names: {@code s3://bucket/prefix} (credentials from {@code credentials}, a file of
     * {@code AWS_ACCESS_KEY_ID=…} and {@code AWS_SECRET_ACCESS_KEY=…} lines, else from {@code env}) or an http(s) URL.
     */
    static Delivery.Target target(String to, String endpoint, String region, Path credentials, Map<String, String> env) {
        String where = to.strip();
        if (where.startsWith("s3://")) {
            String rest = where.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (bucket.isEmpty()) throw UserError.usage("s3://BUCKET/PREFIX needs a bucket, got " + to);
            Map<String, String> keys = credentials == null ? env : file(credentials);
            String access = keys.get(ACCESS_KEY_ENV);
            String secret = keys.get(SECRET_KEY_ENV);
            if (blank(access) || blank(secret)) {
                throw UserError.usage("delivering to " + to + " needs the bucket's credentials: set " + ACCESS_KEY_ENV
                        + " and " + SECRET_KEY_ENV + (credentials == null ? "" : " in " + credentials)
                        + " (a key that may only write under the prefix: docs/SECURITY.md)");
            }
            return Delivery.Target.s3(bucket, prefix, blank(endpoint) ? null : endpoint, region, access.strip(),
                    secret.strip());
        }
        if (where.startsWith("http://") || where.startsWith("https://")) {
            if (endpoint != null || region != null) {
                throw UserError.usage("an endpoint and a region are for s3:// targets, not for " + to);
            }
            return Delivery.Target.http(where);
        }
        throw UserError.usage("deliver to s3://BUCKET/PREFIX or to an https:// URL holding {task}, got " + to);
    }

    /** How long a just-made deal may take to reach its scheduler, which follows the chain every few blocks. */
    static final Duration UNSEEN_DEAL_WAIT = Duration.ofSeconds(60);

    /**
     * Registers {@code target} for {@code deal} at its pool's scheduler; a refusal is a one-line error. A deal its
     * scheduler has not seen yet (it was just made) is asked again for up to {@link #UNSEEN_DEAL_WAIT}.
     */
    static JsonNode register(Context ctx, String scheduler, DealRecord deal, Delivery.Target target) {
        long until = System.currentTimeMillis() + UNSEEN_DEAL_WAIT.toMillis();
        while (true) {
            HttpResponse<byte[]> r = put(ctx, scheduler, deal, target);
            if (r.statusCode() == 404 && System.currentTimeMillis() < until) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UserError("interrupted", UserError.FAILURE);
                }
                continue;
            }
            if (r.statusCode() != 200) {
                throw new UserError("the scheduler at " + Services.origin(scheduler) + " refused the delivery target: "
                        + Services.errorOf(r.body()), UserError.FAILURE);
            }
            return Services.json(r.body());
        }
    }

    /** One signed PUT of the target (signed afresh each time: the signature binds the time). */
    private static HttpResponse<byte[]> put(Context ctx, String scheduler, DealRecord deal, Delivery.Target target) {
        byte[] body;
        try {
            body = Services.JSON.writeValueAsBytes(target);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long time = System.currentTimeMillis() / 1000;
        String signature = Numeric.toHexString(Signatures.signBytes(Delivery.message(ctx.chain().chainId(),
                deal.dealId(), time, sha256(body)), ctx.credentials()));
        String url = scheduler + Delivery.path(deal.dealId().toLowerCase());
        HttpResponse<byte[]> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header(WorkerApi.LOGS_TIME, Long.toString(time)).header(WorkerApi.LOGS_SIGNATURE, signature)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw Services.schedulerUnreachable(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", UserError.FAILURE);
        }
        return r;
    }

    private static Map<String, String> file(Path credentials) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(credentials)) {
                int eq = line.indexOf('=');
                if (eq > 0) out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            throw UserError.usage("cannot read the credentials file " + credentials + ": " + e.getMessage());
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
