package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.model.Replicate;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which of the planner's replicates a worker's free balance backs. The hub takes a worker's stake from its free
 * balance when a batch lands, so the scheduler gives out no more work than the balance covers on top of what the
 * worker's unfinished contributions already need; else the worker would win work it cannot be paid for.
 */
public final class StakeAdmission {
    /**
     * @param admitted the replicates backed, in the planner's order
     * @param refusal why none is, for the worker (null when some are, or none was planned)
     */
    public record Admission(List<Replicate> admitted, String refusal) {}

    private StakeAdmission() {}

    /**
     * Admits {@code planned} in order while {@code free} covers {@code staked} plus their stakes; the first one it
     * does not cover ends the admission, so the planner's order (running tasks first) is kept.
     */
    public static Admission admit(String worker, List<Replicate> planned, BigInteger free, BigInteger staked,
            Function<String, BigInteger> stakeOfDeal) {
        List<Replicate> admitted = new ArrayList<>();
        BigInteger committed = staked;
        for (Replicate r : planned) {
            BigInteger stake = stakeOfDeal.apply(r.dealId());
            if (committed.add(stake).compareTo(free) > 0) break;
            committed = committed.add(stake);
            admitted.add(r);
        }
        String refusal = null;
        if (admitted.isEmpty() && !planned.isEmpty()) {
            refusal = "stake too low: worker " + worker + " has " + free + " free tokens in the hub,"
                    + " deposit at least " + committed.add(stakeOfDeal.apply(planned.get(0).dealId()))
                    + " to take this work";
        }
        return new Admission(List.copyOf(admitted), refusal);
    }
}
