package io.gridchain.cli.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every chain command shares, as a picocli mixin:
 * <pre>{@code
 * @Mixin ChainOptions chain;
 * ...
 * try (Context ctx = chain.context()) { GridClient me = ctx.client(); ... }
 * }</pre>
 */
public final class ChainOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (default ~/.gridchain/config.json, or $GRIDCHAIN_CONFIG).")
    Path config;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Chain profile from the config file (default: $GRIDCHAIN_PROFILE, else the file's \"profile\").")
    String profile;

    @Option(names = "--rpc", paramLabel = "URL",
            description = "Ethereum JSON-RPC URL (default: $GRIDCHAIN_RPC, else the profile's \"rpc\").")
    String rpc;

    @Option(names = "--wallet", paramLabel = "FILE",
            description = "Keystore file of the signing wallet (default: $GRIDCHAIN_WALLET, else the file's \"wallet\").")
    String wallet;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the wallet password (default: $GRIDCHAIN_PASSWORD_FILE, else "
                    + "$GRIDCHAIN_PASSWORD, else asked once on the console).")
    Path passwordFile;

    @Option(names = "--max-fee-gwei", paramLabel = "GWEI",
            description = "Highest price per gas a transaction may pay, decimals allowed (default: $GRIDCHAIN_MAX_FEE_GWEI,"
                    + " else 2 x the latest base fee + the priority fee; the gas price on chains without base fee).")
    String maxFeeGwei;

    @Option(names = "--priority-fee-gwei", paramLabel = "GWEI",
            description = "Tip per gas to the block producer, 0 allowed (default: $GRIDCHAIN_PRIORITY_FEE_GWEI, else the"
                    + " node's eth_maxPriorityFeePerGas, else 1).")
    String priorityFeeGwei;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificate(s) to trust for https:// services"
            + " besides the JVM's (default: $GRIDCHAIN_TLS_CA).")
    Path tlsCa;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    public boolean json() {
        return json;
    }

    public Settings.Flags flags() {
        return new Settings.Flags(config, profile, rpc, wallet, passwordFile, maxFeeGwei, priorityFeeGwei);
    }

    public Settings settings() {
        ClientTrust.install(tlsCa);
        return Settings.resolve(flags());
    }

    /** A context that connects to the chain and unlocks the wallet only when asked to. */
    public Context context() {
        return new Context(settings());
    }
}
