package io.gridchain.scheduler;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.deal.DealTerms;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Deals, tasks and replicates for the rooms' tests. */
public final class Fixtures {
    public static final String A = "0x" + "a".repeat(40);
    public static final String B = "0x" + "b".repeat(40);
    public static final String C = "0x" + "c".repeat(40);
    public static final String NO_CALLBACK = "0x" + "0".repeat(40);
    public static final long NOW = 1_000_000;
    public static final long CHAIN_NOW = 10_000;

    private Fixtures() {}

    /** A deal without callback whose deadline is {@code CHAIN_NOW + 3000}, each worker staking {@code stake}. */
    public static DealView deal(String dealId, long volume, long trust, long stake) {
        return deal(dealId, volume, trust, stake, NO_CALLBACK);
    }

    /** The same, calling {@code callback} back with each certified result. */
    public static DealView deal(String dealId, long volume, long trust, long stake, String callback) {
        Deal d = new Deal(A, A, A, A, callback, BigInteger.ONE, BigInteger.ZERO, BigInteger.TEN,
                BigInteger.valueOf(volume), BigInteger.valueOf(trust), BigInteger.valueOf(300),
                BigInteger.valueOf(CHAIN_NOW), BigInteger.valueOf(stake), BigInteger.ONE);
        DealTerms terms = new DealTerms(A, A, A, A, "0x0", BigInteger.ZERO, "", "0x1", "0x2", "0x3", "0x4");
        return new DealView(dealId, new DealRecord(dealId, d, terms, 1), new AppSpec(A, "app", "wasm", "u", "0x00"),
                List.of(), List.of(), CHAIN_NOW + 3000, 300_000);
    }

    public static String dealId(int n) {
        return "0x" + String.format("%064x", n);
    }

    public static String digest(int n) {
        return "0x" + String.format("%064x", 0xd000 + n);
    }

    /** The deal's tasks, all PENDING. */
    public static List<Task> tasksOf(DealView deal) {
        List<Task> out = new ArrayList<>();
        for (long i = 0; i < deal.volume(); i++) {
            out.add(Task.pending(deal.record().taskId(i), deal.dealId(), i, NOW));
        }
        return out;
    }

    /** A replicate of {@code task} by {@code worker}, revealed with {@code digest} and signed at its commit. */
    public static Replicate revealed(Task task, String worker, String digest) {
        return Replicate.assigned(task.taskId(), task.dealId(), worker, NOW).committed("0x" + "1".repeat(64),
                "0x" + "5".repeat(130), NOW).revealed(digest, NOW);
    }
}
