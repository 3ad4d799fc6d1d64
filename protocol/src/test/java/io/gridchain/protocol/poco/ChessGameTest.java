package io.gridchain.protocol.poco;

import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.call;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.ChessGame;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chess.Chess;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * ChessGame's own rules, with verdicts certified by hand (the games played by real workers are in the e2e
 * module's ChessEndToEndTest): turns, what the game accepts while it waits, how each verdict ends or continues
 * the game, paying for requests, and asking again after a task was refunded.
 */
class ChessGameTest extends FixtureTest {
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    ChessGame white;
    ChessGame black;
    BigInteger id;

    /**
     * A game between f.requester (white) and f.workers[0] (black) from {@code fen}, pinned to the fixture's app (the
     * chess app here), pool and prices at trust 1, with no owner; each player deposits {@code budget}.
     */
    void game(String fen, long budget) {
        white = deploy(k, f.requester, 1);
        black = ChessGame.load(white.getContractAddress(), f.net.chain().web3j(),
                f.net.chain().sender(f.credentials(f.workers.get(0))), new DefaultGasProvider());
        if (budget > 0) {
            k.budget(white.getContractAddress(), f.requester, big(budget));
            k.budget(white.getContractAddress(), f.workers.get(0), big(budget));
        }
        id = start(white, f.workers.get(0), fen);
    }

    /** A ChessGame deployed by {@code deployer}, pinned to the fixture's app, pool and prices, without owner. */
    static ChessGame deploy(PocoKit k, GridClient deployer, long trust) {
        Fixture f = k.f;
        ChessGame.Pins pins = new ChessGame.Pins(f.app, BigInteger.ZERO, BigInteger.valueOf(trust),
                BigInteger.valueOf(Fixture.APP_PRICE), BigInteger.valueOf(Fixture.POOL_PRICE));
        ChessGame g = call(() -> ChessGame.deploy(f.net.chain().web3j(), f.net.chain().sender(f.credentials(deployer)),
                new DefaultGasProvider(), f.net.protocol().addresses().hub(), pins, List.of(f.pool),
                Words.ZERO_ADDRESS).send());
        k.extras.add(g.getContractAddress());
        return g;
    }

    /** {@code as}'s sender starts a game against {@code black} from {@code fen}; returns its id. */
    static BigInteger start(ChessGame as, GridClient black, String fen) {
        Chess.Position p = Chess.fromFen(fen);
        TxResult started = TxResult.of(call(() -> as.start(black.address(), p.board(), BigInteger.valueOf(p.flags()))
                .send()));
        return ChessGame.getGameStartedEvents(started.receipt()).get(0).gameId;
    }

    BigInteger budget(GridClient player) {
        return k.budgetOf(white.getContractAddress(), player.address());
    }

    ChessGame.Offer offer() {
        AppOrder a = f.appOrder(100);
        WorkerpoolOrder w = f.poolOrder(100, 1);
        return Chess.offer(a, f.appOwner.sign(a), w, f.scheduler.sign(w));
    }

    /** Plays {@code uci}; returns the deal that asks gridchain about it. */
    DealRecord move(ChessGame as, String uci) {
        TxResult r = TxResult.of(call(() -> as.move(id, BigInteger.valueOf(Chess.move(uci)), offer()).send()));
        DealRecord deal = GridClient.dealOf(r.receipt());
        var submitted = ChessGame.getMoveSubmittedEvents(r.receipt()).get(0);
        assertThat(Words.hex(submitted.taskId)).isEqualTo(deal.taskId(0));
        assertThat(deal.terms().params()).startsWith("move 0x").endsWith(" " + Chess.move(uci));
        return deal;
    }

    /** The app's answer: abi.encode(status, board, flags), certified by one worker. */
    TxResult verdict(DealRecord deal, int status, Chess.Position p) {
        return verdict(k, deal, status, p);
    }

    /** The app's answer: abi.encode(status, board, flags), certified by one fresh worker of {@code k}. */
    static TxResult verdict(PocoKit k, DealRecord deal, int status, Chess.Position p) {
        byte[] data = answer(status, p);
        String digest = Words.hex(Hash.sha3(data));
        TxResult r = k.finalize(deal, CallbackTest.batch(deal, 0, k.freshWorkers(1), digest, data));
        assertThat(CallbackTest.delivered(r).success).isTrue();
        return r;
    }

    /** abi.encode(status, board, flags): the chess app's callback data. */
    static byte[] answer(int status, Chess.Position p) {
        return ByteBuffer.allocate(96).put(Numeric.toBytesPadded(BigInteger.valueOf(status), 32))
                .put(Numeric.toBytesPadded(p.board(), 32)).put(Numeric.toBytesPadded(BigInteger.valueOf(p.flags()), 32))
                .array();
    }

    ChessGame.Game view() {
        return call(() -> white.gameOf(id).send());
    }

    Chess.State state() {
        return Chess.State.values()[view().state.intValueExact()];
    }

    @Test
    void playersMoveInTurnAndEachVerdictPlaysRefusesOrEndsTheGame() {
        game(Chess.START, 1_000);
        Chess.Position start = Chess.fromFen(Chess.START);
        reverts("NotYourTurn", () -> move(black, "e7e5"), "is not the player to move in game " + id);
        reverts("UnknownGame", () -> call(() -> white.move(big(99), BigInteger.ONE, offer()).send()), "no game 99");
        reverts("InvalidMove", () -> call(() -> white.move(id, big(1 << 15), offer()).send()), "is not from");

        DealRecord e4 = move(white, "e2e4");
        assertThat(state()).isEqualTo(Chess.State.AWAITING_VERDICT);
        reverts("GameNotAwaitingMove", () -> move(white, "d2d4"), "awaiting gridchain's verdict");
        reverts("GameNotAwaitingMove", () -> move(black, "e7e5"), "awaiting gridchain's verdict");
        Chess.Position afterE4 = Chess.fromFen("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq e3 0 1");
        TxResult r = verdict(e4, Chess.IN_PLAY, afterE4);
        assertThat(ChessGame.getMovePlayedEvents(r.receipt())).hasSize(1);
        assertThat(state()).isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(view().board).isEqualTo(afterE4.board());
        assertThat(view().flags.intValueExact()).isEqualTo(afterE4.flags());
        assertThat(view().moves).isEqualTo(BigInteger.ONE);

        // an illegal move is refused: same position, same player to move
        DealRecord illegal = move(black, "e8e6");
        r = verdict(illegal, Chess.ILLEGAL, afterE4);
        assertThat(ChessGame.getMoveRefusedEvents(r.receipt())).hasSize(1);
        assertThat(state()).isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(view().board).isEqualTo(afterE4.board());
        assertThat(view().moves).isEqualTo(BigInteger.ONE);

        // checkmate: the player who moved (black) wins
        DealRecord mate = move(black, "e7e5");
        r = verdict(mate, Chess.CHECKMATE, start);
        assertThat(ChessGame.getGameOverEvents(r.receipt())).hasSize(1);
        assertThat(state()).isEqualTo(Chess.State.BLACK_WON);
        reverts("GameNotAwaitingMove", () -> move(white, "d2d4"), "black won");
        k.assertConserved();
    }

    @Test
    void aPositionTheAppCouldNotReadIsRefusedAtTheStart() {
        game(Chess.START, 0);
        BigInteger seven = Chess.fromFen(Chess.START).board().or(BigInteger.valueOf(7).shiftLeft(4 * 20));
        reverts("InvalidPosition", () -> call(() -> white.start(f.workers.get(0).address(), seven, big(30)).send()),
                "not a chess position");
        reverts("InvalidPosition", () -> call(() -> white.start(f.workers.get(0).address(),
                Chess.fromFen(Chess.START).board(), big(9 << 5)).send()), "flags " + (9 << 5));
    }

    @Test
    void aStalemateVerdictIsADraw() {
        game("7k/8/6K1/8/8/8/8/5Q2 w - - 0 1", 1_000);
        verdict(move(white, "f1f7"), Chess.STALEMATE, Chess.fromFen("7k/5Q2/6K1/8/8/8/8/8 b - - 0 1"));
        assertThat(state()).isEqualTo(Chess.State.DRAW);
    }

    @Test
    void aPlayerWhoCannotPayForItsQuestionHasItsMoveRefusedWithAClearError() {
        game(Chess.START, 0);
        k.budget(white.getContractAddress(), f.workers.get(0), big(1_000)); // black's budget does not pay for white
        reverts("InsufficientBudget", () -> move(white, "e2e4"), "has 0 tokens in its budget",
                "needs " + PocoKit.TASK_PRICE, "deposit into its own budget first");
        assertThat(state()).isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(budget(f.workers.get(0))).isEqualTo(big(1_000));
    }

    @Test
    void aMoveWhoseTaskWasRefundedIsAskedAgainAndItsVerdictStillApplies() {
        game(Chess.START, 1_000);
        reverts("NoPendingMove", () -> call(() -> white.resubmit(id, offer()).send()), "no move waiting");
        DealRecord first = move(white, "e2e4");
        reverts("VerdictStillPossible", () -> call(() -> black.resubmit(id, offer()).send()), "may still come");
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        f.owner.claim(first, List.of(0L));
        BigInteger free = f.owner.balanceOf(white.getContractAddress()).free();
        assertThat(free).as("the claim refunded the game the task's price, nothing more").isEqualTo(big(2_000));
        TxResult again = TxResult.of(call(() -> black.resubmit(id, offer()).send()));
        assertThat(budget(f.requester)).as("white, who paid for the claimed task, got its price back")
                .isEqualTo(big(1_000));
        assertThat(budget(f.workers.get(0))).as("black asked again: black paid")
                .isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE));
        DealRecord second = GridClient.dealOf(again.receipt());
        assertThat(second.terms().params()).isEqualTo(first.terms().params());
        Chess.Position afterE4 = Chess.fromFen("rnbqkbnr/pppppppp/8/8/4P3/8/PPPP1PPP/RNBQKBNR b KQkq e3 0 1");
        verdict(second, Chess.IN_PLAY, afterE4);
        assertThat(state()).isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(view().board).isEqualTo(afterE4.board());
        k.assertConserved();
    }
}
