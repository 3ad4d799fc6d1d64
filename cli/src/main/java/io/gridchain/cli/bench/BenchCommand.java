package io.gridchain.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks: the protocol on a local chain, the WebAssembly runtime against native code.",
        subcommands = {BenchGasCommand.class, BenchLatencyCommand.class, BenchThroughputCommand.class,
                BenchRuntimeCommand.class, BenchSabotageCommand.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench gas", "  gridchain bench runtime"})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
