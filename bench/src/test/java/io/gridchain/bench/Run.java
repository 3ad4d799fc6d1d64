package io.gridchain.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs a bench command as picocli does, without the CLI: the CLI's tree is tested in the cli module, and
 * picocli's own exit codes (2 for bad input) are the ones the CLI keeps.
 */
public final class Run {
    private Run() {}

    /** The command's exit code. */
    public static int command(Object command, String... args) {
        return new CommandLine(command).execute(args);
    }

    /** The command's stdout as JSON, after checking it exited with 0. */
    public static JsonNode json(Object command, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = command(command, args);
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero();
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }
}
