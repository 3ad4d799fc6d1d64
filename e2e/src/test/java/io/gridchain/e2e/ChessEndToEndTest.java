package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.chess.ChessMatch;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.contracts.CallbackProbe;
import io.gridchain.contracts.ChessGame;
import io.gridchain.contracts.OnchainChessCheck;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chess.Chess;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.poco.FailureDigest;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Smart contracts as requesters, end to end with a real scheduler and real workers: a callback deal's certified
 * data lands in the callback contract, and chess games (ChessGame asks the pinned chess app about every move, each
 * player paying for its own moves) end in checkmate, in stalemate, or play on, from known positions. Each answer is
 * also checked against the on-chain version of the rules (OnchainChessCheck).
 */
class ChessEndToEndTest {
    static LocalPool pool;
    static String chessApp;
    static Credentials white;
    static Credentials black;
    static OnchainChessCheck rules;
    /** Every game contract deployed, each holding escrow. */
    static final List<String> games = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        pool = new LocalPool(2);
        chessApp = pool.publish("chess");
        white = pool.net().accounts().get(0);
        black = pool.net().accounts().get(2);
        rules = GridClient.call(() -> OnchainChessCheck.deploy(pool.net().chain().web3j(),
                pool.net().chain().sender(white), new DefaultGasProvider()).send());
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static <T> T call(java.util.concurrent.Callable<T> action) {
        return GridClient.call(action);
    }

    // ---------------------------------------------------------------- callback deals

    @Test
    void aCallbackDealRunByWorkersLandsItsCertifiedDataInTheCallbackContract() {
        CallbackProbe probe = call(() -> CallbackProbe.deploy(pool.net().chain().web3j(), pool.net().chain().sender(white),
                new DefaultGasProvider(), BigInteger.ZERO).send());
        RequestOrder request = RequestOrder.of(pool.requester().address(), chessApp, LocalPool.APP_PRICE, LocalPool.POOL_PRICE, 1,
                0, 2).withParams("perft 3 " + Chess.START).withCallback(probe.getContractAddress());
        DealRecord deal = pool.request(request, pool.poolOrder());
        String taskId = deal.taskId(0);
        LocalPool.await("the callback task certified", Duration.ofSeconds(90),
                () -> pool.requester().taskStatus(taskId) == GridClient.TaskStatus.FINALIZED);

        byte[] expected = org.web3j.utils.Numeric.toBytesPadded(BigInteger.valueOf(8902), 32);
        assertThat(call(() -> probe.lastData().send())).isEqualTo(expected);
        assertThat(Words.hex(call(() -> probe.lastTaskId().send()))).isEqualTo(taskId);
        assertThat(pool.requester().resultFor(taskId)).isEqualTo(expected);
        assertThat(pool.requester().resultDigest(taskId)).isEqualTo(Words.hex(org.web3j.crypto.Hash.sha3(expected)));
        var outcome = pool.requester().callbackOutcome(taskId).orElseThrow();
        assertThat(outcome.success()).isTrue();
        assertThat(outcome.callback()).isEqualToIgnoringCase(probe.getContractAddress());
        // the scheduler's store serves the certified bytes under the digest
        assertThat(pool.get("/v1/results/" + pool.requester().resultDigest(taskId)).body()).isEqualTo(expected);
        assertThat(pool.conserved(games)).isTrue();
    }

    @Test
    void anAppThatWritesNoCallbackDataHasItsFailureCertifiedAndTheConsumerGetsEmptyData() throws Exception {
        // every worker reproduces the failure, so it is certified like a result (the requester pays for the run)
        // and the hub hands the consumer empty bytes: "failed"
        CallbackProbe probe = call(() -> CallbackProbe.deploy(pool.net().chain().web3j(), pool.net().chain().sender(white),
                new DefaultGasProvider(), BigInteger.ZERO).send());
        String primes = pool.publish("primes");
        RequestOrder request = RequestOrder.of(pool.requester().address(), primes, LocalPool.APP_PRICE, LocalPool.POOL_PRICE, 1,
                0, 1).withParams("1000").withCallback(probe.getContractAddress());
        String taskId = pool.request(request, pool.poolOrder()).taskId(0);
        LocalPool.await("the failure certified", Duration.ofSeconds(90),
                () -> pool.requester().taskStatus(taskId) == GridClient.TaskStatus.FINALIZED);
        assertThat(pool.requester().resultDigest(taskId)).isEqualTo(FailureDigest.EMPTY_CALLBACK);
        String view = new String(pool.get("/v1/tasks/" + taskId).body());
        assertThat(view).contains("NO_CALLBACK_DATA").contains("failed (certified by 1 worker)");
        assertThat(call(() -> probe.received().send())).isOne();
        assertThat(call(() -> probe.lastData().send())).isEmpty();
    }

    // ---------------------------------------------------------------- games

    /** A game from a known position, the players' moves sent to a fresh ChessGame paid from its own escrow. */
    static final class Game {
        final ChessGame asWhite;
        final ChessGame asBlack;
        final BigInteger id;

        Game(String fen) {
            var web3j = pool.net().chain().web3j();
            BigInteger budget = BigInteger.valueOf((LocalPool.APP_PRICE + LocalPool.POOL_PRICE) * 10);
            asWhite = ChessMatch.deploy(pool, chessApp, white);
            asBlack = ChessGame.load(asWhite.getContractAddress(), web3j, pool.net().chain().sender(black),
                    new DefaultGasProvider());
            ChessMatch.deposit(pool, white, asWhite.getContractAddress(), white, budget);
            ChessMatch.deposit(pool, white, asWhite.getContractAddress(), black, budget);
            games.add(asWhite.getContractAddress());
            Chess.Position p = Chess.fromFen(fen);
            TxResult started = TxResult.of(call(() -> asWhite.start(black.getAddress(), p.board(),
                    BigInteger.valueOf(p.flags())).send()));
            id = ChessGame.getGameStartedEvents(started.receipt()).get(0).gameId;
        }

        ChessGame.Game view() {
            return call(() -> asWhite.gameOf(id).send());
        }

        Chess.State state() {
            return Chess.State.values()[view().state.intValueExact()];
        }

        /** Plays {@code uci} as the side to move and waits for gridchain's verdict; checks it against the chain's. */
        Chess.State play(String uci) {
            ChessGame.Game before = view();
            boolean whiteToMove = before.flags.testBit(0) == false;
            int move = Chess.move(uci);
            AppOrder appOrder = AppOrder.of(chessApp, LocalPool.APP_PRICE, 1_000_000);
            var offer = Chess.offer(appOrder, pool.appOwner().sign(appOrder), pool.poolOrder(),
                    pool.schedulerOwner().sign(pool.poolOrder()));
            ChessGame mover = whiteToMove ? asWhite : asBlack;
            TxResult sent = TxResult.of(call(() -> mover.move(id, BigInteger.valueOf(move), offer).send()));
            String taskId = Words.hex(ChessGame.getMoveSubmittedEvents(sent.receipt()).get(0).taskId);
            assertThat(state()).isEqualTo(Chess.State.AWAITING_VERDICT);
            LocalPool.await("the verdict on " + uci, Duration.ofSeconds(90), () -> state() != Chess.State.AWAITING_VERDICT);
            assertThat(pool.requester().callbackOutcome(taskId).orElseThrow().success()).isTrue();

            var onchain = call(() -> rules.check(before.board, before.flags, BigInteger.valueOf(move)).send());
            ChessGame.Game after = view();
            assertThat(after.board).as("board after " + uci).isEqualTo(onchain.component2());
            assertThat(after.flags).as("flags after " + uci).isEqualTo(onchain.component3());
            Chess.State expected = switch (onchain.component1().intValueExact()) {
                case Chess.CHECKMATE -> whiteToMove ? Chess.State.WHITE_WON : Chess.State.BLACK_WON;
                case Chess.STALEMATE -> Chess.State.DRAW;
                default -> Chess.State.AWAITING_MOVE;
            };
            assertThat(state()).as("state after " + uci).isEqualTo(expected);
            return state();
        }
    }

    @Test
    void foolsMateEndsTheGameWithBlackWinning() {
        Game g = new Game(Chess.START);
        for (String m : List.of("f2f3", "e7e5", "g2g4")) assertThat(g.play(m)).isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(g.play("d8h4")).isEqualTo(Chess.State.BLACK_WON);
        assertThat(g.view().moves).isEqualTo(BigInteger.valueOf(4));
        // each player paid for its own two moves, and takes the rest of its budget back once the game is over
        BigInteger left = BigInteger.valueOf((LocalPool.APP_PRICE + LocalPool.POOL_PRICE) * (10 - 2));
        for (Credentials player : List.of(white, black)) {
            assertThat(call(() -> g.asWhite.budgetOf(player.getAddress()).send())).isEqualTo(left);
        }
        BigInteger wallet = pool.requester().tokenBalanceOf(black.getAddress());
        call(() -> g.asBlack.withdraw(left, black.getAddress()).send());
        assertThat(pool.requester().tokenBalanceOf(black.getAddress())).isEqualTo(wallet.add(left));
        assertThat(pool.conserved(games)).isTrue();
    }

    @Test
    void aBackRankMateEndsTheGameWithWhiteWinning() {
        Game g = new Game("6k1/5ppp/8/8/8/8/8/3R2K1 w - - 0 1");
        assertThat(g.play("d1d8")).isEqualTo(Chess.State.WHITE_WON);
    }

    @Test
    void aStalemateEndsTheGameInADraw() {
        Game g = new Game("7k/8/6K1/8/8/8/8/5Q2 w - - 0 1");
        assertThat(g.play("f1f7")).isEqualTo(Chess.State.DRAW);
    }

    @Test
    void theGamePlaysOnRefusesAnIllegalMoveAndHandlesCastlingAndEnPassant() {
        Game g = new Game("r3k2r/8/8/8/1p6/8/P7/R3K2R w KQkq - 0 1");
        BigInteger board = g.view().board;
        assertThat(g.play("e1e3")).as("a king moves one square").isEqualTo(Chess.State.AWAITING_MOVE);
        assertThat(g.view().board).isEqualTo(board);
        assertThat(g.view().flags.testBit(0)).as("still white to move").isFalse();
        assertThat(g.play("a2a4")).isEqualTo(Chess.State.AWAITING_MOVE); // double push: en passant possible
        assertThat(g.play("b4a3")).isEqualTo(Chess.State.AWAITING_MOVE); // black takes en passant
        assertThat(g.play("e1g1")).isEqualTo(Chess.State.AWAITING_MOVE); // white castles king side
        ChessGame.Game v = g.view();
        assertThat(nibble(v.board, Chess.square("g1"))).isEqualTo(6); // king
        assertThat(nibble(v.board, Chess.square("f1"))).isEqualTo(4); // rook
        assertThat(nibble(v.board, Chess.square("a4"))).isZero(); // taken en passant
        assertThat(v.moves).isEqualTo(BigInteger.valueOf(3));
    }

    static int nibble(BigInteger board, int square) {
        return board.shiftRight(4 * square).intValue() & 15;
    }
}
