package io.gridchain.market;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network's content-addressed store, served by the order book (docs/APPS.md): app modules and dataset files
 * addressed by their sha256, the checksum the chain records, so an author publishes without a server of their own and
 * a worker checks what it downloads as it checks any input. Anyone may upload, since an address proves its content;
 * what one address (IP) may upload is budgeted per hour, so the store cannot be filled for free.
 */
public final class Blobs {
    /** The largest file: a module or a modest dataset. Larger data belongs on a server of its own (--uri). */
    public static final long MAX_BYTES = 64L << 20;
    /** What one IP may upload per hour. */
    public static final long BUDGET_PER_HOUR = 256L << 20;

    private final Path dir;
    private final Map<String, long[]> spent = new ConcurrentHashMap<>(); // ip -> {hour, bytes}

    public Blobs(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the blob store at " + dir, e);
        }
    }

    /** Whether {@code ip} may upload {@code bytes} more this hour; reserves them if so. */
    public boolean reserve(String ip, long bytes, long nowMillis) {
        long hour = nowMillis / 3_600_000;
        synchronized (spent) {
            long[] s = spent.computeIfAbsent(ip, k -> new long[] {hour, 0});
            if (s[0] != hour) {
                s[0] = hour;
                s[1] = 0;
            }
            if (s[1] + bytes > BUDGET_PER_HOUR) return false;
            s[1] += bytes;
            return true;
        }
    }

    /** Stores {@code bytes} under {@code digest}; refuses bytes that do not hash to it. Idempotent. */
    public void put(String digest, byte[] bytes) {
        String name = normalize(digest);
        String actual = sha256(bytes);
        if (!actual.equals(name)) {
            throw new IllegalArgumentException("the bytes hash to 0x" + actual + ", not to " + digest
                    + ": a blob is stored under the sha256 of its content");
        }
        Path target = dir.resolve(name);
        if (Files.exists(target)) return;
        try {
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + digest, e);
        }
    }

    public Optional<byte[]> get(String digest) {
        Path file = dir.resolve(normalize(digest));
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest, e);
        }
    }

    /** 0x and 64 hex digits, lower-cased without 0x; anything else is refused (no path tricks). */
    static String normalize(String digest) {
        if (digest == null || !digest.matches("0[xX][0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a blob's address is 0x and the 64 hex digits of its sha256, got '"
                    + digest + "'");
        }
        return digest.substring(2).toLowerCase();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
