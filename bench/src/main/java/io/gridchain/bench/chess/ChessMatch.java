package io.gridchain.bench.chess;

import io.gridchain.apps.ExampleApps;
import io.gridchain.contracts.ChessGame;
import io.gridchain.contracts.OnchainChessCheck;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chess.Chess;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.runtime.WasmRuntime;
import io.gridchain.scheduler.Scheduler;
import io.gridchain.worker.WorkerAgent;
import io.gridchain.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static final long APP_PRICE = 1;
    static final long POOL_PRICE = 10;
    static final long VERDICT_TIMEOUT_MS = 120_000;

    /** One move: the verdict and what deciding it cost each way. */
    public record MoveGas(int ply, String move, Chess.State state, long moveTxGas, long certifyGas, long onchainGas) {
        public long viaGridchain() {
            return moveTxGas + certifyGas;
        }
    }

    private final LocalProtocol net;
    private final Scheduler scheduler;
    private final List<WorkerAgent> workers = new ArrayList<>();
    private final Path dir;
    private final GridClient requester;
    private final GridClient appOwner;
    private final GridClient schedulerOwner;
    private final Credentials white;
    private final Credentials black;
    private final String app;
    private final WorkerpoolOrder poolOrder;
    private final OnchainChessCheck rules;
    private final Consumer<String> progress;

    /** Starts anvil with the contracts, a scheduler and one worker, and publishes the chess app with its orders. */
    public ChessMatch(Consumer<String> progress) {
        this.progress = progress;
        try {
            dir = Files.createTempDirectory("gridchain-chess-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept("starting the local network: anvil, the contracts, a scheduler and a worker");
        net = LocalProtocol.start();
        white = net.accounts().get(0);
        black = net.accounts().get(2);
        appOwner = net.client(1);
        schedulerOwner = net.client(3);
        requester = net.client(4);
        BigInteger deposit = BigInteger.valueOf(1_000_000);
        schedulerOwner.deposit(deposit);
        requester.deposit(deposit);
        net.client(5).deposit(deposit);
        byte[] wasm = ExampleApps.load("chess");
        app = appOwner.createApp("chess", "wasm", "gridchain:apps/chess.wasm", "0x" + ResultDigest.sha256Hex(wasm));
        String pool = schedulerOwner.createWorkerpool("chess pool");
        poolOrder = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000_000, 0, 1_000_000);
        Scheduler s = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(),
                net.accounts().get(3), pool, dir.resolve("scheduler")));
        scheduler = s;
        WorkerConfig config = WorkerConfig.of(s.url(), net.accounts().get(5)).withCacheDir(dir.resolve("cache"));
        workers.add(new WorkerAgent(config, new WasmRuntime()).start());
        rules = GridClient.call(() -> OnchainChessCheck.deploy(net.chain().web3j(), net.chain().sender(white),
                new DefaultGasProvider()).send());
    }

    /**
     * Plays {@code moves} (coordinate notation, e2e4) from {@code fen} in a new ChessGame, each move decided by
     * gridchain, and measures each move's gas both ways. Stops early if the game ends.
     */
    public List<MoveGas> play(String fen, List<String> moves) throws InterruptedException {
        Chess.Position start = Chess.fromFen(fen);
        int[] encoded = moves.stream().mapToInt(Chess::move).toArray();
        var web3j = net.chain().web3j();
        BigInteger budget = BigInteger.valueOf(APP_PRICE + POOL_PRICE);
        ChessGame asWhite = GridClient.call(() -> ChessGame.deploy(web3j, net.chain().sender(white),
                new DefaultGasProvider(), net.protocol().addresses().hub(), BigInteger.ZERO, BigInteger.ONE, budget)
                .send());
        ChessGame asBlack = ChessGame.load(asWhite.getContractAddress(), web3j, net.chain().sender(black),
                new DefaultGasProvider());
        requester.depositFor(asWhite.getContractAddress(), budget.multiply(BigInteger.valueOf(moves.size())));
        TxResult started = TxResult.of(GridClient.call(() -> asWhite.start(black.getAddress(), start.board(),
                BigInteger.valueOf(start.flags())).send()));
        BigInteger id = ChessGame.getGameStartedEvents(started.receipt()).get(0).gameId;
        progress.accept("game " + asWhite.getContractAddress() + " started; the game pays gridchain from its escrow");

        List<MoveGas> out = new ArrayList<>();
        for (int i = 0; i < encoded.length; i++) {
            ChessGame.Game before = GridClient.call(() -> asWhite.gameOf(id).send());
            if (state(before) != Chess.State.AWAITING_MOVE) break;
            BigInteger move = BigInteger.valueOf(encoded[i]);
            TxResult onchain = TxResult.of(GridClient.call(() -> rules.checkAndRecord(before.board, before.flags, move)
                    .send()));
            AppOrder appOrder = AppOrder.of(app, APP_PRICE, 1_000_000);
            var offer = Chess.offer(appOrder, appOwner.sign(appOrder), poolOrder, schedulerOwner.sign(poolOrder));
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

    private static Chess.State state(ChessGame.Game g) {
        return Chess.State.values()[g.state.intValueExact()];
    }

    @Override
    public void close() {
        for (WorkerAgent w : workers) w.close();
        scheduler.close();
        net.close();
    }
}
