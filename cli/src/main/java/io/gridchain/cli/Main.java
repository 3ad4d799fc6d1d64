package io.gridchain.cli;

import io.gridchain.cli.account.AccountCommand;
import io.gridchain.cli.bench.BenchCommand;
import io.gridchain.cli.config.ConfigCommand;
import io.gridchain.cli.deploy.DeployCommand;
import io.gridchain.cli.deploy.TokenCommand;
import io.gridchain.cli.demo.DemoCommand;
import io.gridchain.cli.devnet.DevnetCommand;
import io.gridchain.cli.order.OrderCommand;
import io.gridchain.cli.requester.RunCommand;
import io.gridchain.cli.requester.TaskCommand;
import io.gridchain.cli.provider.AppCommand;
import io.gridchain.cli.provider.DatasetCommand;
import io.gridchain.cli.provider.PoolCommand;
import io.gridchain.cli.secrets.SmsCommand;
import io.gridchain.cli.service.ExplorerCommand;
import io.gridchain.cli.service.MarketCommand;
import io.gridchain.cli.service.SchedulerCommand;
import io.gridchain.cli.service.WorkerCommand;
import io.gridchain.cli.wallet.WalletCommand;
import io.gridchain.protocol.chain.ChainUnreachableException;
import io.gridchain.protocol.chain.InsufficientFundsException;
import io.gridchain.protocol.errors.RevertException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code gridchain} command line. */
@Command(
        name = "gridchain",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "gridchain: decentralised compute marketplace on an EVM chain.",
        subcommands = {DemoCommand.class, VersionCommand.class, BenchCommand.class, ConfigCommand.class, DeployCommand.class,
            TokenCommand.class,
            WalletCommand.class, AccountCommand.class, AppCommand.class, DatasetCommand.class, PoolCommand.class,
            OrderCommand.class, SchedulerCommand.class, WorkerCommand.class, MarketCommand.class, SmsCommand.class,
            ExplorerCommand.class,
            DevnetCommand.class,
            RunCommand.class, TaskCommand.Group.class, TaskCommand.DealGroup.class, TaskCommand.ResultGroup.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  gridchain demo",
            "  gridchain devnet up",
            "  gridchain run 0xAPP --args 100000 --watch",
            "  gridchain order list",
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
        // Workers reach their scheduler through the JDK's HTTP client, whose keep-alive cache holds 5 idle connections
        // per host by default. The bench and the demo run a whole pool in this process; beyond 5, every request
        // would open a new connection (140 a second in a throughput run).
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        // descriptions are written in lines of up to 100 columns; at picocli's default 80 they break mid-line
        cl.setUsageHelpWidth(110);
        cl.setParameterExceptionHandler(Main::handleParameterException);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // a wrapper (a contract call's, a future's) would prefix the class name: the shortfall alone is the message
            Throwable shown = fundsIn(ex) != null ? fundsIn(ex) : ex;
            String msg = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + oneLine(msg)));
            if (System.getenv("GRIDCHAIN_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return exitCodeOf(ex);
        });
        return cl;
    }

    /** 0 ok, 1 refused on-chain or failed, 2 usage error, 3 chain unreachable, 4 wrong password. */
    static int exitCodeOf(Exception ex) {
        if (ex instanceof UserError u) return u.exitCode();
        if (ex instanceof RevertException) return UserError.FAILURE;
        if (ex instanceof ChainUnreachableException) return UserError.UNREACHABLE;
        if (fundsIn(ex) != null) return UserError.FAILURE; // its message says how much ETH to send
        return UserError.FAILURE;
    }

    /** The account's shortfall of ETH behind {@code ex}, or null. */
    static InsufficientFundsException fundsIn(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InsufficientFundsException funds) return funds;
        }
        return null;
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
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
