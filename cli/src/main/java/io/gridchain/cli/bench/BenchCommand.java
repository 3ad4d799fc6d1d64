package io.gridchain.cli.bench;

import io.gridchain.bench.gas.BenchGasCommand;
import io.gridchain.bench.latency.BenchLatencyCommand;
import io.gridchain.bench.placement.BenchPlacementCommand;
import io.gridchain.bench.runtime.BenchRuntimeCommand;
import io.gridchain.bench.sabotage.BenchSabotageCommand;
import io.gridchain.bench.throughput.BenchThroughputCommand;
import io.gridchain.cli.GroupCommand;
import picocli.CommandLine.Command;

/**
 * The {@code bench} node of the command tree. The benchmarks live in the bench module, which knows nothing of
 * the CLI; this group stays here because it is a node of the CLI's tree, printing its usage the way every group
 * does ({@link GroupCommand}, with the CLI's help width).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks: the protocol on a local chain, the WebAssembly runtime against native code.",
        subcommands = {BenchGasCommand.class, BenchLatencyCommand.class, BenchThroughputCommand.class,
                BenchRuntimeCommand.class, BenchSabotageCommand.class, BenchPlacementCommand.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench gas", "  gridchain bench runtime"})
public final class BenchCommand extends GroupCommand {
}
