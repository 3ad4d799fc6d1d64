package io.gridchain.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.bench.chess.ChessMatch;
import io.gridchain.cli.UserError;
import io.gridchain.protocol.chess.Chess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A chess game whose every move is decided by gridchain, with the gas it cost next to deciding it on-chain. */
@Command(
        name = "chess",
        mixinStandardHelpOptions = true,
        description = {
            "Play a short chess game through gridchain on the embedded local network.",
            "Two players move on-chain in a ChessGame contract, which asks gridchain (the chess",
            "WebAssembly app, run by workers and certified) whether each move is legal and ends the game;",
            "the certified answer calls the game back. Prints, per move, the gas of asking gridchain next",
            "to the gas of deciding the same move on-chain (legal-move generation in the EVM).",
            "Default: fool's mate."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain demo chess",
            "  gridchain demo chess --moves 'e2e4 e7e5 d1h5 b8c6 f1c4 g8f6 h5f7' --json",
            "  gridchain demo chess --fen '6k1/5ppp/8/8/8/8/8/3R2K1 w - - 0 1' --moves d1d8"})
public final class ChessDemoCommand implements Callable<Integer> {
    @Option(names = "--fen", paramLabel = "FEN", description = "Start position (default: the standard one).")
    String fen = Chess.START;

    @Option(names = "--moves", paramLabel = "MOVES", description = "Moves in coordinate notation, separated by "
            + "spaces (default: ${DEFAULT-VALUE}).", defaultValue = "f2f3 e7e5 g2g4 d8h4")
    String moves;

    @Option(names = "--json", description = "Print one JSON object at the end instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> list = List.of(moves.trim().split("\\s+"));
        try {
            Chess.fromFen(fen);
            list.forEach(Chess::move);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        List<ChessMatch.MoveGas> played;
        try (ChessMatch match = new ChessMatch(step -> System.err.println("[demo chess] " + step))) {
            played = match.play(fen, list);
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ChessMatch.MoveGas m : played) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("ply", m.ply());
                row.put("move", m.move());
                row.put("state", m.state().name());
                row.put("move_tx_gas", m.moveTxGas());
                row.put("certify_gas", m.certifyGas());
                row.put("via_gridchain_gas", m.viaGridchain());
                row.put("onchain_check_gas", m.onchainGas());
                rows.add(row);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("moves", rows);
            out.put("result", played.isEmpty() ? "NONE" : played.get(played.size() - 1).state().name());
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return 0;
        }
        System.out.printf("%-4s %-6s %-17s %14s %14s %16s%n", "ply", "move", "after the move", "via gridchain",
                "(certify)", "on-chain check");
        for (ChessMatch.MoveGas m : played) {
            System.out.printf("%-4d %-6s %-17s %,14d %,14d %,16d%n", m.ply(), m.move(), describe(m.state()),
                    m.viaGridchain(), m.certifyGas(), m.onchainGas());
        }
        System.out.println();
        System.out.println("via gridchain = the player's move transaction (the game matches a one-task deal, paid from "
                + "the mover's budget at the game) + the certification that calls the game back; on-chain check = the "
                + "same decision by legal-move generation in the EVM.");
        return 0;
    }

    private static String describe(Chess.State s) {
        return switch (s) {
            case AWAITING_MOVE -> "in play";
            case WHITE_WON -> "checkmate: 1-0";
            case BLACK_WON -> "checkmate: 0-1";
            case DRAW -> "stalemate: draw";
            default -> s.name().toLowerCase();
        };
    }
}
