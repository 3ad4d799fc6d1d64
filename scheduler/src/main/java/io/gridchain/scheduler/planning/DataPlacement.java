package io.gridchain.scheduler.planning;

import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.api.WorkerApi.PlacementSpec;
import io.gridchain.api.WorkerApi.SweepSpec;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BitDew's data placement directives applied to assignment, as pure rules over a {@link Snapshot}: a task whose inputs
 * carry directives ({@link PlacementSpec}) goes preferably to a worker that already caches them (its heartbeat says
 * so, or it was given a task that fetches them since).
 *
 * <p>For a worker that does not hold a placed input: with {@code replicas} N, it may take the task only while fewer
 * than N live workers hold the input (the data spreads to N workers, then stays there); with affinity alone, it may
 * take it unless a live holder that could run the task has a free slot (that holder is about to ask). Either way a
 * task no holder may run (every holder already ran it, or was caught lying) goes to anyone, so a directive never
 * stops a task from reaching its trust; a holder that stops being seen stops counting, so a dead cache never holds
 * work back; and a worker waits for holders only while the input's tasks keep moving (one was given out, or a holder
 * appeared, within the time after which a worker counts as lost): delay scheduling, so that workers that claim to
 * hold an input and never take its tasks delay them by that much, never forever.
 *
 * <p>Directives on inputs without a checksum are ignored (nothing names their content), and so are per-task inputs
 * of a sweep given by manifest: the scheduler never reads the manifest.
 */
public final class DataPlacement {
    private final long workerLostAfter;
    private final ReplicationPolicy policy;

    public DataPlacement(long workerLostAfter, ReplicationPolicy policy) {
        this.workerLostAfter = workerLostAfter;
        this.policy = policy;
    }

    /** An input the planner places: its cache key (sha256, 64 lower-case hex digits) and its directive. */
    public record Placed(String key, PlacementSpec spec) {}

    /** The inputs of task {@code index} of {@code deal} that carry a directive and a checksum. */
    public static List<Placed> placedInputs(DealView deal, long index) {
        List<Placed> out = new ArrayList<>();
        addPlaced(out, deal.inputs());
        SweepSpec sweep = deal.sweep();
        if (sweep != null && index >= 0 && index < sweep.tasks().size()) {
            addPlaced(out, sweep.tasks().get((int) index).inputs());
        }
        return out;
    }

    private static void addPlaced(List<Placed> out, List<InputSpec> inputs) {
        if (inputs == null) return;
        for (InputSpec in : inputs) {
            if (in == null || in.placement() == null || !in.placement().placed()) continue;
            String key = key(in.checksum());
            if (key != null) out.add(new Placed(key, in.placement()));
        }
    }

    /** A checksum as the caches report it (64 lower-case hex digits, no prefix), or null if it is not a sha256. */
    public static String key(String checksum) {
        if (checksum == null) return null;
        String hex = checksum.strip().toLowerCase(Locale.ROOT);
        if (hex.startsWith("0x")) hex = hex.substring(2);
        if (hex.length() != 64) return null;
        for (int i = 0; i < hex.length(); i++) if (!HexFormat.isHexDigit(hex.charAt(i))) return null;
        return hex;
    }

    /** Whether {@code worker} caches every one of {@code placed} (and there is at least one). */
    public boolean holdsAll(Snapshot s, String worker, List<Placed> placed) {
        if (placed.isEmpty()) return false;
        var cached = s.cached(worker);
        for (Placed p : placed) if (!cached.contains(p.key())) return false;
        return true;
    }

    /**
     * Whether {@code worker} may take a replica of {@code t}, whose placed inputs are {@code placed}, given its
     * replicates {@code rs}. {@code holders} remembers who holds what for the length of one claim.
     */
    public boolean allows(Snapshot s, String worker, Task t, List<Replicate> rs, List<Placed> placed, Holders holders,
            long now) {
        var mine = s.cached(worker);
        for (Placed p : placed) {
            if (mine.contains(p.key())) continue;
            List<Worker> live = holders.of(p.key(), now);
            if (p.spec().replicas() > 0 && live.size() < p.spec().replicas()) continue; // still spreading
            boolean holderWaits = false;
            for (Worker h : live) {
                if (h.address().equals(worker) || ranIt(rs, h.address()) || policy.refused(s.spotChecks(h.address()))) {
                    continue;
                }
                // with a bound, the data stays on its holders even when they are busy: they free up, others would fetch
                if (p.spec().replicas() > 0 || s.busy(h.address()) < h.slots()) {
                    holderWaits = true;
                    break;
                }
            }
            if (holderWaits && now - s.placedAt(p.key()) < workerLostAfter) return false;
        }
        return true;
    }

    private static boolean ranIt(List<Replicate> rs, String worker) {
        for (Replicate r : rs) if (r.worker().equals(worker) && r.status() != ReplicateStatus.LOST) return true;
        return false;
    }

    /** The live holders of each input, worked out once per claim. */
    public Holders holders(Snapshot s) {
        return new Holders(s);
    }

    /** Who holds an input: workers seen within the time after which a worker counts as lost, that cache it. */
    public final class Holders {
        private final Snapshot s;
        private final Map<String, List<Worker>> byKey = new HashMap<>();

        private Holders(Snapshot s) {
            this.s = s;
        }

        List<Worker> of(String key, long now) {
            return byKey.computeIfAbsent(key, k -> {
                List<Worker> out = new ArrayList<>();
                for (Worker w : s.workers().values()) {
                    if (now - w.lastSeen() <= workerLostAfter && s.cached(w.address()).contains(k)) out.add(w);
                }
                return out;
            });
        }
    }
}
