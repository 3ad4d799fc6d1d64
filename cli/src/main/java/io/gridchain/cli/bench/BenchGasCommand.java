package io.gridchain.cli.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: the lead engineer wires the gas benchmark here. */
@Command(
        name = "gas",
        mixinStandardHelpOptions = true,
        description = "Measure gas used by the protocol's transactions.",
        footerHeading = "%n",
        footer = {"Example:", "  gridchain bench gas"})
public final class BenchGasCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bench gas: not yet wired");
        return 1;
    }
}
