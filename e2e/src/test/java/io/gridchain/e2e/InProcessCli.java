package io.gridchain.e2e;

import io.gridchain.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** {@code gridchain ARGS} run in this JVM, as a user would, with its exit code, stdout and stderr. */
public final class InProcessCli {
    public record Result(int code, String out, String err) {}

    private InProcessCli() {}

    /** With the test's profile {@code config}, a wallet and its password file. */
    public static Result run(Path config, Path wallet, Path password, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--wallet", wallet.toString(), "--password-file",
                password.toString()));
        return run(all.toArray(String[]::new));
    }

    /** System.out is swapped while the command runs: one command at a time. */
    public static synchronized Result run(String... all) {
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(all);
        } finally {
            System.setOut(stdout);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }
}
