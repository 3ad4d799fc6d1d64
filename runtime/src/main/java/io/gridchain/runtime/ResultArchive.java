package io.gridchain.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A result directory as one byte stream: exactly the canonical encoding that {@link ResultDigest} hashes, so
 * {@code "0x" + sha256(encode(dir))} equals {@link ResultDigest#of(Path) ResultDigest.of(dir)} and the result
 * store can be content-addressed by the digest the replicas voted on.
 *
 * <pre>
 * "gridchain-result-v1\n" || u32be(fileCount)
 *   || for each regular file, in order of its path's UTF-8 bytes (unsigned): u32be(len(path)) || path || u64be(size) || content
 * </pre>
 *
 * <p>{@link #decode(byte[], Path)} accepts only canonical archives: paths strictly ascending, relative, made of
 * non-empty names other than {@code "."} and {@code ".."}, no backslash or NUL, and no trailing bytes. A
 * malformed archive is refused with an {@link IllegalArgumentException} before anything is written.
 */
public final class ResultArchive {

    private ResultArchive() {}

    /** The canonical encoding of the regular files under {@code dir} (an absent directory encodes zero files). */
    public static byte[] encode(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] total = {0};
        ResultDigest.encode(dir, (bytes, offset, length) -> {
            total[0] += length;
            if (total[0] > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("result under " + dir + " is too large to archive in memory");
            }
            out.write(bytes, offset, length);
        });
        return out.toByteArray();
    }

    /** The canonical encoding of {@code files} (paths relative, '/'-separated), in the order the format fixes. */
    public static byte[] encode(List<ArchivedFile> files) {
        List<byte[]> names = new ArrayList<>(files.size());
        List<ArchivedFile> sorted = new ArrayList<>(files);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.path().getBytes(StandardCharsets.UTF_8),
                b.path().getBytes(StandardCharsets.UTF_8)));
        long size = ResultDigest.DOMAIN.length + 4;
        for (ArchivedFile f : sorted) {
            byte[] name = f.path().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 4 + name.length + 8 + f.content().length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a result of " + size + " bytes is too large to archive in memory");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put(ResultDigest.DOMAIN).putInt(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            byte[] content = sorted.get(i).content();
            out.putInt(names.get(i).length).put(names.get(i)).putLong(content.length).put(content);
        }
        return out.array();
    }

    /** The digest of an archive, as {@link ResultDigest#of(Path)} writes it: 0x followed by 64 hex digits. */
    public static String digest(byte[] archive) {
        return "0x" + ResultDigest.sha256Hex(archive);
    }

    /** One file of an archive. */
    public record ArchivedFile(String path, byte[] content) {}

    /** Parses and validates an archive without writing anything. */
    public static List<ArchivedFile> read(byte[] archive) {
        if (archive == null) {
            throw new IllegalArgumentException("malformed result archive: no bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(archive);
        byte[] domain = ResultDigest.DOMAIN;
        if (archive.length < domain.length + 4
                || !Arrays.equals(archive, 0, domain.length, domain, 0, domain.length)) {
            throw new IllegalArgumentException(
                    "malformed result archive: it does not start with \"gridchain-result-v1\\n\"");
        }
        in.position(domain.length);
        long count = Integer.toUnsignedLong(in.getInt());
        // each file takes at least 4 + 1 + 8 bytes
        if (count > in.remaining() / 13) {
            throw new IllegalArgumentException("malformed result archive: it claims " + count
                    + " files but has only " + in.remaining() + " bytes left");
        }
        List<ArchivedFile> files = new ArrayList<>((int) count);
        Set<String> directories = new HashSet<>();
        Set<String> names = new HashSet<>();
        byte[] previous = null;
        for (long i = 0; i < count; i++) {
            if (in.remaining() < 4) {
                throw truncated(i);
            }
            long nameLength = Integer.toUnsignedLong(in.getInt());
            if (nameLength == 0 || nameLength > in.remaining()) {
                throw new IllegalArgumentException("malformed result archive: file " + i + " has a path of "
                        + nameLength + " bytes (" + in.remaining() + " bytes left)");
            }
            byte[] name = new byte[(int) nameLength];
            in.get(name);
            String path = checkPath(name, i);
            if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                throw new IllegalArgumentException("malformed result archive: paths are not in strictly ascending"
                        + " order at '" + path + "' (duplicate or unsorted)");
            }
            previous = name;
            if (in.remaining() < 8) {
                throw truncated(i);
            }
            long size = in.getLong();
            if (size < 0 || size > in.remaining()) {
                throw new IllegalArgumentException("malformed result archive: file '" + path + "' claims " + size
                        + " bytes but only " + in.remaining() + " are left");
            }
            byte[] content = new byte[(int) size];
            in.get(content);
            String[] parts = path.split("/");
            StringBuilder prefix = new StringBuilder();
            for (int p = 0; p < parts.length - 1; p++) {
                if (p > 0) {
                    prefix.append('/');
                }
                prefix.append(parts[p]);
                if (names.contains(prefix.toString())) {
                    throw new IllegalArgumentException("malformed result archive: '" + prefix
                            + "' is both a file and a directory");
                }
                directories.add(prefix.toString());
            }
            if (directories.contains(path)) {
                throw new IllegalArgumentException(
                        "malformed result archive: '" + path + "' is both a file and a directory");
            }
            names.add(path);
            files.add(new ArchivedFile(path, content));
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(
                    "malformed result archive: " + in.remaining() + " unexpected bytes after the last file");
        }
        return files;
    }

    /**
     * Writes the archive's files under {@code dir} (created if absent). The whole archive is validated first; a
     * file that already exists is not overwritten.
     *
     * @throws IllegalArgumentException the archive is malformed or names a path outside {@code dir}
     * @throws UncheckedIOException     a file cannot be written
     */
    public static void decode(byte[] archive, Path dir) {
        List<ArchivedFile> files = read(archive);
        Path root = dir.toAbsolutePath().normalize();
        List<Path> targets = new ArrayList<>(files.size());
        for (ArchivedFile f : files) {
            Path target = root.resolve(f.path()).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IllegalArgumentException(
                        "malformed result archive: path '" + f.path() + "' leaves the output directory");
            }
            targets.add(target);
        }
        try {
            Files.createDirectories(root);
            for (int i = 0; i < files.size(); i++) {
                Path target = targets.get(i);
                Path parent = target.getParent();
                Files.createDirectories(parent);
                if (!parent.toRealPath().startsWith(root.toRealPath())) {
                    throw new IllegalArgumentException("result archive path '" + files.get(i).path()
                            + "' leads outside " + dir + " through a symbolic link");
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("file already exists: " + target);
                }
                Files.write(target, files.get(i).content(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the result archive into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String checkPath(byte[] raw, long index) {
        String path;
        try {
            path = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed result archive: the path of file " + index
                    + " is not valid UTF-8");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("malformed result archive: absolute path '" + path + "'");
        }
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || (path.length() > 1 && path.charAt(1) == ':')) {
            throw new IllegalArgumentException(
                    "malformed result archive: path '" + path + "' contains a backslash, NUL or drive letter");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("malformed result archive: path '" + path
                        + "' must be relative, with no empty, '.' or '..' names");
            }
        }
        return path;
    }

    private static IllegalArgumentException truncated(long index) {
        return new IllegalArgumentException("malformed result archive: truncated in file " + index);
    }
}
