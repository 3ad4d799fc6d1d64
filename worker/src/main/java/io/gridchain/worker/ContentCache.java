package io.gridchain.worker;

import io.gridchain.runtime.ResultDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's content cache: verified bytes under {@code dir/HEX} (HEX their sha256), the ones used lately also in
 * memory. It honours two limits: its size on disk ({@code maxBytes}, the least recently used entries go first) and
 * each entry's lifetime, the time an entry fetched under a placement directive stays after its last use. Entries
 * fetched under a directive ("placed") are the ones the worker reports in its heartbeat, so that the planner sends it
 * the tasks that read them; their directive survives a restart in a small {@code HEX.placed} file beside them.
 * Thread-safe: the index is guarded by the cache's lock, contents are read and written outside it (so that one slot
 * reading a big input does not hold up the others), and bytes are only handed out as copies.
 */
final class ContentCache {
    private static final Logger log = LoggerFactory.getLogger(ContentCache.class);

    /** Most bytes kept in memory (on top of the disk). */
    static final long MEMORY_BYTES = 64L << 20;
    /** Default most bytes on disk: 8 GiB. */
    static final long DEFAULT_MAX_BYTES = 8L << 30;
    private static final String PLACED = ".placed";

    /** One entry on disk: its size, when it was last used, and its directive's lifetime (0: none). */
    record Entry(String hex, long size, long lastUsed, long lifetimeMillis, boolean placed) {
        boolean expired(long now) {
            return lifetimeMillis > 0 && now - lastUsed > lifetimeMillis;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private long diskBytes;
    /**
     * Verified contents used lately, least recently used first: every replicate of a deal fetches the same app, and
     * reading and hashing it from disk each time cost more than a tiny app's run.
     */
    private final LinkedHashMap<String, byte[]> recent = new LinkedHashMap<>(16, 0.75f, true);
    private long recentBytes;

    ContentCache(Path dir, long maxBytes, LongSupplier clock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.clock = clock;
        scan();
    }

    /** The verified bytes of {@code hex}, or null; a hit counts as a use, and may extend the entry's lifetime. */
    byte[] get(String hex, long lifetimeMillis, boolean placed) {
        synchronized (this) {
            byte[] kept = recent.get(hex);
            Entry e = entries.get(hex);
            if (kept != null) {
                if (e != null) use(e, lifetimeMillis, placed);
                return kept.clone();
            }
            if (e == null) return null;
        }
        Path file = dir.resolve(hex);
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
            if (!ResultDigest.sha256Hex(bytes).equals(hex)) {
                log.warn("cache entry {} is corrupted; dropping it", file);
                bytes = null;
            }
        } catch (IOException e) {
            log.warn("cannot read cache entry {}: {}", file, e.getMessage());
        }
        synchronized (this) {
            if (bytes == null) {
                drop(hex);
                return null;
            }
            Entry e = entries.get(hex);
            if (e != null) use(e, lifetimeMillis, placed);
            remember(hex, bytes);
            return bytes;
        }
    }

    /** Keeps verified {@code bytes} (their sha256 is {@code hex}), then applies the limits. */
    void put(String hex, byte[] bytes, long lifetimeMillis, boolean placed) {
        boolean known;
        synchronized (this) {
            known = entries.containsKey(hex);
            remember(hex, bytes);
        }
        boolean written = !known && write(hex, bytes); // outside the lock, like reads
        synchronized (this) {
            if (written && !entries.containsKey(hex)) {
                entries.put(hex, new Entry(hex, bytes.length, clock.getAsLong(), 0, false));
                diskBytes += bytes.length;
            }
            Entry e = entries.get(hex);
            if (e != null) use(e, lifetimeMillis, placed);
            evict();
        }
    }

    /** The placed entries, most recently used first, at most {@code max}; expired entries are dropped first. */
    synchronized List<String> placed(int max) {
        evict();
        return entries.values().stream().filter(Entry::placed)
                .sorted(Comparator.comparingLong(Entry::lastUsed).reversed()).limit(max).map(Entry::hex).toList();
    }

    synchronized long diskBytes() {
        return diskBytes;
    }

    /**
     * The entries to drop: every expired one, then the least recently used until the rest fit in {@code maxBytes}.
     * A pure decision, so the policy is tested without files.
     */
    static List<String> victims(List<Entry> entries, long now, long maxBytes) {
        List<String> out = new ArrayList<>();
        long total = 0;
        List<Entry> alive = new ArrayList<>();
        for (Entry e : entries) {
            if (e.expired(now)) out.add(e.hex());
            else {
                alive.add(e);
                total += e.size();
            }
        }
        alive.sort(Comparator.comparingLong(Entry::lastUsed));
        for (Entry e : alive) {
            if (total <= maxBytes) break;
            out.add(e.hex());
            total -= e.size();
        }
        return out;
    }

    private void use(Entry e, long lifetimeMillis, boolean placed) {
        // the longest lifetime asked for wins: one deal's short directive must not cut another's
        Entry used = new Entry(e.hex(), e.size(), clock.getAsLong(), Math.max(e.lifetimeMillis(), lifetimeMillis),
                e.placed() || placed);
        entries.put(e.hex(), used);
        try {
            Files.setLastModifiedTime(dir.resolve(e.hex()), FileTime.fromMillis(used.lastUsed()));
            if (used.placed() != e.placed() || used.lifetimeMillis() != e.lifetimeMillis()) {
                Files.writeString(dir.resolve(e.hex() + PLACED), used.lifetimeMillis() + " " + used.placed());
            }
        } catch (IOException ex) {
            log.debug("cannot mark cache entry {} used: {}", e.hex(), ex.getMessage());
        }
    }

    private void evict() {
        for (String hex : victims(List.copyOf(entries.values()), clock.getAsLong(), maxBytes)) {
            log.debug("cache: dropping {}", hex);
            drop(hex);
        }
    }

    private void drop(String hex) {
        Entry e = entries.remove(hex);
        if (e != null) diskBytes -= e.size();
        byte[] kept = recent.remove(hex);
        if (kept != null) recentBytes -= kept.length;
        try {
            Files.deleteIfExists(dir.resolve(hex));
            Files.deleteIfExists(dir.resolve(hex + PLACED));
        } catch (IOException ex) {
            log.warn("cannot drop cache entry {}: {}", hex, ex.getMessage());
        }
    }

    /** Keeps a private copy of verified bytes in memory, dropping the least recently used beyond the budget. */
    private void remember(String hex, byte[] verified) {
        if (verified.length > MEMORY_BYTES / 4) return; // a big input would push out everything else for one use
        byte[] old = recent.put(hex, verified.clone());
        recentBytes += verified.length - (old == null ? 0 : old.length);
        var eldest = recent.entrySet().iterator();
        while (recentBytes > MEMORY_BYTES && eldest.hasNext()) {
            recentBytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    private boolean write(String hex, byte[] bytes) {
        Path file = dir.resolve(hex);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, hex, ".part");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot cache {} under {}: {}", hex, dir, e.getMessage());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            return false;
        }
    }

    /** Takes in the entries a previous run left: last used when last modified, with their directives. */
    private void scan() {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".part")) {
                    Files.deleteIfExists(f); // a write cut by a crash
                    continue;
                }
                if (name.length() != 64 || !Files.isRegularFile(f)) continue;
                long lifetime = 0;
                boolean placed = false;
                Path meta = dir.resolve(name + PLACED);
                if (Files.isRegularFile(meta)) {
                    String[] words = Files.readString(meta, StandardCharsets.UTF_8).strip().split(" ");
                    try {
                        lifetime = Long.parseLong(words[0]);
                        placed = words.length > 1 && Boolean.parseBoolean(words[1]);
                    } catch (NumberFormatException ignored) {
                        // a damaged note: the entry stays, as an unplaced one
                    }
                }
                long size = Files.size(f);
                entries.put(name, new Entry(name, size, Files.getLastModifiedTime(f).toMillis(), lifetime, placed));
                diskBytes += size;
            }
        } catch (IOException e) {
            log.warn("cannot read the cache {}: {}", dir, e.getMessage());
        }
        evict();
    }
}
