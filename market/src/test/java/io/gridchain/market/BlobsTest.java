package io.gridchain.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobsTest {
    @TempDir
    Path dir;

    @Test
    void aBlobIsKeptOnlyUnderItsOwnSha256AndReadBack() {
        Blobs blobs = new Blobs(dir);
        byte[] bytes = "module".getBytes(StandardCharsets.UTF_8);
        String digest = "0x" + Blobs.sha256(bytes);
        blobs.put(digest.toUpperCase().replace("0X", "0x"), bytes);
        assertThat(blobs.get(digest)).contains(bytes);
        assertThatThrownBy(() -> blobs.put("0x" + "0".repeat(64), bytes))
                .hasMessageContaining("a blob is stored under the sha256 of its content");
        assertThatThrownBy(() -> blobs.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(blobs.get("0x" + "1".repeat(64))).isEmpty();
    }

    @Test
    void anAddressUploadsAtMostItsHourlyBudget() {
        Blobs blobs = new Blobs(dir);
        long hour = 3_600_000L * 500_000;
        assertThat(blobs.reserve("10.0.0.9", Blobs.BUDGET_PER_HOUR - 10, hour)).isTrue();
        assertThat(blobs.reserve("10.0.0.9", 11, hour + 1_000)).isFalse();
        assertThat(blobs.reserve("10.0.0.8", 11, hour + 1_000)).as("another address").isTrue();
        assertThat(blobs.reserve("10.0.0.9", 11, hour + 3_600_000)).as("the next hour").isTrue();
    }
}
