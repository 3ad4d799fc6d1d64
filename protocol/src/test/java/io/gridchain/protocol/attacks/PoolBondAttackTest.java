package io.gridchain.protocol.attacks;

import static io.gridchain.protocol.attacks.AttackKit.DEAL_DURATION;
import static io.gridchain.protocol.attacks.AttackKit.MAX_TRUST;
import static io.gridchain.protocol.attacks.AttackKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: a pool serves only while its owner has something at stake in it. A throw-away pool offering free
 * work at any trust (to capture requests and certify whatever it likes) cannot be matched without a bond, and a
 * pool whose owner asked for its bond back takes no new deal.
 */
class PoolBondAttackTest extends AttackTest {

    /** The requester tries to match the pool's free, maximum-trust order. */
    static DealRecord matchFreeMaxTrust(AttackKit.Parties p) {
        AppOrder a = AppOrder.of(p.app(), 0, 1);
        WorkerpoolOrder w = AttackKit.poolOrder(p.pool(), 0, 1, MAX_TRUST);
        RequestOrder r = AttackKit.request(p.requester().address(), p.app(), 0, 0, 1, MAX_TRUST);
        return p.requester().matchOrders(a, DatasetOrder.NONE, w, r, p.appOwner().sign(a), new byte[0],
                p.scheduler().sign(w), new byte[0]);
    }

    static AttackKit.Parties partiesWithPool(GridClient poolOwner, String pool) {
        GridClient appOwner = k.actor();
        return new AttackKit.Parties(appOwner, k.app(appOwner), poolOwner, pool, k.actor());
    }

    @Test
    void anUnbondedPoolsFreeMaxTrustOrderCannotBeMatched() {
        GridClient owner = k.actor();
        AttackKit.Parties p = partiesWithPool(owner, k.pool(owner, BigInteger.ZERO));
        BigInteger requesterBefore = k.everything(p.requester());

        RevertException e = reverts("PoolNotBonded", () -> matchFreeMaxTrust(p));
        assertThat(e.getMessage()).containsIgnoringCase(owner.address().substring(2));
        assertThat(k.everything(p.requester())).isEqualTo(requesterBefore);
        k.assertConserved();
    }

    @Test
    void aLeavingPoolTakesNoNewDeal() {
        GridClient owner = k.actor();
        AttackKit.Parties p = partiesWithPool(owner, k.pool(owner));
        k.deal(p, 1, 1); // serves while bonded
        owner.requestUnbond(owner.address());
        reverts("PoolNotBonded", () -> matchFreeMaxTrust(p));
        reverts("PoolNotBonded", () -> k.deal(p, 1, 1));
        k.assertConserved();
    }

    /**
     * Found by this suite on f51ec1e, now refused: anyone may {@code bondFor(owner, owner, 1)}, which resets the owner's
     * {@code unbondAt}: a stranger puts a retiring pool back in service. Any order the owner signed and did not
     * cancel can then be matched; the owner, who no longer runs the pool, misses the deadline and its scheduler
     * stake is burned (and its pool score falls by 10 per task). Only the bond's owner should cancel its request.
     */
    @Test
    void aStrangerCannotPutARetiringPoolBackInService() {
        GridClient owner = k.actor();
        AttackKit.Parties p = partiesWithPool(owner, k.pool(owner));
        owner.requestUnbond(owner.address());
        BigInteger ownerBefore = k.everything(owner);

        GridClient stranger = k.actor();
        stranger.bondFor(owner.address(), owner.address(), BigInteger.ONE);
        DealRecord forced = null;
        try {
            forced = k.deal(p, 1, 1); // an order the owner signed while it still served
        } catch (RevertException e) {
            assertThat(e.errorName()).isEqualTo("PoolNotBonded");
        }
        if (forced != null) {
            k.advance(DEAL_DURATION + 1);
            p.requester().claim(forced, List.of(0L));
        }
        assertThat(k.everything(owner))
                .as("the retiring owner loses nothing (forced deal: %s)", forced != null)
                .isGreaterThanOrEqualTo(ownerBefore);
        assertThat(forced).as("no deal with a retiring pool").isNull();
    }
}
