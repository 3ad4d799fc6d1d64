package io.gridchain.cli.bench;

import io.gridchain.cli.GroupCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks: the protocol on a local chain, the WebAssembly runtime against native code.",
        subcommands = {BenchGasCommand.class, BenchLatencyCommand.class, BenchThroughputCommand.class,
                BenchRuntimeCommand.class, BenchSabotageCommand.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench gas", "  gridchain bench runtime"})
public final class BenchCommand extends GroupCommand {
}
