package io.gridchain.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks against a local chain.",
        subcommands = {BenchGasCommand.class},
        footerHeading = "%n",
        footer = {"Example:", "  gridchain bench gas"})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
