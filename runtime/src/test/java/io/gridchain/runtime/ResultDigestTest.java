package io.gridchain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultDigestTest {

    @TempDir
    Path tmp;

    @Test
    void matchesTheDocumentedEncoding() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve("b.txt"), "bee");
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a").resolve("x.bin"), "xx");
        Files.createDirectories(dir.resolve("empty"));

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write("gridchain-result-v1\n".getBytes(StandardCharsets.US_ASCII));
        expected.write(ByteBuffer.allocate(4).putInt(2).array());
        entry(expected, "a/x.bin", "xx");
        entry(expected, "b.txt", "bee");
        String want = "0x" + HexFormat.of().formatHex(ResultDigest.sha256().digest(expected.toByteArray()));

        assertThat(ResultDigest.of(dir)).isEqualTo(want);
    }

    private static void entry(ByteArrayOutputStream out, String path, String content) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(4).putInt(p.length).array());
        out.write(p);
        out.write(ByteBuffer.allocate(8).putLong(c.length).array());
        out.write(c);
    }

    @Test
    void dependsOnNamesAndContentsOnly() throws IOException {
        Path one = Files.createDirectories(tmp.resolve("one"));
        Path two = Files.createDirectories(tmp.resolve("two"));
        Files.writeString(two.resolve("z"), "2");
        Files.writeString(two.resolve("y"), "1");
        Files.writeString(one.resolve("y"), "1");
        Files.writeString(one.resolve("z"), "2");
        Files.createDirectories(two.resolve("empty-dir"));
        assertThat(ResultDigest.of(one)).isEqualTo(ResultDigest.of(two));

        Files.writeString(two.resolve("z"), "3");
        assertThat(ResultDigest.of(one)).isNotEqualTo(ResultDigest.of(two));
    }

    @Test
    void contentCannotMoveAcrossTheBoundaryOfTwoFiles() throws IOException {
        Path one = Files.createDirectories(tmp.resolve("p"));
        Path two = Files.createDirectories(tmp.resolve("q"));
        Files.writeString(one.resolve("a"), "xy");
        Files.writeString(one.resolve("b"), "z");
        Files.writeString(two.resolve("a"), "x");
        Files.writeString(two.resolve("b"), "yz");
        assertThat(ResultDigest.of(one)).isNotEqualTo(ResultDigest.of(two));
    }

    @Test
    void emptyAndAbsentDirectoriesDigestAlike() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(ResultDigest.of(empty)).isEqualTo(ResultDigest.of(tmp.resolve("absent")));
    }
}
