package io.gridchain.cli.service;

import io.gridchain.cli.UserError;
import picocli.CommandLine.Option;

/** Where an HTTP service listens, as a picocli mixin. */
public final class Listen {
    @Option(names = {"--host", "--bind"}, paramLabel = "HOST",
            description = "Interface (address) to listen on; 0.0.0.0 for every one (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port (default: ${DEFAULT-VALUE}: any free port).",
            defaultValue = "0")
    int port;

    public String host() {
        return host;
    }

    /** The port, checked. */
    public int port() {
        if (port < 0 || port > 65535) throw UserError.usage("--port must be between 0 and 65535");
        return port;
    }

    /** A service that failed to start (port taken, chain gone): one line, exit 1. */
    public UserError cannotStart(String what, RuntimeException e) {
        return UserError.failure("cannot start the " + what + " on " + host + ":" + port + ": " + e.getMessage());
    }
}
