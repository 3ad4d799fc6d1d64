package io.gridchain.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * How a worker agent runs.
 *
 * @param schedulerUrl base URL of the workerpool's scheduler, e.g. {@code http://127.0.0.1:7070} (the API paths of
 *                     {@link io.gridchain.api.WorkerApi} are appended to it)
 * @param key          the worker's key: signs every request, commitments and batch contributions
 * @param slots        how many replicates the worker runs at once (its declared capacity); 0 or less: one per CPU
 * @param cacheDir     where fetched apps and inputs are cached by sha256 ({@code cacheDir/sha256/HEX}) and where
 *                     replicates run ({@code cacheDir/work/ADDRESS}, cleared at start); null: {@link #defaultCacheDir()}
 * @param pollInterval how long an idle worker waits between claims; null: {@link #DEFAULT_POLL_INTERVAL}
 * @param sabotage fault injection for tests and benchmarks: lie as a saboteur; null: honest (always in production)
 * @param cacheMaxBytes most bytes the content cache keeps on disk; 0 or less: {@link ContentCache#DEFAULT_MAX_BYTES}
 */
public record WorkerConfig(String schedulerUrl, Credentials key, int slots, Path cacheDir, Duration pollInterval,
        Sabotage sabotage, long cacheMaxBytes) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);

    public WorkerConfig {
        Objects.requireNonNull(schedulerUrl, "schedulerUrl");
        Objects.requireNonNull(key, "key");
        if (schedulerUrl.isBlank()) {
            throw new IllegalArgumentException("schedulerUrl is empty: give the scheduler's URL, e.g. http://127.0.0.1:7070");
        }
        schedulerUrl = schedulerUrl.strip();
        while (schedulerUrl.endsWith("/")) {
            schedulerUrl = schedulerUrl.substring(0, schedulerUrl.length() - 1);
        }
        if (!schedulerUrl.startsWith("http://") && !schedulerUrl.startsWith("https://")) {
            throw new IllegalArgumentException("schedulerUrl must start with http:// or https://, got " + schedulerUrl);
        }
        if (slots <= 0) {
            slots = defaultSlots();
        }
        if (cacheDir == null) {
            cacheDir = defaultCacheDir();
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            pollInterval = DEFAULT_POLL_INTERVAL;
        }
        if (cacheMaxBytes <= 0) {
            cacheMaxBytes = ContentCache.DEFAULT_MAX_BYTES;
        }
    }

    public WorkerConfig(String schedulerUrl, Credentials key, int slots, Path cacheDir, Duration pollInterval) {
        this(schedulerUrl, key, slots, cacheDir, pollInterval, null, 0);
    }

    /** A configuration with the default slots (one per CPU), cache directory and poll interval. */
    public static WorkerConfig of(String schedulerUrl, Credentials key) {
        return new WorkerConfig(schedulerUrl, key, 0, null, null);
    }

    public WorkerConfig withSlots(int value) {
        return new WorkerConfig(schedulerUrl, key, value, cacheDir, pollInterval, sabotage, cacheMaxBytes);
    }

    public WorkerConfig withCacheDir(Path value) {
        return new WorkerConfig(schedulerUrl, key, slots, value, pollInterval, sabotage, cacheMaxBytes);
    }

    public WorkerConfig withPollInterval(Duration value) {
        return new WorkerConfig(schedulerUrl, key, slots, cacheDir, value, sabotage, cacheMaxBytes);
    }

    /** A saboteur (fault injection for tests and benchmarks only). */
    public WorkerConfig withSabotage(Sabotage value) {
        return new WorkerConfig(schedulerUrl, key, slots, cacheDir, pollInterval, value, cacheMaxBytes);
    }

    /** A content cache of at most {@code value} bytes on disk. */
    public WorkerConfig withCacheMaxBytes(long value) {
        return new WorkerConfig(schedulerUrl, key, slots, cacheDir, pollInterval, sabotage, value);
    }

    /** One slot per available processor. */
    public static int defaultSlots() {
        return Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
    }

    /** {@code ~/.gridchain/worker}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".gridchain", "worker");
    }

    /** The worker's address, lower-case 0x-hex. */
    public String address() {
        return key.getAddress().toLowerCase();
    }

    @Override
    public String toString() {
        // never print the key
        return "WorkerConfig[schedulerUrl=" + schedulerUrl + ", worker=" + address() + ", slots=" + slots
                + ", cacheDir=" + cacheDir + ", cacheMaxBytes=" + cacheMaxBytes + ", pollInterval=" + pollInterval.toMillis() + " ms]";
    }
}
