package io.gridchain.scheduler.results;

import io.gridchain.protocol.poco.Contributions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Results as files named by their digest, written atomically (a crash never leaves half a result); sealed copies
 * as {@code sealed/<digest>/<worker>}.
 */
public final class FileResultStore implements ResultStore {
    private static final String SEALED = "sealed";

    private final Path dir;

    public FileResultStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the result store at " + dir, e);
        }
    }

    @Override
    public void put(String digest, byte[] archive) {
        String name = normalize(digest);
        String actual = sha256(archive);
        // Callback deals certify keccak256 of their callback data, which is what they store.
        if (!actual.equals(name) && !normalize(Contributions.callbackDigest(archive)).equals(name)) {
            throw new IllegalArgumentException("result bytes hash to 0x" + actual + ", not to " + digest);
        }
        write(dir.resolve(name), name, archive);
    }

    @Override
    public void putSealed(String digest, String worker, byte[] sealed) {
        Path copies = dir.resolve(SEALED).resolve(normalize(digest));
        try {
            Files.createDirectories(copies);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store sealed result " + digest, e);
        }
        write(copies, copies.resolve(worker(worker)), normalize(digest), sealed);
    }

    @Override
    public java.util.List<String> sealedCopies(String digest) {
        Path copies = dir.resolve(SEALED).resolve(normalize(digest));
        if (!Files.isDirectory(copies)) return java.util.List.of();
        try (var files = Files.list(copies)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("0x[0-9a-f]{40}")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list sealed copies of " + digest, e);
        }
    }

    @Override
    public Optional<byte[]> sealed(String digest, String worker) {
        return read(dir.resolve(SEALED).resolve(normalize(digest)).resolve(worker(worker)), digest);
    }

    private static String worker(String address) {
        String a = address.toLowerCase();
        if (!a.matches("0x[0-9a-f]{40}")) throw new IllegalArgumentException("not a worker address: " + address);
        return a;
    }

    private void write(Path target, String name, byte[] archive) {
        write(dir, target, name, archive);
    }

    private static void write(Path dir, Path target, String name, byte[] archive) {
        if (Files.exists(target)) return;
        try {
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.write(tmp, archive);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store result " + name, e);
        }
    }

    @Override
    public Optional<byte[]> get(String digest) {
        return read(dir.resolve(normalize(digest)), digest);
    }

    private static Optional<byte[]> read(Path file, String digest) {
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read result " + digest, e);
        }
    }

    @Override
    public boolean contains(String digest) {
        return Files.exists(dir.resolve(normalize(digest)));
    }

    /** Lower-case 64 hex digits, without 0x; anything else is refused (no path tricks). */
    static String normalize(String digest) {
        String hex = digest.startsWith("0x") || digest.startsWith("0X") ? digest.substring(2) : digest;
        if (!hex.matches("[0-9a-fA-F]{64}")) throw new IllegalArgumentException("not a result digest: " + digest);
        return hex.toLowerCase();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
