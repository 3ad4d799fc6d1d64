package io.gridchain.protocol.attacks;

import static io.gridchain.protocol.attacks.AttackKit.STAKE;
import static io.gridchain.protocol.attacks.AttackKit.T;
import static io.gridchain.protocol.attacks.AttackKit.big;
import static io.gridchain.protocol.attacks.AttackKit.digest;
import static io.gridchain.protocol.attacks.AttackKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.poco.Contributions;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guarantees of the per-worker (commit/close/reveal) path: a silent winner cannot block finalization and is
 * slashed; a lazy worker learns nothing from the public seals, not even for a result from a small space, and a
 * copied seal cannot be revealed by the copier; contributions close three category times before the deadline and
 * reveals end one category time before it.
 */
class ClassicPathAttackTest extends AttackTest {

    /** Commits {@code digest} under {@code salt} for {@code worker}, with the scheduler's authorization. */
    static void contribute(AttackKit.Parties p, DealRecord deal, GridClient worker, String digest, String salt) {
        commit(p, deal, worker, Contributions.seal(worker.address(), deal.taskId(0), digest, salt));
    }

    static void commit(AttackKit.Parties p, DealRecord deal, GridClient worker, String seal) {
        worker.contribute(deal, 0, seal, k.authorize(p.scheduler(), worker.address(), deal.taskId(0)));
    }

    /** A result from a space of 1,000 values: a chess move, a yes/no, a small count. */
    static String lowEntropy(long n) {
        return Words.bytes32(big(1_000 + n));
    }

    /** A fresh pool with three bonded workers, and a one-task deal at {@code trust} initialized on this path. */
    record Setup(AttackKit.Parties p, GridClient scheduler, GridClient a, GridClient b, GridClient c, DealRecord deal) {}

    static Setup setup(long trust) {
        AttackKit.Parties p = k.parties();
        GridClient s = p.scheduler();
        Setup setup = new Setup(p, s, k.worker(s, 1_000), k.worker(s, 1_000), k.worker(s, 1_000), k.deal(p, 1, trust));
        s.initialize(setup.deal(), 0);
        return setup;
    }

    /** {@code loser} lost one stake (burned) and its score; each winner earned its half of the workers' share. */
    static void assertSettled(GridClient scheduler, GridClient loser, PoolStake before, List<GridClient> winners) {
        PoolStake after = k.stake(scheduler, loser);
        assertThat(after.bond()).isEqualTo(before.bond().subtract(STAKE));
        assertThat(after.score()).isZero();
        assertThat(after.earned()).isZero();
        for (GridClient w : winners) assertThat(k.stake(scheduler, w).earned()).isEqualTo(big(49));
        k.assertConserved();
    }

    @Test
    void aWinnerWhoNeverRevealsIsSlashedAndCannotBlockFinalization() {
        Setup x = setup(2);
        AttackKit.Parties p = x.p();
        GridClient scheduler = x.scheduler();
        GridClient w1 = x.a();
        GridClient w2 = x.b();
        GridClient silent = x.c();
        DealRecord deal = x.deal();
        String truth = digest("truth");
        String s1 = Contributions.salt();
        String s2 = Contributions.salt();
        contribute(p, deal, w1, truth, s1);
        contribute(p, deal, w2, truth, s2);
        contribute(p, deal, silent, truth, Contributions.salt()); // it has the winning result, and withholds it
        scheduler.close(deal, 0);
        w1.reveal(deal, 0, truth, s1);
        w2.reveal(deal, 0, truth, s2);
        PoolStake silentBefore = k.stake(scheduler, silent);
        BigInteger burnedBefore = k.burned();

        // The silent worker holds up the scheduler's early finalization, and only that.
        reverts("RevealsPending", () -> scheduler.finalizeTask(deal, 0, null));
        GridClient stranger = k.actor();
        reverts("NotScheduler", () -> stranger.finalizeTask(deal, 0, null));
        k.advance(2 * T + 1);
        BigInteger strangerBefore = k.everything(stranger);
        stranger.finalizeTask(deal, 0, null); // anyone, once the reveal window is over

        assertThat(k.funder.resultDigest(deal.taskId(0))).isEqualTo(truth);
        assertThat(k.burned()).isEqualTo(burnedBefore.add(STAKE));
        assertThat(k.everything(stranger)).isEqualTo(strangerBefore);
        assertSettled(scheduler, silent, silentBefore, List.of(w1, w2));
    }

    @Test
    void aLazyWorkerCannotBruteForceNorCopyASaltedSeal() {
        Setup x = setup(1);
        AttackKit.Parties p = x.p();
        GridClient scheduler = x.scheduler();
        GridClient honest = x.a();
        GridClient peer = x.b();
        GridClient lazy = x.c();
        DealRecord deal = x.deal();
        String taskId = deal.taskId(0);
        String truth = lowEntropy(7);
        String salt = Contributions.salt();
        contribute(p, deal, honest, truth, salt);

        // What the lazy worker sees: the seal, in TaskContributed and in contributionOf.
        String publicSeal = Words.hex(k.funder.contribution(taskId, honest.address()).seal);
        // Brute force over the whole result space, with every salt it can guess: nothing matches.
        List<String> guessedSalts = List.of(Words.ZERO_BYTES32, taskId, deal.dealId(), Words.bytes32(big(1)));
        for (long n = 0; n < 1_000; n++) {
            for (String guess : guessedSalts) {
                assertThat(Contributions.seal(honest.address(), taskId, lowEntropy(n), guess)).isNotEqualTo(publicSeal);
            }
        }
        // The same search finds the result behind a seal without a secret salt: the salt is what protects it.
        String unsalted = Contributions.seal(honest.address(), taskId, truth, Words.ZERO_BYTES32);
        long found = -1;
        for (long n = 0; n < 1_000 && found < 0; n++) {
            if (Contributions.seal(honest.address(), taskId, lowEntropy(n), Words.ZERO_BYTES32).equals(unsalted)) found = n;
        }
        assertThat(found).isEqualTo(7);

        // Copying the seal is accepted as a commitment, but the copier can never open it.
        commit(p, deal, lazy, publicSeal);
        String peerSalt = Contributions.salt();
        contribute(p, deal, peer, truth, peerSalt);
        scheduler.close(deal, 0);
        honest.reveal(deal, 0, truth, salt); // now digest and salt are public
        reverts("RevealMismatch", () -> lazy.reveal(deal, 0, truth, salt));
        peer.reveal(deal, 0, truth, peerSalt);
        PoolStake lazyBefore = k.stake(scheduler, lazy);
        k.advance(2 * T + 1);
        k.actor().finalizeTask(deal, 0, null);

        assertSettled(scheduler, lazy, lazyBefore, List.of(honest, peer));
    }

    @Test
    void contributionsCloseAtDeadlineMinusThreeTAndRevealsEndBeforeTheDeadline() {
        Setup x = setup(1);
        AttackKit.Parties p = x.p();
        GridClient scheduler = x.scheduler();
        GridClient early = x.a();
        GridClient slow = x.b();
        GridClient late = x.c();
        DealRecord deal = x.deal();
        long deadline = deal.deal().deadline();
        String truth = digest("truth");
        String salt = Contributions.salt();
        String slowSalt = Contributions.salt();
        contribute(p, deal, early, truth, salt);
        contribute(p, deal, slow, truth, slowSalt);

        k.advance(Math.max(0, deadline - 3 * T - k.now()));
        reverts("ContributionsClosed", () -> contribute(p, deal, late, truth, Contributions.salt()));
        reverts("ContributionsClosed", () -> scheduler.close(deal, 0));

        early.reveal(deal, 0, truth, salt);
        long revealDeadline = k.funder.classicTask(deal.taskId(0)).revealDeadline.longValueExact();
        assertThat(revealDeadline).isEqualTo(deadline - T).isLessThan(deadline);

        k.advance(Math.max(0, revealDeadline + 1 - k.now()));
        assertThat(k.now()).isLessThan(deadline);
        PoolStake slowBefore = k.stake(scheduler, slow);
        reverts("RevealDeadlinePassed", () -> slow.reveal(deal, 0, truth, slowSalt));
        k.actor().finalizeTask(deal, 0, null); // still before the deadline: the task is certified, not refunded
        assertThat(k.funder.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(k.stake(scheduler, late)).isEqualTo(new PoolStake(big(1_000), BigInteger.ZERO, 0, 0));
        // The early worker alone won (trust 1) and earns the whole workers' share.
        assertThat(k.stake(scheduler, early).earned()).isEqualTo(AttackKit.WORKERS_SHARE);
        PoolStake slowAfter = k.stake(scheduler, slow);
        assertThat(slowAfter.bond()).isEqualTo(slowBefore.bond().subtract(STAKE));
        assertThat(slowAfter.score()).isZero();
        k.assertConserved();
    }

    /**
     * Found by this suite on f51ec1e, now refused: {@code contribute} checks that the bond covers one stake, not one stake per open
     * contribution (the batch path counts them). A worker with one stake bonded may commit to any number of tasks
     * at once; silent or wrong on all of them it loses one stake in all, since each later seizure takes
     * min(bond, stake) of a bond already emptied. The hub should count a worker's open contributions in the pool
     * against its bond (or lock one stake per contribution until it is settled).
     */
    @Test
    void oneStakeCannotBackOpenContributionsToTwoTasks() {
        AttackKit.Parties p = k.parties();
        GridClient scheduler = p.scheduler();
        GridClient thin = k.worker(scheduler, STAKE.longValueExact());
        DealRecord deal = k.deal(p, 2, 1);
        scheduler.initialize(deal, 0);
        scheduler.initialize(deal, 1);
        String digest = digest("any");
        for (long i = 0; i < 2; i++) {
            String seal = Contributions.seal(thin.address(), deal.taskId(i), digest, Contributions.salt());
            byte[] auth = k.authorize(scheduler, thin.address(), deal.taskId(i));
            if (i == 0) {
                thin.contribute(deal, i, seal, auth);
            } else {
                reverts("InsufficientBond", () -> thin.contribute(deal, 1, seal, auth));
            }
        }
    }
}
