package io.gridchain.protocol.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hardhat's EVM engine (EDR, npm {@code @nomicfoundation/edr}) served over HTTP by the small script
 * {@code protocol/src/main/node/edr-node/edr-node.mjs}: a second, independent EVM implementation, so
 * the suites show that gridchain needs nothing anvil-only. Same chain id, same funded dev accounts;
 * it has no {@code eth_sendRawTransactionSync} and no {@code anvil_*} methods (its {@code hardhat_*}
 * twins, which anvil also answers, do the same), and cannot stage a reorganisation.
 *
 * <p>Needs {@code node} (env {@value #NODE_ENV}, else on the PATH) and {@code npm ci} in the script's
 * folder ({@code scripts/install-deps.sh} does it); env {@value #SCRIPT_ENV} overrides the script.
 */
public final class EdrNode implements EvmNode {
    public static final String NAME = "edr";
    /** Env var naming the node.js binary. */
    public static final String NODE_ENV = "GRIDCHAIN_NODE";
    /** Env var naming edr-node.mjs. */
    public static final String SCRIPT_ENV = "GRIDCHAIN_EDR_NODE";
    static final String SCRIPT_DIR = "protocol/src/main/node/edr-node";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> command(int port, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(node().toString(), script().toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        cmd.addAll(extraArgs);
        return cmd;
    }

    @Override
    public boolean canReorganise() {
        return false;
    }

    static Path node() {
        return Locate.fromEnv(NODE_ENV, Files::isExecutable, "an executable file")
                .or(() -> Locate.onPath("node")).orElseThrow(() ->
                new IllegalStateException("node (node.js) not found on the PATH: install it or set " + NODE_ENV));
    }

    /** edr-node.mjs whose folder has EDR installed. */
    static Path script() {
        return Locate.fromEnv(SCRIPT_ENV, Files::isRegularFile, "a file")
                .or(() -> Locate.upwards(List.of(SCRIPT_DIR + "/edr-node.mjs"), p -> Files.isRegularFile(p)
                        && Files.isDirectory(p.resolveSibling("node_modules/@nomicfoundation/edr"))))
                .orElseThrow(() -> new IllegalStateException("the EDR node is not installed: run `npm ci` in "
                        + SCRIPT_DIR + " (or scripts/install-deps.sh), or set " + SCRIPT_ENV
                        + " (searched upwards from " + Locate.starts() + ")"));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
