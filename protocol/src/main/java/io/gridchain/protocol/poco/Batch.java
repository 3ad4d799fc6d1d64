package io.gridchain.protocol.poco;

import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the calldata of the aggregated path: for each task, the distinct digests received (the
 * winner first) and, per digest, the mask of workers who submitted it; plus the ordered worker
 * list and, per worker, the entries its signature must cover.
 */
public final class Batch {
    /** A worker's vote; its address is kept canonical, so the batch compares addresses as plain strings. */
    public record Vote(String worker, String digest) {
        public Vote {
            worker = Words.canonical(worker);
        }
    }

    /** One task of the batch as the hub takes it. */
    public record TaskVotes(long index, List<String> digests, List<BigInteger> voterMasks, byte[] callbackData) {}

    private record Pending(long index, String taskId, List<Vote> votes, String winner, byte[] callbackData) {}

    private final List<Pending> tasks = new ArrayList<>();

    /**
     * Adds a task. {@code winner} is the digest the scheduler claims reached consensus; the others
     * are listed so their authors lose. A null {@code callbackData} means none.
     */
    public Batch add(long index, String taskId, List<Vote> votes, String winner, byte[] callbackData) {
        if (votes.stream().noneMatch(v -> v.digest().equalsIgnoreCase(winner))) {
            throw new IllegalArgumentException("no vote for the winning digest " + winner + " on task " + index);
        }
        if (votes.stream().map(v -> Words.canonical(v.worker())).distinct().count() != votes.size()) {
            throw new IllegalArgumentException("a worker votes twice on task " + index);
        }
        tasks.add(new Pending(index, taskId, List.copyOf(votes), winner.toLowerCase(), callbackData));
        return this;
    }

    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    public int size() {
        return tasks.size();
    }

    /** Every contributing worker, in the strictly increasing address order the hub requires. */
    public List<String> workers() {
        TreeSet<String> sorted = new TreeSet<>();
        for (Pending t : tasks) for (Vote v : t.votes()) sorted.add(v.worker());
        return List.copyOf(sorted);
    }

    public List<TaskVotes> taskVotes() {
        List<String> workers = workers();
        List<TaskVotes> out = new ArrayList<>();
        for (Pending t : tasks) {
            Map<String, BigInteger> masks = new LinkedHashMap<>();
            masks.put(t.winner(), BigInteger.ZERO);
            for (Vote v : t.votes()) {
                int position = workers.indexOf(v.worker());
                masks.merge(v.digest().toLowerCase(), BigInteger.ONE.shiftLeft(position), BigInteger::or);
            }
            byte[] data = t.callbackData() == null ? new byte[0] : t.callbackData();
            out.add(new TaskVotes(t.index(), List.copyOf(masks.keySet()), List.copyOf(masks.values()), data));
        }
        return out;
    }

    /** The entries {@code worker}'s signature covers, in batch order. */
    public List<Contributions.Entry> entriesOf(String worker) {
        String w = Words.canonical(worker);
        List<Contributions.Entry> entries = new ArrayList<>();
        for (Pending t : tasks) {
            for (Vote v : t.votes()) {
                if (v.worker().equals(w)) entries.add(new Contributions.Entry(t.taskId(), v.digest()));
            }
        }
        return entries;
    }
}
