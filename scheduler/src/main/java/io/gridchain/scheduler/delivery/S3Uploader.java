package io.gridchain.scheduler.delivery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Puts a result in an S3-compatible bucket with the AWS SDK, as {@code <prefix>/<taskId>/<name>} with the certified
 * digest in the object's metadata ({@code x-amz-meta-gridchain-digest}). The SDK does not retry: the
 * {@link DeliveryMachine} does, so every attempt is counted and shown. Checksums are sent only when an operation needs
 * them, as S3-compatible servers do not all take the SDK's newer trailing checksums.
 */
public final class S3Uploader implements AutoCloseable {
    public static final String DIGEST_METADATA = "gridchain-digest";
    public static final String TASK_METADATA = "gridchain-task";
    /** Clients kept, one per target (each holds its connections); the oldest is closed past this. */
    private static final int MAX_CLIENTS = 32;

    private final Map<S3Target, S3Client> clients = new LinkedHashMap<>(16, 0.75f, true);

    public void put(S3Target target, Payload p) throws UploadFailure {
        PutObjectRequest request = PutObjectRequest.builder().bucket(target.bucket())
                .key(target.key(p.taskId(), p.name())).contentType(p.contentType())
                .metadata(Map.of(DIGEST_METADATA, p.digest(), TASK_METADATA, p.taskId())).build();
        try {
            client(target).putObject(request, RequestBody.fromBytes(p.bytes()));
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? "S3Error" : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new UploadFailure(code, e.statusCode(), message);
        } catch (SdkException e) {
            throw new UploadFailure("Unreachable", 0, e.getMessage());
        }
    }

    private synchronized S3Client client(S3Target t) {
        S3Client c = clients.get(t);
        if (c != null) return c;
        S3ClientBuilder b = S3Client.builder().region(Region.of(t.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(t.accessKey(), t.secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                .forcePathStyle(t.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)));
        if (t.endpoint() != null) b.endpointOverride(t.endpoint());
        c = b.build();
        clients.put(t, c);
        if (clients.size() > MAX_CLIENTS) {
            var oldest = clients.entrySet().iterator().next();
            oldest.getValue().close();
            clients.remove(oldest.getKey());
        }
        return c;
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(S3Client::close);
        clients.clear();
    }
}
