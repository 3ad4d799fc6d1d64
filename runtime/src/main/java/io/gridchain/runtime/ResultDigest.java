package io.gridchain.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deterministic digest of an output directory: the value replicas vote on.
 *
 * <h2>Encoding (version 1)</h2>
 * <pre>
 * digest = SHA-256( "gridchain-result-v1\n"
 *                   || u32be(fileCount)
 *                   || for each regular file, in order of its relative path's UTF-8 bytes (unsigned):
 *                        u32be(len(path)) || path || u64be(size) || content )
 * </pre>
 * where {@code path} is the file's path relative to the directory, its names joined by {@code '/'} and encoded in
 * UTF-8 (no leading {@code "./"} or {@code '/'}). Only regular files count: directories (empty ones included),
 * timestamps, permissions and owners do not, so the digest depends on nothing but file names and contents and is
 * identical across machines and file systems. A symbolic link or other special file makes the digest fail (the
 * runtime never produces one). An empty or absent directory has the digest of zero files. The result is written
 * as {@code 0x} followed by 64 lower-case hex digits.
 */
public final class ResultDigest {

    static final byte[] DOMAIN = "gridchain-result-v1\n".getBytes(StandardCharsets.US_ASCII);

    private ResultDigest() {}

    /** The digest of the directory, as 0x-hex of 32 bytes. */
    public static String of(Path dir) {
        return "0x" + HexFormat.of().formatHex(bytes(dir));
    }

    /** The digest of the directory, 32 bytes. */
    public static byte[] bytes(Path dir) {
        MessageDigest sha = sha256();
        encode(dir, sha::update);
        return sha.digest();
    }

    /** Receives the canonical encoding of a directory, in order. */
    interface Sink {
        void write(byte[] bytes, int offset, int length);
    }

    /**
     * Writes the canonical encoding documented above (the exact bytes the digest hashes) to {@code sink}.
     * Shared by {@link #bytes(Path)} and {@link ResultArchive#encode(Path)}.
     */
    static void encode(Path dir, Sink sink) {
        try {
            List<Entry> entries = new ArrayList<>();
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                            continue;
                        }
                        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                            throw new IOException("not a regular file: " + dir.relativize(p));
                        }
                        entries.add(new Entry(relativeName(dir, p), p));
                    }
                }
            }
            entries.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
            write(sink, DOMAIN);
            write(sink, ByteBuffer.allocate(4).putInt(entries.size()).array());
            byte[] buf = entries.isEmpty() ? null : new byte[64 * 1024]; // none for an empty output
            for (Entry e : entries) {
                long size = Files.size(e.path);
                write(sink, ByteBuffer.allocate(4).putInt(e.name.length).array());
                write(sink, e.name);
                write(sink, ByteBuffer.allocate(8).putLong(size).array());
                long read = 0;
                try (InputStream in = Files.newInputStream(e.path)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sink.write(buf, 0, n);
                        read += n;
                    }
                }
                if (read != size) {
                    throw new IOException("file changed while hashing: " + new String(e.name, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot digest " + dir, e);
        }
    }

    private static void write(Sink sink, byte[] bytes) {
        sink.write(bytes, 0, bytes.length);
    }

    static byte[] relativeName(Path dir, Path file) {
        Path rel = dir.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rel.getNameCount(); i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(rel.getName(i).toString());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** Lower-case hex sha256 of the bytes (no 0x). */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private record Entry(byte[] name, Path path) {}
}
