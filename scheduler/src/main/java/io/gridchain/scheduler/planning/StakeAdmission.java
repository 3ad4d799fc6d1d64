package io.gridchain.scheduler.planning;

import io.gridchain.protocol.PoolStake;
import io.gridchain.scheduler.model.Replicate;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which of the planner's replicates a worker's bond in this pool backs. The hub takes a worker's stake from its bond
 * in the pool when a batch lands (and reverts the whole batch when a bond falls short), so the scheduler gives out
 * no more work than the bond covers on top of what the worker's unsettled contributions already need; else the
 * worker would win work it cannot be paid for. A worker that asked for its bond back is given nothing new: its
 * bond may leave before the work is settled.
 */
public final class StakeAdmission {
    /**
     * @param admitted the replicates backed, in the planner's order
     * @param refusal why none is, for the worker (null when some are, or none was planned)
     */
    public record Admission(List<Replicate> admitted, String refusal) {}

    private StakeAdmission() {}

    /**
     * Admits {@code planned} in order while the worker's bond covers {@code staked} plus their stakes; the first one
     * it does not cover ends the admission, so the planner's order (running tasks first) is kept.
     *
     * @param pool the workerpool, named in the refusal so that the worker knows where to bond
     */
    public static Admission admit(String worker, String pool, List<Replicate> planned, PoolStake stake,
            BigInteger staked, Function<String, BigInteger> stakeOfDeal) {
        if (planned.isEmpty()) return new Admission(List.of(), null);
        if (stake.leaving()) {
            return new Admission(List.of(), "unbond requested: worker " + worker + " asked for its bond in pool "
                    + pool + " back, so it takes no new work there (bond again to cancel the request)");
        }
        List<Replicate> admitted = new ArrayList<>();
        BigInteger committed = staked;
        for (Replicate r : planned) {
            BigInteger needed = stakeOfDeal.apply(r.dealId());
            if (committed.add(needed).compareTo(stake.bond()) > 0) break;
            committed = committed.add(needed);
            admitted.add(r);
        }
        String refusal = null;
        if (admitted.isEmpty()) {
            BigInteger missing = committed.add(stakeOfDeal.apply(planned.get(0).dealId())).subtract(stake.bond());
            refusal = "bond too low: worker " + worker + " has " + stake.bond() + " bonded in pool " + pool + " ("
                    + staked + " backing unsettled work); bond " + missing + " more to take this work: gridchain"
                    + " account bond " + pool + " " + missing;
        }
        return new Admission(List.copyOf(admitted), refusal);
    }
}
