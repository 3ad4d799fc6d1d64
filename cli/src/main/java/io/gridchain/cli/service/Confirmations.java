package io.gridchain.cli.service;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Profile;
import picocli.CommandLine.Option;

/** How many blocks a service waits for before it acts on a deal, a match or a finalization, as a picocli mixin. */
public final class Confirmations {
    @Option(names = "--confirmations", paramLabel = "N",
            description = {"Blocks that must follow a deal's, a match's or a batch's block before the service acts",
                "on it; a reorganisation deeper than that is recovered from (default: the profile's",
                "\"confirmations\", else 0 on development chains (ids 31337, 1337) and 2 elsewhere)."})
    Integer confirmations;

    /** The flag, else the profile's key, else the chain's default. */
    int resolve(Context ctx) {
        if (confirmations != null) {
            if (confirmations < 0 || confirmations > 1000) {
                throw UserError.usage("--confirmations must be a whole number from 0 to 1000, got " + confirmations);
            }
            return confirmations;
        }
        long chainId = ctx.chain().chainId();
        Profile p = ctx.settings().profile();
        return (int) (p == null ? Profile.defaultConfirmations(chainId) : p.confirmations(chainId));
    }
}
