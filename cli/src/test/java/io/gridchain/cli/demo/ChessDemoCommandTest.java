package io.gridchain.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** `gridchain demo chess`: a real game through gridchain on the embedded network, and its bad input. */
class ChessDemoCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void foolsMateIsPlayedToMateWithBothGasFiguresPerMove() throws Exception {
        Run r = run("demo", "chess", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("result").asText()).isEqualTo("BLACK_WON");
        JsonNode moves = json.get("moves");
        assertThat(moves).hasSize(4);
        for (JsonNode m : moves) {
            assertThat(m.get("via_gridchain_gas").asLong())
                    .isEqualTo(m.get("move_tx_gas").asLong() + m.get("certify_gas").asLong());
            assertThat(m.get("certify_gas").asLong()).isPositive();
            assertThat(m.get("onchain_check_gas").asLong()).isPositive();
        }
        assertThat(moves.get(2).get("state").asText()).isEqualTo("AWAITING_MOVE");
        // deciding a mate on-chain means trying every reply: the costliest check of the game
        assertThat(moves.get(3).get("onchain_check_gas").asLong()).isGreaterThan(moves.get(2).get("onchain_check_gas")
                .asLong());
    }

    @Test
    void aMalformedMoveOrPositionIsOneLineAndExitCode2() {
        Run bad = run("demo", "chess", "--moves", "e2e9");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("not a square: e9").doesNotContain("\n").doesNotContain("Exception");
        Run fen = run("demo", "chess", "--fen", "not a position");
        assertThat(fen.code()).isEqualTo(2);
        assertThat(fen.err()).contains("FEN");
    }
}
