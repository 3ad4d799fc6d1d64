package io.gridchain.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The deterministic clock apps see. Time starts at {@link #EPOCH} (realtime) and 0 (monotonic) and advances by
 * {@link #TICK_NANOS} on every reading, never with the host's time: two replicas that make the same calls read the
 * same times, and a loop that waits for the clock to move still terminates.
 */
final class VirtualClock extends Clock {

    /** The realtime clock's start: 2024-01-01T00:00:00Z. */
    static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

    /** How far each reading advances the clock: 1 microsecond. */
    static final long TICK_NANOS = 1_000L;

    private static final long EPOCH_NANOS = EPOCH.getEpochSecond() * 1_000_000_000L;

    private final AtomicLong elapsed = new AtomicLong();

    /** Advances the clock one tick and returns the nanoseconds elapsed since the start. */
    long tick() {
        return elapsed.addAndGet(TICK_NANOS);
    }

    /** Realtime reading in nanoseconds since the Unix epoch (advances the clock). */
    long realtimeNanos() {
        return EPOCH_NANOS + tick();
    }

    /** Monotonic reading in nanoseconds (advances the clock). */
    long monotonicNanos() {
        return tick();
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(tick());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the virtual clock is UTC only");
    }
}
