package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.runtime.ResultDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's content cache honours its size limit and each placed entry's lifetime, across restarts. */
class ContentCacheTest {
    @TempDir Path dir;
    final AtomicLong clock = new AtomicLong(1_000_000);

    static byte[] bytes(int n, char c) {
        return String.valueOf(c).repeat(n).getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] b) {
        return ResultDigest.sha256Hex(b);
    }

    ContentCache cache(long maxBytes) {
        return new ContentCache(dir, maxBytes, clock::get);
    }

    @Test
    void victimsAreTheExpiredThenTheLeastRecentlyUsedBeyondTheLimit() {
        List<ContentCache.Entry> entries = List.of(
                new ContentCache.Entry("old", 40, 100, 0, false),
                new ContentCache.Entry("expired", 10, 500, 100, true),
                new ContentCache.Entry("recent", 40, 900, 0, false),
                new ContentCache.Entry("placed", 40, 800, 10_000, true));
        assertThat(ContentCache.victims(entries, 1_000, 100)).containsExactly("expired", "old");
        assertThat(ContentCache.victims(entries, 1_000, 1_000)).containsExactly("expired");
    }

    @Test
    void theLeastRecentlyUsedEntryLeavesTheDiskWhenTheCacheIsFull() throws Exception {
        ContentCache cache = cache(2_500);
        byte[] a = bytes(1_000, 'a');
        byte[] b = bytes(1_000, 'b');
        byte[] c = bytes(1_000, 'c');
        cache.put(hex(a), a, 0, false);
        clock.addAndGet(10);
        cache.put(hex(b), b, 0, false);
        clock.addAndGet(10);
        assertThat(cache.get(hex(a), 0, false)).isEqualTo(a); // a is used again: b is now the oldest
        clock.addAndGet(10);
        cache.put(hex(c), c, 0, false);
        assertThat(Files.exists(dir.resolve(hex(b)))).isFalse();
        assertThat(Files.exists(dir.resolve(hex(a)))).isTrue();
        assertThat(cache.diskBytes()).isEqualTo(2_000);
    }

    @Test
    void aPlacedEntryIsReportedUntilItsLifetimeRunsOutAfterItsLastUse() {
        ContentCache cache = cache(1 << 20);
        byte[] big = bytes(5_000, 'x');
        cache.put(hex(big), big, 60_000, true);
        byte[] app = bytes(100, 'w');
        cache.put(hex(app), app, 0, false);
        assertThat(cache.placed(10)).containsExactly(hex(big));
        clock.addAndGet(50_000);
        assertThat(cache.get(hex(big), 60_000, true)).isEqualTo(big); // used: its lifetime starts again
        clock.addAndGet(50_000);
        assertThat(cache.placed(10)).containsExactly(hex(big));
        clock.addAndGet(10_001);
        assertThat(cache.placed(10)).isEmpty();
        assertThat(Files.exists(dir.resolve(hex(big)))).isFalse();
        assertThat(cache.get(hex(app), 0, false)).isEqualTo(app); // no lifetime: kept
    }

    @Test
    void aRestartedWorkerStillReportsWhatItCachedAndDropsWhatExpiredMeanwhile() throws Exception {
        byte[] kept = bytes(2_000, 'k');
        byte[] shortLived = bytes(2_000, 's');
        ContentCache first = cache(1 << 20);
        first.put(hex(kept), kept, 3_600_000, true);
        first.put(hex(shortLived), shortLived, 1_000, true);
        Files.writeString(dir.resolve("junk.part"), "cut by a crash");
        // the files' times are the clock's; the restarted cache reads them from the disk
        clock.addAndGet(5_000);
        ContentCache restarted = cache(1 << 20);
        assertThat(restarted.placed(10)).containsExactly(hex(kept));
        assertThat(Files.exists(dir.resolve("junk.part"))).isFalse();
        assertThat(restarted.get(hex(kept), 0, false)).isEqualTo(kept);
    }

    @Test
    void aCorruptedEntryIsDroppedInsteadOfServed() throws Exception {
        ContentCache cache = cache(1 << 20);
        byte[] big = bytes((int) (ContentCache.MEMORY_BYTES / 4) + 1, 'z');
        cache.put(hex(big), big, 0, true); // too big for memory: the next read is from the disk
        Files.write(dir.resolve(hex(big)), bytes(10, 'q'));
        assertThat(cache.get(hex(big), 0, true)).isNull();
        assertThat(cache.placed(10)).isEmpty();
    }
}
