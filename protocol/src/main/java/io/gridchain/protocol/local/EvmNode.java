package io.gridchain.protocol.local;

import java.util.List;
import java.util.Locale;

/**
 * Which development EVM a {@link LocalChain} runs: the command line that starts it and what it can do
 * beyond standard JSON-RPC. Chosen with the system property {@value #PROPERTY} or the env var
 * {@value #ENV} ({@code anvil} or {@code edr}), anvil by default, so a whole test suite can be run
 * again on a second, independent implementation.
 */
public interface EvmNode {
    /** System property choosing the node: {@code anvil} (default) or {@code edr}. */
    String PROPERTY = "gridchain.evm";
    /** Env var read when the property is not set. */
    String ENV = "GRIDCHAIN_EVM";

    /** Short name, as given in {@value #PROPERTY}. */
    String name();

    /** The command that serves JSON-RPC on 127.0.0.1:{@code port} with the dev accounts funded. */
    List<String> command(int port, List<String> extraArgs);

    /** Whether {@code anvil_reorg}/{@code anvil_rollback} exist: only anvil can stage a reorganisation. */
    boolean canReorganise();

    /** The node named by {@value #PROPERTY} (or {@value #ENV}), anvil when neither is set. */
    static EvmNode selected() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) name = System.getenv(ENV);
        return named(name == null || name.isBlank() ? AnvilNode.NAME : name);
    }

    static EvmNode named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case AnvilNode.NAME -> new AnvilNode();
            case EdrNode.NAME -> new EdrNode();
            default -> throw new IllegalArgumentException(
                    PROPERTY + "=" + name + " is not a known EVM node: use " + AnvilNode.NAME + " or " + EdrNode.NAME);
        };
    }
}
