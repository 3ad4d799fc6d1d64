package io.gridchain.protocol.poco;

import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.call;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gridchain.contracts.ChessGame;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chess.Chess;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The chess example attacked by one of its own players, as the attacker would run it: white (f.requester) wants to
 * win without playing or to make black (f.workers[0]) pay. Each attack must fail, leave the game as it was and cost
 * the honest player nothing. The game is pinned to the fixture's app (standing for the chess app), the fixture's
 * pool, its prices and a trust, with no owner.
 */
class ChessGameAttackTest extends FixtureTest {
    static PocoKit k;
    static GridClient attacker;
    static GridClient honest;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
        attacker = f.requester;
        honest = f.workers.get(0);
    }

    ChessGame game;
    ChessGame asAttacker;
    ChessGame asHonest;
    BigInteger id;

    /** A game at {@code trust}; the honest player deposits 1,000 into its budget, the attacker {@code attackerBudget}. */
    void game(long trust, long attackerBudget) {
        game = ChessGameTest.deploy(k, attacker, trust); // the attacker even deployed the game itself
        asAttacker = game;
        asHonest = ChessGame.load(game.getContractAddress(), f.net.chain().web3j(),
                f.net.chain().sender(f.credentials(honest)), new DefaultGasProvider());
        k.budget(game.getContractAddress(), honest, big(1_000));
        if (attackerBudget > 0) k.budget(game.getContractAddress(), attacker, big(attackerBudget));
        id = ChessGameTest.start(asAttacker, honest, Chess.START);
    }

    BigInteger budget(GridClient player) {
        return k.budgetOf(game.getContractAddress(), player.address());
    }

    ChessGame.Game view() {
        return call(() -> game.gameOf(id).send());
    }

    /** The game has not moved: the start position, white to move, no ply played, no task pending. */
    void assertUntouched() {
        ChessGame.Game g = view();
        assertThat(Chess.State.values()[g.state.intValueExact()]).isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(g.board).isEqualTo(Chess.fromFen(Chess.START).board());
        assertThat(g.flags.intValueExact()).isEqualTo(Chess.fromFen(Chess.START).flags());
        assertThat(g.moves).isZero();
        assertThat(f.owner.balanceOf(game.getContractAddress()).locked()).as("nothing was paid to anyone").isZero();
    }

    ChessGame.Offer offer(AppOrder a, byte[] appSig, WorkerpoolOrder w, byte[] poolSig) {
        return Chess.offer(a, appSig, w, poolSig);
    }

    /** The honest offer: the pinned app's order and the pinned pool's, signed by their owners. */
    ChessGame.Offer honestOffer(long poolTrust) {
        AppOrder a = f.appOrder(100);
        WorkerpoolOrder w = f.poolOrder(100, poolTrust);
        return offer(a, f.appOwner.sign(a), w, f.scheduler.sign(w));
    }

    /** "checkmate, and the position reached": what an app of the attacker's own answers to every move. */
    static byte[] checkmate() {
        return ChessGameTest.answer(Chess.CHECKMATE, Chess.fromFen(Chess.START));
    }

    static ChessGame.Deal struct(DealRecord r) {
        var d = r.deal();
        return new ChessGame.Deal(d.requester(), d.appOwner(), d.datasetOwner(), d.scheduler(), d.callback(),
                d.appPrice(), d.datasetPrice(), d.workerpoolPrice(), d.volume(), d.trust(), d.categoryTime(),
                d.startTime(), d.workerStake(), d.schedulerRewardRatio());
    }

    /**
     * The attacker's own request of {@code app}, naming the game as callback, certified by the fixture's pool
     * with {@code data}: the hub delivers it to the game.
     */
    DealRecord certifiedForeignDeal(String app, long trust, byte[] data) {
        AppOrder a = AppOrder.of(app, 0, 1);
        WorkerpoolOrder w = f.poolOrder(1, trust);
        RequestOrder r = RequestOrder.of(attacker.address(), app, 0, Fixture.POOL_PRICE, 1, 0, trust)
                .withCallback(game.getContractAddress());
        GridClient appOwner = app.equalsIgnoreCase(f.app) ? f.appOwner : attacker;
        DealRecord deal = attacker.matchOrders(a, DatasetOrder.NONE, w, r, appOwner.sign(a), new byte[0],
                f.scheduler.sign(w), new byte[0]);
        TxResult certified = k.finalize(deal, CallbackTest.batch(deal, 0, k.freshWorkers((int) trust == 1 ? 1 : 2),
                Words.hex(Hash.sha3(data)), data));
        assertThat(CallbackTest.delivered(certified).success).as("the game refused the delivery").isFalse();
        return deal;
    }

    // ---------------------------------------------------------------- (a) an app of the attacker's own

    @Test
    void aPlayersOwnAlwaysCheckmateAppIsRefusedAndTheGameIsUnchanged() {
        game(1, 1_000);
        String mateApp = attacker.createApp("always-mate", "wasm", "http://127.0.0.1/mate.wasm", Fixture.digest("m"));
        AppOrder mine = AppOrder.of(mateApp, 0, 100); // free, to look attractive
        WorkerpoolOrder pool = f.poolOrder(100, 1);
        reverts("AppNotPinned", () -> call(() -> asAttacker.move(id, big(Chess.move("e2e4")),
                offer(mine, attacker.sign(mine), pool, f.scheduler.sign(pool))).send()),
                "runs app " + mateApp.toLowerCase(), "only runs its pinned app " + f.app.toLowerCase());
        assertUntouched();

        // the same app through the back door: a deal of the attacker's own naming the game as callback, certified
        DealRecord deal = certifiedForeignDeal(mateApp, 1, checkmate());
        byte[] taskId = Words.toBytes32(deal.taskId(0));
        reverts("UnexpectedTask", () -> call(() -> asAttacker.settle(taskId).send()), "not requested by this consumer");
        reverts("DealRefused", () -> call(() -> asAttacker.registerDeal(PocoKit.id(deal), struct(deal)).send()),
                "refuses deal");
        assertUntouched();
        assertThat(budget(honest)).isEqualTo(big(1_000));
        assertThat(budget(attacker)).isEqualTo(big(1_000));
        k.assertConserved();
    }

    // ---------------------------------------------------------------- (b) a pool of the attacker's own

    @Test
    void aMaliciousZeroPriceHighTrustPoolOutsideThePinsIsRefused() {
        game(1, 1_000);
        String evilPool = attacker.createWorkerpool("attacker's pool");
        for (long price : new long[] {0, Fixture.POOL_PRICE}) { // free to lure, or at full price to be paid
            WorkerpoolOrder w = WorkerpoolOrder.of(evilPool, price, 100, 0, 1_000);
            AppOrder a = f.appOrder(100);
            reverts("PoolNotAccepted", () -> call(() -> asAttacker.move(id, big(Chess.move("e2e4")),
                    offer(a, f.appOwner.sign(a), w, attacker.sign(w))).send()),
                    "workerpool " + evilPool.toLowerCase(), "scheduler " + attacker.address().toLowerCase(),
                    "not accepted");
        }
        // and the pinned pool above the pinned price
        WorkerpoolOrder pricey = WorkerpoolOrder.of(f.pool, Fixture.POOL_PRICE + 1, 100, 0, 1);
        AppOrder a = f.appOrder(100);
        reverts("WorkerpoolPriceAboveMax", () -> call(() -> asAttacker.move(id, big(Chess.move("e2e4")),
                offer(a, f.appOwner.sign(a), pricey, f.scheduler.sign(pricey))).send()), "maximum 100");
        // the game has no owner: nobody can add a pool
        reverts("OwnableUnauthorizedAccount", () -> call(() -> asAttacker.setPoolAccepted(evilPool, true).send()),
                "is not the owner");
        assertUntouched();
        assertThat(budget(honest)).isEqualTo(big(1_000));
        assertThat(budget(attacker)).isEqualTo(big(1_000));
    }

    // ---------------------------------------------------------------- (c) draining the other player's budget

    @Test
    void aPlayerCannotSpendOrWithdrawTheOtherPlayersBudget() {
        game(1, PocoKit.TASK_PRICE.longValueExact()); // the attacker can pay for one check
        // withdraw more than its own
        reverts("InsufficientBudget", () -> call(() -> asAttacker.withdraw(big(1_000), attacker.address()).send()),
                "has " + PocoKit.TASK_PRICE + " tokens");
        reverts("InsufficientBudget", () -> call(() -> asAttacker.withdraw(PocoKit.TASK_PRICE.add(BigInteger.ONE),
                attacker.address()).send()));
        // one move paid by itself, refused as illegal
        TxResult sent = TxResult.of(call(() -> asAttacker.move(id, big(Chess.move("e2e5")), honestOffer(1)).send()));
        DealRecord first = GridClient.dealOf(sent.receipt());
        reverts("VerdictStillPossible", () -> call(() -> asAttacker.resubmit(id, honestOffer(1)).send()));
        ChessGameTest.verdict(k, first, Chess.ILLEGAL, Chess.fromFen(Chess.START));
        assertThat(budget(attacker)).isZero();
        // then many more requests: each must be paid by the attacker, never by the honest player
        for (int i = 0; i < 3; i++) {
            reverts("InsufficientBudget", () -> call(() -> asAttacker.move(id, big(Chess.move("e2e4")), honestOffer(1))
                    .send()), "account " + attacker.address().toLowerCase(), "has 0 tokens");
        }
        // a request order in the game's name, matched by the attacker: the game never signed it
        RequestOrder forged = RequestOrder.of(game.getContractAddress(), f.app, Fixture.APP_PRICE, Fixture.POOL_PRICE,
                1, 0, 1).withCallback(game.getContractAddress());
        AppOrder a = f.appOrder(1);
        WorkerpoolOrder w = f.poolOrder(1, 1);
        Throwable unsigned = catchThrowable(() -> attacker.matchOrders(a, DatasetOrder.NONE, w, forged,
                f.appOwner.sign(a), new byte[0], f.scheduler.sign(w), new byte[] {1}));
        assertThat(unsigned).hasMessageContaining("is not signed by its signer");
        // tokens the hub holds for the game outside the budgets are no one's until an owner assigns them: none here
        reverts("OwnableUnauthorizedAccount", () -> call(() -> asAttacker.assignSurplus(attacker.address(), big(1))
                .send()), "is not the owner");

        assertThat(budget(honest)).as("the honest player's budget is intact").isEqualTo(big(1_000));
        BigInteger wallet = f.owner.tokenBalanceOf(honest.address());
        call(() -> asHonest.withdraw(big(1_000), honest.address()).send());
        assertThat(f.owner.tokenBalanceOf(honest.address())).isEqualTo(wallet.add(big(1_000)));
        assertThat(f.owner.balanceOf(game.getContractAddress()).total()).as("the game holds nothing more").isZero();
        k.assertConserved();
    }

    // ---------------------------------------------------------------- (d) a trust below the pins

    @Test
    void aTrustBelowThePinnedMinimumIsRefused() {
        game(2, 1_000);
        // the attacker offers a pool order that only serves trust 1: the game asks trust 2 and the match fails
        reverts("TrustNotOffered", () -> call(() -> asAttacker.move(id, big(Chess.move("e2e4")), honestOffer(1))
                .send()), "request trust 2");
        // a result certified at trust 1 by a deal of the attacker's own, even with the pinned app, is refused
        DealRecord low = certifiedForeignDeal(f.app, 1, checkmate());
        reverts("DealRefused", () -> call(() -> asAttacker.registerDeal(PocoKit.id(low), struct(low)).send()));
        assertUntouched();
        // the same move at the pinned trust goes through, and the deal asks trust 2
        TxResult sent = TxResult.of(call(() -> asAttacker.move(id, big(Chess.move("e2e4")), honestOffer(2)).send()));
        assertThat(GridClient.dealOf(sent.receipt()).deal().trust()).isEqualTo(big(2));
        assertThat(budget(honest)).isEqualTo(big(1_000));
        assertThat(budget(attacker)).isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE));
    }
}
