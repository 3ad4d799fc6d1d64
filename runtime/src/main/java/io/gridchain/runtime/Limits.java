package io.gridchain.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of one execution.
 *
 * @param wallTime       wall-clock time the app may run (module instantiation included, compilation excluded)
 * @param maxMemoryPages maximum linear memory in 64 KiB WebAssembly pages (1..65536)
 * @param maxOutputBytes maximum total size of the files under {@code /out}; also the most an app may write to
 *                       stdout or to stderr
 */
public record Limits(Duration wallTime, int maxMemoryPages, long maxOutputBytes) {

    /** Bytes in one WebAssembly page. */
    public static final int PAGE_BYTES = 65536;

    /** Largest page count a wasm32 memory can have (4 GiB). */
    public static final int MAX_PAGES = 65536;

    /** 60 s, 4096 pages (256 MiB), 64 MiB of output. */
    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), 4096, 64L << 20);

    public Limits {
        Objects.requireNonNull(wallTime, "wallTime");
        if (wallTime.isNegative() || wallTime.isZero()) {
            throw new IllegalArgumentException("wallTime must be positive, got " + wallTime);
        }
        if (maxMemoryPages < 1 || maxMemoryPages > MAX_PAGES) {
            throw new IllegalArgumentException("maxMemoryPages must be in [1, 65536], got " + maxMemoryPages);
        }
        if (maxOutputBytes < 0) {
            throw new IllegalArgumentException("maxOutputBytes must be >= 0, got " + maxOutputBytes);
        }
    }

    public Limits withWallTime(Duration value) {
        return new Limits(value, maxMemoryPages, maxOutputBytes);
    }

    public Limits withMaxMemoryPages(int value) {
        return new Limits(wallTime, value, maxOutputBytes);
    }

    public Limits withMaxOutputBytes(long value) {
        return new Limits(wallTime, maxMemoryPages, value);
    }

    /** The memory limit in bytes. */
    public long maxMemoryBytes() {
        return (long) maxMemoryPages * PAGE_BYTES;
    }
}
