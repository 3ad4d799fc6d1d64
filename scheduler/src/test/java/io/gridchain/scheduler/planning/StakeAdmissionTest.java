package io.gridchain.scheduler.planning;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.PoolStake;
import io.gridchain.scheduler.model.Replicate;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StakeAdmissionTest {
    private static final Map<String, BigInteger> STAKES = Map.of("cheap", BigInteger.valueOf(10), "dear",
            BigInteger.valueOf(100));

    private static Replicate of(String deal, int task) {
        return Replicate.assigned("0x" + String.format("%064x", task), deal, A, NOW);
    }

    private static StakeAdmission.Admission admit(List<Replicate> planned, long bond, long staked) {
        return StakeAdmission.admit(A, "0xpool", planned, new PoolStake(BigInteger.valueOf(bond), BigInteger.ZERO, 0, 0),
                BigInteger.valueOf(staked), STAKES::get);
    }

    @Test
    void admitsAsManyAsTheBondBacksOnTopOfWhatIsAlreadyStaked() {
        List<Replicate> planned = List.of(of("cheap", 1), of("cheap", 2), of("cheap", 3));

        StakeAdmission.Admission a = admit(planned, 35, 10);

        assertThat(a.admitted()).containsExactly(planned.get(0), planned.get(1));
        assertThat(a.refusal()).isNull();
    }

    @Test
    void stopsAtTheFirstReplicateNotBackedToKeepThePlannersOrder() {
        List<Replicate> planned = List.of(of("cheap", 1), of("dear", 2), of("cheap", 3));

        assertThat(admit(planned, 50, 0).admitted()).containsExactly(planned.get(0));
    }

    @Test
    void refusesWithTheAmountToBondWhenNothingIsBacked() {
        StakeAdmission.Admission a = admit(List.of(of("dear", 1)), 40, 30);

        assertThat(a.admitted()).isEmpty();
        assertThat(a.refusal()).isEqualTo("bond too low: worker " + A + " has 40 bonded in pool 0xpool (30 backing"
                + " unsettled work); bond 90 more to take this work: gridchain account bond 0xpool 90");
    }

    @Test
    void aWorkerThatAskedForItsBondBackIsRefusedWhateverItsBond() {
        PoolStake leaving = new PoolStake(BigInteger.valueOf(1_000), BigInteger.ZERO, 5, 1_234);

        StakeAdmission.Admission a = StakeAdmission.admit(A, "0xpool", List.of(of("cheap", 1)), leaving,
                BigInteger.ZERO, STAKES::get);

        assertThat(a.admitted()).isEmpty();
        assertThat(a.refusal()).isEqualTo("unbond requested: worker " + A + " asked for its bond in pool 0xpool back,"
                + " so it takes no new work there (bond again to cancel the request)");
    }

    @Test
    void nothingPlannedIsNoRefusal() {
        StakeAdmission.Admission a = admit(List.of(), 0, 0);

        assertThat(a.admitted()).isEmpty();
        assertThat(a.refusal()).isNull();
    }
}
