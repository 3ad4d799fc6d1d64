package io.gridchain.bench.chess;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.contracts.ChessGame;
import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.OnchainChessCheck;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chess.Chess;
import io.gridchain.protocol.orders.AppOrder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * A chess game played through gridchain on the embedded local network, move by move, with the gas of each way to
 * decide a move: asking gridchain (the ChessGame's move transaction, matching included, plus the certification
 * that calls the game back) and deciding it on-chain (OnchainChessCheck, legal-move generation in the EVM).
 * Shared by {@code gridchain demo chess} and {@code gridchain bench gas}.
 */
public final class ChessMatch implements AutoCloseable {
    static final long VERDICT_TIMEOUT_MS = 120_000;

    /** One move: the verdict and what deciding it cost each way. */
    public record MoveGas(int ply, String move, Chess.State state, long moveTxGas, long certifyGas, long onchainGas) {
        public long viaGridchain() {
            return moveTxGas + certifyGas;
        }
    }

    private final LocalPool pool;
    private final Credentials white;
    private final Credentials black;
    private final String app;
    private final OnchainChessCheck rules;
    private final Consumer<String> progress;

    /** Starts anvil with the contracts, a scheduler and one worker, and publishes the chess app. */
    public ChessMatch(Consumer<String> progress) {
        this.progress = progress;
        progress.accept("starting the local network: anvil, the contracts, a scheduler and a worker");
        pool = new LocalPool(1);
        white = pool.net().accounts().get(0);
        black = pool.net().accounts().get(2);
        app = pool.publish("chess");
        rules = GridClient.call(() -> OnchainChessCheck.deploy(pool.net().chain().web3j(),
                pool.net().chain().sender(white), new DefaultGasProvider()).send());
    }

    /**
     * Plays {@code moves} (coordinate notation, e2e4) from {@code fen} in a new ChessGame, each move decided by
     * gridchain, and measures each move's gas both ways. Stops early if the game ends.
     */
    public List<MoveGas> play(String fen, List<String> moves) throws InterruptedException {
        Chess.Position start = Chess.fromFen(fen);
        int[] encoded = moves.stream().mapToInt(Chess::move).toArray();
        var chain = pool.net().chain();
        ChessGame asWhite = deploy(pool, app, white);
        ChessGame asBlack = ChessGame.load(asWhite.getContractAddress(), chain.web3j(), chain.sender(black),
                new DefaultGasProvider());
        GridClient requester = pool.requester();
        // each player pays for the checks of its own moves, from its own budget at the game
        BigInteger budget = BigInteger.valueOf((LocalPool.APP_PRICE + LocalPool.POOL_PRICE) * moves.size());
        deposit(pool, white, asWhite.getContractAddress(), white, budget);
        deposit(pool, white, asWhite.getContractAddress(), black, budget);
        TxResult started = TxResult.of(GridClient.call(() -> asWhite.start(black.getAddress(), start.board(),
                BigInteger.valueOf(start.flags())).send()));
        BigInteger id = ChessGame.getGameStartedEvents(started.receipt()).get(0).gameId;
        progress.accept("game " + asWhite.getContractAddress() + " started, pinned to the chess app and the local pool;"
                + " each player pays for its own moves");

        List<MoveGas> out = new ArrayList<>();
        for (int i = 0; i < encoded.length; i++) {
            ChessGame.Game before = GridClient.call(() -> asWhite.gameOf(id).send());
            if (state(before) != Chess.State.AWAITING_MOVE) break;
            BigInteger move = BigInteger.valueOf(encoded[i]);
            TxResult onchain = TxResult.of(GridClient.call(() -> rules.checkAndRecord(before.board, before.flags, move)
                    .send()));
            // a new app order per move, as the gas figures have always been measured: its first use is part of it
            AppOrder appOrder = AppOrder.of(app, LocalPool.APP_PRICE, 1_000_000);
            var offer = Chess.offer(appOrder, pool.appOwner().sign(appOrder), pool.poolOrder(),
                    pool.schedulerOwner().sign(pool.poolOrder()));
            ChessGame mover = before.flags.testBit(0) ? asBlack : asWhite;
            TxResult sent = TxResult.of(GridClient.call(() -> mover.move(id, move, offer).send()));
            String taskId = Words.hex(ChessGame.getMoveSubmittedEvents(sent.receipt()).get(0).taskId);
            long deadline = System.currentTimeMillis() + VERDICT_TIMEOUT_MS;
            ChessGame.Game after;
            while (state(after = GridClient.call(() -> asWhite.gameOf(id).send())) == Chess.State.AWAITING_VERDICT) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("no verdict on " + moves.get(i) + " within "
                            + VERDICT_TIMEOUT_MS / 1000 + " s (task " + taskId + ")");
                }
                Thread.sleep(50);
            }
            GridClient.CallbackOutcome certified = requester.callbackOutcome(taskId).orElseThrow(
                    () -> new IllegalStateException("task " + taskId + " has a verdict but no callback event"));
            out.add(new MoveGas(i + 1, moves.get(i), state(after), sent.gasUsed(), certified.gasUsed(),
                    onchain.gasUsed()));
        }
        return out;
    }

    /**
     * A ChessGame deployed by {@code deployer}, pinned to {@code app}, the pool's workerpool and prices, at trust 1,
     * category 0, without owner (the pins can never change).
     */
    public static ChessGame deploy(LocalPool pool, String app, Credentials deployer) {
        var chain = pool.net().chain();
        ChessGame.Pins pins = new ChessGame.Pins(app, BigInteger.ZERO, BigInteger.ONE,
                BigInteger.valueOf(LocalPool.APP_PRICE), BigInteger.valueOf(LocalPool.POOL_PRICE));
        return GridClient.call(() -> ChessGame.deploy(chain.web3j(), chain.sender(deployer), new DefaultGasProvider(),
                pool.net().protocol().addresses().hub(), pins, List.of(pool.workerpool()), Words.ZERO_ADDRESS).send());
    }

    /** {@code funder} gives {@code player} the tokens, which {@code player} deposits into its budget at {@code game}. */
    public static void deposit(LocalPool pool, Credentials funder, String game, Credentials player, BigInteger amount) {
        var chain = pool.net().chain();
        var gas = new DefaultGasProvider();
        String token = pool.net().protocol().addresses().token();
        if (!funder.getAddress().equalsIgnoreCase(player.getAddress())) {
            GridClient.call(() -> DevToken.load(token, chain.web3j(), chain.sender(funder), gas)
                    .transfer(player.getAddress(), amount).send());
        }
        GridClient.call(() -> DevToken.load(token, chain.web3j(), chain.sender(player), gas).approve(game, amount).send());
        GridClient.call(() -> ChessGame.load(game, chain.web3j(), chain.sender(player), gas).deposit(amount).send());
    }

    private static Chess.State state(ChessGame.Game g) {
        return Chess.State.values()[g.state.intValueExact()];
    }

    @Override
    public void close() {
        pool.close();
    }
}
