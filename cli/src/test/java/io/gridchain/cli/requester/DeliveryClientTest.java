package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.api.Delivery;
import io.gridchain.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryClientTest {
    static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "AK", "AWS_SECRET_ACCESS_KEY", "SK");

    @TempDir Path dir;

    @Test
    void anS3UrlTakesItsBucketAndPrefixAndTheCredentialsFromTheEnvironment() {
        Delivery.Target t = DeliveryClient.target("s3://bucket/runs/42", "http://127.0.0.1:9000", null, null, ENV);
        assertThat(t).isEqualTo(new Delivery.Target("s3", "bucket", "runs/42", "http://127.0.0.1:9000", null, "AK", "SK",
                true, null));
    }

    @Test
    void orFromAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("creds"), "AWS_ACCESS_KEY_ID=FK\nAWS_SECRET_ACCESS_KEY = FS\n");
        Delivery.Target t = DeliveryClient.target("s3://bucket", null, "eu-west-1", file, Map.of());
        assertThat(t.accessKey()).isEqualTo("FK");
        assertThat(t.secretKey()).isEqualTo("FS");
        assertThat(t.prefix()).isEmpty();
        assertThat(t.pathStyle()).isFalse();
    }

    @Test
    void missingCredentialsSayWhatToSet() {
        assertThatThrownBy(() -> DeliveryClient.target("s3://bucket/p", null, null, null, Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void anHttpUrlIsAnHttpTargetAndAnythingElseIsRefused() {
        assertThat(DeliveryClient.target("https://h/{task}", null, null, null, Map.of()))
                .isEqualTo(Delivery.Target.http("https://h/{task}"));
        assertThatThrownBy(() -> DeliveryClient.target("ftp://h/x", null, null, null, ENV))
                .isInstanceOf(UserError.class).hasMessageStartingWith("deliver to s3://BUCKET/PREFIX or");
        assertThatThrownBy(() -> DeliveryClient.target("https://h/{task}", "http://e", null, null, ENV))
                .isInstanceOf(UserError.class).hasMessageContaining("are for s3:// targets");
    }
}
