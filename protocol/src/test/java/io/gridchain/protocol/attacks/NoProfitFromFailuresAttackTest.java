package io.gridchain.protocol.attacks;

import static io.gridchain.protocol.attacks.AttackKit.DEAL_DURATION;
import static io.gridchain.protocol.attacks.AttackKit.SCHEDULER_STAKE;
import static io.gridchain.protocol.attacks.AttackKit.big;
import static io.gridchain.protocol.attacks.AttackKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: nobody profits from a failure. A requester that makes its own deal fail (an app that loops, a
 * dataset that cannot be read, or simply a deal nobody could finish in time) and claims after the deadline gets
 * back exactly the price it locked, never the scheduler's stake, which is burned to 0x...dEaD.
 */
class NoProfitFromFailuresAttackTest extends AttackTest {
    @Test
    void requesterThatLetsItsDealMissTheDeadlineGetsOnlyItsPriceBack() {
        AttackKit.Parties p = k.parties();
        GridClient attacker = p.requester();
        BigInteger attackerBefore = k.everything(attacker);
        Balance schedulerBefore = k.bal(p.scheduler());
        BigInteger burnedBefore = k.burned();

        // The attacker matches a 3-task deal, then makes sure nothing can be finished (its app never answers).
        DealRecord deal = k.deal(p, 3, 1);
        BigInteger price = deal.deal().taskPrice().multiply(big(3));
        assertThat(k.bal(attacker).locked()).isEqualTo(price);
        assertThat(k.bal(p.scheduler()).locked()).isEqualTo(SCHEDULER_STAKE.multiply(big(3)));

        // Too early: the scheduler still has time to deliver.
        reverts("DeadlineNotReached", () -> attacker.claim(deal, List.of(0L, 1L, 2L)));

        k.advance(DEAL_DURATION + 1);
        attacker.claim(deal, List.of(0L, 1L, 2L));

        // Exactly its price back: free again, nothing more, nothing locked.
        assertThat(k.bal(attacker).locked()).isZero();
        assertThat(k.everything(attacker)).as("the requester's tokens never increase through a claim")
                .isEqualTo(attackerBefore);
        // The scheduler's stake is burned, not paid to the requester; the scheduler keeps nothing of it either.
        Balance schedulerAfter = k.bal(p.scheduler());
        assertThat(schedulerAfter.free()).isEqualTo(schedulerBefore.free().subtract(SCHEDULER_STAKE.multiply(big(3))));
        assertThat(schedulerAfter.locked()).isZero();
        assertThat(k.burned()).isEqualTo(burnedBefore.add(SCHEDULER_STAKE.multiply(big(3))));
        // Claiming again pays nothing twice.
        reverts("TaskAlreadyClaimed", () -> attacker.claim(deal, List.of(1L)));
        assertThat(k.everything(attacker)).isEqualTo(attackerBefore);
        k.assertConserved();
    }

    @Test
    void finishedTasksCannotBeClaimedAndAStrangersClaimPaysTheStrangerNothing() {
        AttackKit.Parties p = k.parties();
        GridClient attacker = p.requester();
        List<GridClient> workers = k.sortedActors(2);
        for (GridClient w : workers) w.bond(p.scheduler().address(), big(1_000));
        BigInteger attackerBefore = k.everything(attacker);
        BigInteger burnedBefore = k.burned();

        DealRecord deal = k.deal(p, 2, 1);
        // Task 0 is delivered; task 1 is not.
        k.finalize(p.scheduler(), deal, AttackKit.agree(new Batch(), deal, 0, workers, AttackKit.digest("ok")));
        k.advance(DEAL_DURATION + 1);

        reverts("TaskAlreadyFinalized", () -> attacker.claim(deal, List.of(0L)));
        // A stranger claims task 1 for it (anyone may): the stranger gains nothing, the requester only its price.
        GridClient stranger = k.actor();
        BigInteger strangerBefore = k.everything(stranger);
        stranger.claim(deal, List.of(1L));
        assertThat(k.everything(stranger)).isEqualTo(strangerBefore);

        // The requester paid for the delivered task and got the undelivered one's price back: nothing more.
        BigInteger taskPrice = deal.deal().taskPrice();
        assertThat(k.everything(attacker)).isEqualTo(attackerBefore.subtract(taskPrice));
        assertThat(k.bal(attacker).locked()).isZero();
        assertThat(k.burned()).isEqualTo(burnedBefore.add(SCHEDULER_STAKE));
        // The pool owner's reputation: +1 for the certified task, -10 for the refunded one, floored at 0.
        assertThat(k.bal(p.scheduler()).score()).isZero();
        k.assertConserved();
    }

    @Test
    void aClaimOnThePerWorkerPathBurnsTheSilentStakesAndPaysTheRequesterOnlyItsPrice() {
        ClassicPathAttackTest.Setup x = ClassicPathAttackTest.setup(1);
        GridClient attacker = x.p().requester();
        BigInteger attackerBefore = k.everything(attacker);
        BigInteger burnedBefore = k.burned();
        // Two workers commit and then never reveal (the attacker's app made them give up, say).
        for (GridClient w : List.of(x.a(), x.b())) {
            ClassicPathAttackTest.contribute(x.p(), x.deal(), w, AttackKit.digest("r"),
                    Contributions.salt());
        }
        k.advance(DEAL_DURATION + 1);
        attacker.claim(x.deal(), List.of(0L));

        BigInteger slashed = AttackKit.STAKE.multiply(big(2));
        assertThat(k.burned()).isEqualTo(burnedBefore.add(slashed).add(SCHEDULER_STAKE));
        for (GridClient w : List.of(x.a(), x.b())) assertThat(k.stake(x.scheduler(), w).bond()).isEqualTo(big(970));
        // The price locked at matching is free again; nothing of the seized stakes reached the requester.
        assertThat(k.bal(attacker).locked()).isZero();
        assertThat(k.everything(attacker)).isEqualTo(attackerBefore);
        k.assertConserved();
    }
}
