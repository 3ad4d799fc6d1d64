package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.api.Delivery;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DeliveryTargetTest {
    static final String TASK = "0x" + "ab".repeat(32);

    @Test
    void anS3TargetKeepsItsPrefixWithoutSlashesAndDefaultsTheRegion() {
        DeliveryTarget t = DeliveryTarget.of(Delivery.Target.s3("my-bucket", "/runs/42/", "http://127.0.0.1:9000", null,
                "AK", "SECRET"));
        assertThat(t).isInstanceOf(S3Target.class);
        S3Target s3 = (S3Target) t;
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.key(TASK, Payload.ARCHIVE)).isEqualTo("runs/42/" + TASK + "/result.zip");
        assertThat(s3.describe()).isEqualTo("s3://my-bucket/runs/42 at http://127.0.0.1:9000");
        assertThat(DeliveryTarget.of(s3.wire())).isEqualTo(s3);
    }

    @Test
    void noTargetShowsItsSecret() {
        S3Target s3 = new S3Target("bucket", "", null, null, "AKIDEXAMPLE", "wJalrXUtnFEMI", false);
        assertThat(s3.toString()).isEqualTo("s3://bucket").doesNotContain("wJalrXUtnFEMI");
        assertThat(Delivery.Target.s3("b", "p", null, null, "a", "wJalrXUtnFEMI").toString())
                .doesNotContain("wJalrXUtnFEMI");
        HttpPutTarget http = new HttpPutTarget("https://host/up/{task}?X-Amz-Signature=deadbeef");
        assertThat(http.toString()).isEqualTo("https://host/up/{task}?…");
        assertThat(s3.key(TASK, Payload.SEALED)).isEqualTo(TASK + "/result.sealed");
    }

    @Test
    void badS3TargetsAreRefusedWithOneLine() {
        assertRefused(Delivery.Target.s3("B", "", null, null, "a", "s"), "bucket must be 3 to 63");
        assertRefused(Delivery.Target.s3("bucket", "a/../b", null, null, "a", "s"), "prefix must be");
        assertRefused(Delivery.Target.s3("bucket", "", null, null, "a", ""), "needs accessKey and secretKey");
        assertRefused(Delivery.Target.s3("bucket", "", "ftp://host", null, "a", "s"), "endpoint must be an http");
        assertRefused(Delivery.Target.s3("bucket", "", "http://user:pw@host", null, "a", "s"),
                "must not carry a user");
        assertRefused(Delivery.Target.s3("bucket", "", null, "Not A Region", "a", "s"), "not a region");
        assertRefused(new Delivery.Target("ftp", null, null, null, null, null, null, null, null), "unknown delivery type");
        assertRefused(new Delivery.Target(null, null, null, null, null, null, null, null, null), "needs a type");
    }

    @Test
    void anHttpTargetFillsItsTemplateAndMustHaveOne() {
        HttpPutTarget t = (HttpPutTarget) DeliveryTarget.of(Delivery.Target.http("https://h/r/{index}/{task}?d={digest}"));
        assertThat(t.resolve(TASK, 7, "0xcc")).isEqualTo(URI.create("https://h/r/7/" + TASK + "?d=0xcc"));
        assertRefused(Delivery.Target.http("https://h/all-the-same"), "must hold {task}");
        assertRefused(Delivery.Target.http("file:///etc/passwd/{task}"), "must be an http:// or https:// URL");
        assertRefused(Delivery.Target.http(null), "is missing");
    }

    static void assertRefused(Delivery.Target t, String why) {
        assertThatThrownBy(() -> DeliveryTarget.of(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
