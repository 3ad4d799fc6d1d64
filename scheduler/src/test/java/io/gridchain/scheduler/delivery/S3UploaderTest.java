package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Uploads to a real S3-compatible server (S3Proxy), and its refusals as one line with S3's code and status. */
class S3UploaderTest {
    static final String TASK = "0x" + "ab".repeat(32);
    static final String DIGEST = "0x" + "cd".repeat(32);

    static S3ProxyServer server;

    @BeforeAll
    static void start() {
        server = S3ProxyServer.start();
        server.createBucket("results");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void putsTheResultUnderPrefixTaskNameWithTheDigestInItsMetadata() throws Exception {
        byte[] bytes = "a result".getBytes(StandardCharsets.UTF_8);
        try (S3Uploader uploader = new S3Uploader()) {
            uploader.put(server.target("results", "runs/one", S3ProxyServer.SECRET_KEY),
                    new Payload(TASK, 3, DIGEST, Payload.ARCHIVE, bytes));
        }
        try (S3Client c = server.client()) {
            ResponseBytes<GetObjectResponse> got = c.getObjectAsBytes(b -> b.bucket("results")
                    .key("runs/one/" + TASK + "/result.zip"));
            assertThat(got.asByteArray()).isEqualTo(bytes);
            assertThat(got.response().metadata()).containsEntry(S3Uploader.DIGEST_METADATA, DIGEST)
                    .containsEntry(S3Uploader.TASK_METADATA, TASK);
        }
    }

    @Test
    void aWrongSecretIsRefusedWithS3sCodeAndStatus() {
        try (S3Uploader uploader = new S3Uploader()) {
            assertThatThrownBy(() -> uploader.put(server.target("results", "x", "not-the-secret"),
                    new Payload(TASK, 0, DIGEST, Payload.ARCHIVE, new byte[] {1})))
                    .isInstanceOf(UploadFailure.class)
                    .satisfies(e -> {
                        UploadFailure f = (UploadFailure) e;
                        assertThat(f.status()).isEqualTo(403);
                        assertThat(f.code()).isIn("SignatureDoesNotMatch", "AccessDenied");
                        assertThat(f.getMessage()).startsWith(f.code() + " (403)").doesNotContain("\n")
                                .doesNotContain("not-the-secret");
                    });
        }
    }

    @Test
    void aMissingBucketIsRefusedAsNoSuchBucket() {
        try (S3Uploader uploader = new S3Uploader()) {
            assertThatThrownBy(() -> uploader.put(server.target("no-such-bucket", "", S3ProxyServer.SECRET_KEY),
                    new Payload(TASK, 0, DIGEST, Payload.ARCHIVE, new byte[] {1})))
                    .isInstanceOf(UploadFailure.class).hasMessageStartingWith("NoSuchBucket (404)");
        }
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        S3Target nowhere = new S3Target("results", "", java.net.URI.create("http://127.0.0.1:" + port), "us-east-1",
                "k", "s", true);
        try (S3Uploader uploader = new S3Uploader()) {
            assertThatThrownBy(() -> uploader.put(nowhere, new Payload(TASK, 0, DIGEST, Payload.ARCHIVE,
                    new byte[] {1}))).isInstanceOf(UploadFailure.class).hasMessageStartingWith("Unreachable: ");
        }
    }
}
