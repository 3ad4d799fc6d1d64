package io.gridchain.cli;

import picocli.CommandLine;

/**
 * A command that only groups subcommands: run alone, it prints its usage (subcommands and examples) through
 * the command line it was parsed by, so with that command line's settings such as the help width.
 */
public abstract class GroupCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
