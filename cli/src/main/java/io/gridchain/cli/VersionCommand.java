package io.gridchain.cli;

import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the gridchain version.", mixinStandardHelpOptions = true)
public final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("gridchain " + Main.VersionProvider.version());
    }
}
