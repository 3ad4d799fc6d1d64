package io.gridchain.worker;

import io.gridchain.runtime.ResultArchive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fault injection for tests and benchmarks: a saboteur worker. It runs every task honestly, then, after
 * {@code honestFor} replicates, corrupts its output with probability {@code rate} before computing the digest.
 *
 * <p>Colluders ({@code collude}) lie on the same tasks and agree on the same wrong output: both the
 * decision and the corruption are a function of {@code (seed, taskId)} only, so every colluder with the
 * same seed returns the same wrong digest. A lone saboteur draws at random and corrupts with its own
 * address mixed in, so no two lone saboteurs agree.
 *
 * @param rate s, the probability of lying on a task (0..1)
 * @param collude whether it agrees with the other colluders sharing {@code seed}
 * @param seed the colluders' shared secret (and a lone saboteur's random seed)
 * @param honestFor replicates run honestly before lying starts (a saboteur building up reputation first)
 */
public record Sabotage(double rate, boolean collude, long seed, long honestFor) {
    public Sabotage {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("sabotage rate must be in [0, 1], got " + rate);
        if (honestFor < 0) throw new IllegalArgumentException("honestFor must be >= 0, got " + honestFor);
    }

    /** Whether to lie on {@code taskId}, given that {@code done} replicates ran before; {@code random} for lone saboteurs. */
    public boolean lies(String taskId, long done, SplittableRandom random) {
        if (done < honestFor || rate == 0) return false;
        if (!collude) return random.nextDouble() < rate;
        return new SplittableRandom(mix(taskId)).nextDouble() < rate;
    }

    /**
     * Corrupts an output ({@link ResultArchive}): appends a line to its first file, or adds {@code result.txt} when
     * it has none. Returns the corrupted archive.
     */
    public byte[] corrupt(byte[] output, String taskId, String worker) {
        byte[] mark = ("sabotage " + Long.toHexString(collude ? mix(taskId) : mix(taskId + worker)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        List<ResultArchive.ArchivedFile> files = new ArrayList<>(ResultArchive.read(output));
        if (files.isEmpty()) {
            files.add(new ResultArchive.ArchivedFile("result.txt", mark));
        } else {
            byte[] first = files.get(0).content();
            byte[] changed = Arrays.copyOf(first, first.length + mark.length);
            System.arraycopy(mark, 0, changed, first.length, mark.length);
            files.set(0, new ResultArchive.ArchivedFile(files.get(0).path(), changed));
        }
        return ResultArchive.encode(files);
    }

    private long mix(String s) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : s.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)) h = (h ^ b) * 0x100000001B3L;
        return h ^ (h >>> 31);
    }
}
