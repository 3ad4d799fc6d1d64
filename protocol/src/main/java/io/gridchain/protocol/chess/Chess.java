package io.gridchain.protocol.chess;

import io.gridchain.contracts.ChessGame;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;

/**
 * The chess example's encodings, as ChessRules.sol and the chess app read them: a position is a board (square i,
 * 0 = a1 .. 63 = h8, is nibble i of a uint256) and flags (side to move, castling rights, en-passant file); a move
 * is {@code from | to << 6 | promotion << 12}.
 */
public final class Chess {
    /** Status codes of the app's answer and of ChessRules.check. */
    public static final int IN_PLAY = 0, CHECKMATE = 1, STALEMATE = 2, ILLEGAL = 3;
    public static final String START = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";

    /** A position in the contracts' encoding. */
    public record Position(BigInteger board, int flags) {}

    /** ChessGame's states, in declaration order. */
    public enum State { NONE, AWAITING_MOVE, AWAITING_VERDICT, WHITE_WON, BLACK_WON, DRAW }

    private Chess() {}

    /** A FEN position (the move counters are ignored); IllegalArgumentException if it is not one. */
    public static Position fromFen(String fen) {
        String[] parts = fen.trim().split("\\s+");
        if (parts.length < 2) throw new IllegalArgumentException("not a FEN position: " + fen);
        BigInteger board = BigInteger.ZERO;
        String[] ranks = parts[0].split("/");
        if (ranks.length != 8) throw new IllegalArgumentException("a FEN board has 8 ranks: " + fen);
        for (int r = 0; r < 8; r++) {
            int file = 0;
            for (char c : ranks[7 - r].toCharArray()) {
                if (Character.isDigit(c)) {
                    file += c - '0';
                } else {
                    int kind = " pnbrqk".indexOf(Character.toLowerCase(c));
                    if (kind < 1 || file > 7) throw new IllegalArgumentException("bad piece '" + c + "' in " + fen);
                    int piece = kind | (Character.isLowerCase(c) ? 8 : 0);
                    board = board.or(BigInteger.valueOf(piece).shiftLeft(4 * ((r * 8) + file)));
                    file++;
                }
            }
            if (file != 8) throw new IllegalArgumentException("rank " + (r + 1) + " does not have 8 files: " + fen);
        }
        int flags = switch (parts[1]) {
            case "w" -> 0;
            case "b" -> 1;
            default -> throw new IllegalArgumentException("side to move must be w or b: " + fen);
        };
        if (parts.length > 2 && !parts[2].equals("-")) {
            for (char c : parts[2].toCharArray()) {
                int bit = "KQkq".indexOf(c);
                if (bit < 0) throw new IllegalArgumentException("bad castling rights '" + parts[2] + "'");
                flags |= 2 << bit;
            }
        }
        if (parts.length > 3 && !parts[3].equals("-")) flags |= (parts[3].charAt(0) - 'a' + 1) << 5;
        return new Position(board, flags);
    }

    /** The square named like {@code e4}. */
    public static int square(String name) {
        if (name.length() != 2 || name.charAt(0) < 'a' || name.charAt(0) > 'h' || name.charAt(1) < '1'
                || name.charAt(1) > '8') {
            throw new IllegalArgumentException("not a square: " + name);
        }
        return (name.charAt(1) - '1') * 8 + (name.charAt(0) - 'a');
    }

    /** A move in coordinate notation, {@code e2e4} or {@code e7e8q}. */
    public static int move(String uci) {
        if (uci.length() != 4 && uci.length() != 5) throw new IllegalArgumentException("not a move like e2e4: " + uci);
        int m = square(uci.substring(0, 2)) | square(uci.substring(2, 4)) << 6;
        if (uci.length() == 5) {
            int promo = " pnbrq".indexOf(uci.charAt(4));
            if (promo < 2) throw new IllegalArgumentException("promotion must be n, b, r or q: " + uci);
            m |= promo << 12;
        }
        return m;
    }

    /** The app and workerpool orders (from the order book) and their owners' signatures, as ChessGame takes them. */
    public static ChessGame.Offer offer(AppOrder a, byte[] appSignature, WorkerpoolOrder w, byte[] poolSignature) {
        return new ChessGame.Offer(
                new ChessGame.AppOrder(a.app(), a.price(), a.volume(), Words.toBytes32(a.tag()), a.datasetRestrict(),
                        a.workerpoolRestrict(), a.requesterRestrict(), a.expiry(), Words.toBytes32(a.salt())),
                new ChessGame.WorkerpoolOrder(w.workerpool(), w.price(), w.volume(), Words.toBytes32(w.tag()),
                        w.category(), w.trust(), w.appRestrict(), w.datasetRestrict(), w.requesterRestrict(),
                        w.expiry(), Words.toBytes32(w.salt())),
                appSignature, poolSignature);
    }
}
