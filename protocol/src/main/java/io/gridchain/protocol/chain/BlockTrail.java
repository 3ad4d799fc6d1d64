package io.gridchain.protocol.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * What a chain follower (the scheduler's deal scan, the order book's scan) decides at each step, so that it acts
 * only on confirmed blocks and recovers from a reorganisation: nothing processed twice, nothing lost.
 *
 * <p>The trail keeps the hash of the last block of each range the follower processed (a bounded window, newest
 * last). A block's hash commits to all its ancestors, so while the newest mark still matches the node, nothing the
 * follower processed was reorganised; when it does not, the highest mark that still matches is the fork point and
 * the follower rescans from the block after it. A reorganisation deeper than the window (no mark matches) asks for
 * a full rescan from the follower's origin ({@link Rewind#fork} null): followers dedupe what they see again, so a
 * rescan costs time, never correctness.
 *
 * <p>Pure: the node's answers come in through {@code hashAt}; not thread-safe (one follower thread owns it).
 */
public final class BlockTrail {
    /** The hash of a processed block. */
    public record Mark(long number, String hash) {
        public Mark {
            Objects.requireNonNull(hash, "hash");
            hash = hash.toLowerCase();
        }
    }

    /** What the follower does next. */
    public sealed interface Step permits Advance, Wait, Rewind {}

    /** Scan blocks {@code from..to} (both included): {@code to} is {@code confirmations} below the head. */
    public record Advance(long from, long to) implements Step {}

    /** Nothing confirmed beyond what was processed. */
    public record Wait() implements Step {}

    /**
     * A reorganisation removed processed blocks: rescan from the block after {@code fork} (the highest processed
     * block still on the chain), or from the follower's origin when {@code fork} is null (deeper than the window).
     */
    public record Rewind(Mark fork) implements Step {
        /** The first block to scan again, {@code origin} when the fork point is unknown. */
        public long from(long origin) {
            return fork == null ? origin : fork.number() + 1;
        }
    }

    /** The default window: enough for any reorganisation a public chain has seen since the merge. */
    public static final int WINDOW = 128;

    private final int capacity;
    private final List<Mark> marks = new ArrayList<>();

    /** A trail of at most {@code capacity} marks, resumed from {@code saved} (oldest first). */
    public BlockTrail(int capacity, List<Mark> saved) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        saved.stream().sorted(java.util.Comparator.comparingLong(Mark::number)).forEach(this::processed);
    }

    /**
     * The next step for a follower whose next block to scan is {@code next}, given the node's {@code head} and the
     * hash it now gives each block ({@code hashAt}, null for a block it does not have).
     */
    public Step next(long next, long head, int confirmations, LongFunction<String> hashAt) {
        if (!marks.isEmpty()) {
            Mark newest = marks.get(marks.size() - 1);
            if (!matches(newest, hashAt)) return new Rewind(forkPoint(hashAt));
        }
        long to = head - confirmations;
        return to < next ? new Wait() : new Advance(next, to);
    }

    /** The highest mark the node still agrees with, or null when it agrees with none. */
    private Mark forkPoint(LongFunction<String> hashAt) {
        for (int i = marks.size() - 2; i >= 0; i--) {
            if (matches(marks.get(i), hashAt)) return marks.get(i);
        }
        return null;
    }

    private static boolean matches(Mark m, LongFunction<String> hashAt) {
        String now = hashAt.apply(m.number());
        return now != null && now.equalsIgnoreCase(m.hash());
    }

    /**
     * Records that blocks up to {@code m} were processed; read {@code m}'s hash before scanning its range, so that
     * a reorganisation between the two shows as a mismatch at the next step rather than going unseen.
     */
    public void processed(Mark m) {
        while (!marks.isEmpty() && marks.get(marks.size() - 1).number() >= m.number()) marks.remove(marks.size() - 1);
        marks.add(m);
        while (marks.size() > capacity) marks.remove(0);
    }

    /** Forgets the marks above the fork point ({@code fork} null: all of them) after a {@link Rewind}. */
    public void rewound(Mark fork) {
        marks.removeIf(m -> fork == null || m.number() > fork.number());
    }

    /** The marks, oldest first: what a follower saves to resume across restarts. */
    public List<Mark> marks() {
        return List.copyOf(marks);
    }

    /** The newest mark, or null before the first. */
    public Mark newest() {
        return marks.isEmpty() ? null : marks.get(marks.size() - 1);
    }
}
