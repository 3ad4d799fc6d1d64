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

/** Results as files named by their digest, written atomically (a crash never leaves half a result). */
public final class FileResultStore implements ResultStore {
    private static final String SEALED = ".sealed";

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
    public void putSealed(String digest, byte[] sealed) {
        String name = normalize(digest);
        write(dir.resolve(name + SEALED), name, sealed);
    }

    @Override
    public Optional<byte[]> sealed(String digest) {
        return read(dir.resolve(normalize(digest) + SEALED), digest);
    }

    private void write(Path target, String name, byte[] archive) {
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
