package io.gridchain.cli;

import io.gridchain.cli.bench.BenchCommand;
import io.gridchain.cli.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code gridchain} command line. */
@Command(
        name = "gridchain",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "gridchain: decentralised compute marketplace on an EVM chain.",
        subcommands = {DemoCommand.class, VersionCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  gridchain demo",
            "  gridchain --help",
            "  gridchain version",
            "  gridchain bench gas"
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No subcommand given: show usage.
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + msg));
            if (System.getenv("GRIDCHAIN_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cl;
    }

    /** One-line error plus a hint, exit code 2, no stack trace. */
    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String msg = ex.getMessage() == null ? "invalid arguments" : ex.getMessage().lines().findFirst().orElse("");
        cmd.getErr().println(cmd.getColorScheme().errorText("error: " + msg));
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return 2;
    }

    /** Version from the jar manifest (Implementation-Version), "dev" when run from classes. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gridchain " + version(), "Java " + System.getProperty("java.version")};
        }

        public static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
