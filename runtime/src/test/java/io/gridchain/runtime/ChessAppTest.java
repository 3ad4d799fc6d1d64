package io.gridchain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.apps.ExampleApps;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chess example app run in the real sandbox: its legal-move generator is checked against the published perft
 * counts of standard test positions (chessprogramming.org "Perft Results"), which exercise castling, en passant,
 * promotion, pins and checks; then known checkmates and stalemates, and the move command the chess contract uses.
 */
class ChessAppTest {
    static final String START = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1";
    static WasmRuntime runtime;

    @TempDir
    Path tmp;
    int dirs;

    @BeforeAll
    static void setUp() {
        runtime = new WasmRuntime();
    }

    record Run(String text, byte[] callback) {
        /** The i-th 32-byte word of the callback data. */
        BigInteger word(int i) {
            return new BigInteger(1, Arrays.copyOfRange(callback, 32 * i, 32 * i + 32));
        }
    }

    Run run(String... args) throws IOException {
        Path out = tmp.resolve("out" + dirs++);
        ExecutionResult r = runtime.run(ExecutionRequest.of("chess", ExampleApps.load("chess"), out).withArgs(args));
        assertThat(r.succeeded()).as("chess %s: %s %s", List.of(args), r.failure(), r.stderrText()).isTrue();
        return new Run(Files.readString(out.resolve("result.txt"), StandardCharsets.UTF_8),
                Files.readAllBytes(out.resolve("callback.bin")));
    }

    static String[] args(String command, String fen) {
        List<String> a = new ArrayList<>(List.of(command.split(" ")));
        a.addAll(List.of(fen.split(" ")));
        return a.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0} at depth {1}")
    @CsvSource(delimiter = '|', value = {
        "start position | 3 | 8902 | " + START,
        "Kiwipete | 2 | 2039 | r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1",
        "position 3 (en passant, checks) | 3 | 2812 | 8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1",
        "position 4 (promotions, castling) | 3 | 9467 | r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1",
        "position 5 | 2 | 1486 | rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8",
        "position 6 | 2 | 2079 | r4rk1/1pp1qppp/p1np1n2/2b1p1B1/2B1P1b1/P1NP1N2/1PP1QPPP/R4RK1 w - - 0 10",
    })
    void perftCountsMatchTheStandardPositions(String name, int depth, long nodes, String fen) throws IOException {
        Run r = run(args("perft " + depth, fen));
        assertThat(r.text()).isEqualTo("perft " + depth + ": " + nodes + "\n");
        assertThat(r.callback()).hasSize(32);
        assertThat(r.word(0)).isEqualTo(BigInteger.valueOf(nodes));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fool's mate | checkmate | 0 | rnb1kbnr/pppp1ppp/8/4p3/6Pq/5P2/PPPPP2P/RNBQKBNR w KQkq - 1 3",
        "back-rank mate | checkmate | 0 | 3R2k1/5ppp/8/8/8/8/8/6K1 b - - 0 1",
        "queen stalemate | stalemate | 0 | 7k/5Q2/6K1/8/8/8/8/8 b - - 0 1",
        "pawn stalemate | stalemate | 0 | 8/8/8/8/8/1k6/p7/K7 w - - 0 1",
        "start position | in play | 20 | " + START,
        "check that can be answered | in play | 1 | 7k/8/8/8/8/8/6q1/7K w - - 0 1",
    })
    void statusOfKnownPositions(String name, String status, int moves, String fen) throws IOException {
        Run r = run(args("status", fen));
        assertThat(r.text()).startsWith("status: " + status + "\nlegal moves: " + moves + "\n");
        int code = switch (status) {
            case "checkmate" -> 1;
            case "stalemate" -> 2;
            default -> 0;
        };
        assertThat(r.callback()).hasSize(96);
        assertThat(r.word(0)).isEqualTo(BigInteger.valueOf(code));
    }

    static String board(Run r) {
        return r.text().lines().filter(l -> l.startsWith("board: ")).findFirst().orElseThrow().substring(7);
    }

    static String flags(Run r) {
        return r.text().lines().filter(l -> l.startsWith("flags: ")).findFirst().orElseThrow().substring(7);
    }

    static String move(String from, String to) {
        return String.valueOf(square(from) | square(to) << 6);
    }

    static int square(String s) {
        return (s.charAt(1) - '1') * 8 + (s.charAt(0) - 'a');
    }

    @Test
    void theMoveCommandPlaysFoolsMateAndRefusesIllegalMoves() throws IOException {
        Run pos = run(args("status", START));
        assertThat(flags(pos)).isEqualTo("30"); // white to move, all four castling rights, no en passant
        String[][] game = {{"f2", "f3"}, {"e7", "e5"}, {"g2", "g4"}, {"d8", "h4"}};
        for (int i = 0; i < game.length; i++) {
            Run next = run("move", board(pos), flags(pos), move(game[i][0], game[i][1]));
            assertThat(next.word(0)).as("after move %d", i + 1).isEqualTo(BigInteger.valueOf(i == 3 ? 1 : 0));
            assertThat(new BigInteger(board(next).substring(2), 16)).isEqualTo(next.word(1));
            assertThat(next.word(2)).isEqualTo(new BigInteger(flags(next)));
            pos = next;
        }
        assertThat(pos.text()).startsWith("status: checkmate");
        // a rook cannot jump over its pawn: refused, position unchanged
        Run start = run(args("status", START));
        Run illegal = run("move", board(start), flags(start), move("a1", "a3"));
        assertThat(illegal.text()).startsWith("status: illegal move");
        assertThat(illegal.word(0)).isEqualTo(BigInteger.valueOf(3));
        assertThat(board(illegal)).isEqualTo(board(start));
        // a double pawn push sets the en-passant file (e = 5) and passes the move: flags 1 | 15 << 1 | 5 << 5
        Run e4 = run("move", board(start), flags(start), move("e2", "e4"));
        assertThat(flags(e4)).isEqualTo(String.valueOf(1 | 15 << 1 | 5 << 5));
    }
}
