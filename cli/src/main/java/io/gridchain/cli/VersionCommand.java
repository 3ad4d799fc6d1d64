package io.gridchain.cli;

import picocli.CommandLine.Command;

/** {@code gridchain version}. */
@Command(name = "version", description = "Print the gridchain version.", mixinStandardHelpOptions = true,
        footerHeading = "%n", footer = {"Example:", "  gridchain version"})
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("gridchain " + Main.VersionProvider.version());
    }
}
