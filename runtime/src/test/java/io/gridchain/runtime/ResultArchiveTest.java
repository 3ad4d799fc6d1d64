package io.gridchain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultArchiveTest {

    @TempDir
    Path tmp;

    private Path sample() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(dir.resolve("result.txt"), "78498\n");
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.writeString(dir.resolve("sub/deeper/é.txt"), "unicode name");
        Files.write(dir.resolve("sub/empty.bin"), new byte[0]);
        byte[] big = new byte[200_000];
        new Random(7).nextBytes(big);
        Files.write(dir.resolve("sub/big.bin"), big);
        Files.createDirectories(dir.resolve("empty-dir"));
        return dir;
    }

    @Test
    void roundTripsFilesAndContents() throws IOException {
        Path src = sample();
        byte[] archive = ResultArchive.encode(src);
        Path dst = tmp.resolve("dst");
        ResultArchive.decode(archive, dst);

        assertThat(Files.readString(dst.resolve("result.txt"))).isEqualTo("78498\n");
        assertThat(Files.readString(dst.resolve("sub/deeper/é.txt"))).isEqualTo("unicode name");
        assertThat(Files.size(dst.resolve("sub/empty.bin"))).isZero();
        assertThat(Files.readAllBytes(dst.resolve("sub/big.bin")))
                .isEqualTo(Files.readAllBytes(src.resolve("sub/big.bin")));
        assertThat(ResultDigest.of(dst)).isEqualTo(ResultDigest.of(src));
        assertThat(ResultArchive.encode(dst)).isEqualTo(archive);
    }

    @Test
    void encodingFilesInAnyOrderGivesTheDirectorysArchive() throws IOException {
        Path src = sample();
        byte[] archive = ResultArchive.encode(src);
        List<ResultArchive.ArchivedFile> files = new ArrayList<>(ResultArchive.read(archive));
        Collections.reverse(files);

        assertThat(ResultArchive.encode(files)).isEqualTo(archive);
        assertThat(ResultArchive.encode(List.of())).isEqualTo(ResultArchive.encode(tmp.resolve("absent")));
    }

    @Test
    void sha256OfTheArchiveIsTheResultDigest() throws IOException {
        Path src = sample();
        byte[] archive = ResultArchive.encode(src);
        assertThat("0x" + ResultDigest.sha256Hex(archive)).isEqualTo(ResultDigest.of(src));
        assertThat(ResultArchive.digest(archive)).isEqualTo(ResultDigest.of(src));
    }

    @Test
    void anEmptyOrAbsentDirectoryIsZeroFiles() throws IOException {
        byte[] absent = ResultArchive.encode(tmp.resolve("absent"));
        byte[] empty = ResultArchive.encode(Files.createDirectories(tmp.resolve("empty")));
        assertThat(absent).isEqualTo(empty);
        assertThat(ResultArchive.digest(absent)).isEqualTo(ResultDigest.of(tmp.resolve("absent")));
        assertThat(ResultArchive.read(empty)).isEmpty();
        ResultArchive.decode(empty, tmp.resolve("out"));
        assertThat(tmp.resolve("out")).isEmptyDirectory();
    }

    @Test
    void rejectsPathTraversal() {
        for (String bad : new String[] {"../evil", "a/../../evil", "/etc/passwd", "a//b", "./a", "a/", "a\\..\\b",
                "C:/x"}) {
            byte[] archive = archive(new String[] {bad}, new String[] {"x"});
            assertThatThrownBy(() -> ResultArchive.decode(archive, tmp.resolve("dst")))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("malformed result archive");
        }
        assertThat(tmp.resolve("evil")).doesNotExist();
        assertThat(tmp.resolve("dst")).doesNotExist();
    }

    @Test
    void rejectsMalformedArchivesBeforeWritingAnything() {
        byte[] good = archive(new String[] {"a", "b"}, new String[] {"1", "2"});
        Path dst = tmp.resolve("dst");
        assertThatThrownBy(() -> ResultArchive.decode(Arrays.copyOf(good, good.length - 1), dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed result archive");
        assertThatThrownBy(() -> ResultArchive.decode(Arrays.copyOf(good, good.length + 1), dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected bytes");
        assertThatThrownBy(() -> ResultArchive.decode("not an archive".getBytes(StandardCharsets.UTF_8), dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not start with");
        assertThatThrownBy(() -> ResultArchive.decode(archive(new String[] {"b", "a"}, new String[] {"", ""}), dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> ResultArchive.decode(archive(new String[] {"a", "a"}, new String[] {"", ""}), dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
        assertThatThrownBy(() -> ResultArchive.decode(archive(new String[] {"a", "a/b"}, new String[] {"", ""}), dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both a file and a directory");
        byte[] hugeCount = good.clone();
        ByteBuffer.wrap(hugeCount).putInt(ResultDigest.DOMAIN.length, -1);
        assertThatThrownBy(() -> ResultArchive.decode(hugeCount, dst))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims");
        assertThat(dst).doesNotExist();

        ResultArchive.decode(good, dst);
        try (Stream<Path> files = Files.list(dst)) {
            assertThat(files.count()).isEqualTo(2);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An archive with the given paths and contents, in the given order (for malformed inputs). */
    private static byte[] archive(String[] paths, String[] contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ResultDigest.DOMAIN);
        out.writeBytes(ByteBuffer.allocate(4).putInt(paths.length).array());
        for (int i = 0; i < paths.length; i++) {
            byte[] p = paths[i].getBytes(StandardCharsets.UTF_8);
            byte[] c = contents[i].getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
            out.writeBytes(p);
            out.writeBytes(ByteBuffer.allocate(8).putLong(c.length).array());
            out.writeBytes(c);
        }
        return out.toByteArray();
    }
}
