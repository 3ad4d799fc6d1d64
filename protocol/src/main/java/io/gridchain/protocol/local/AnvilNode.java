package io.gridchain.protocol.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * anvil (Foundry), from the npm package {@code @foundry-rs/anvil} installed in
 * {@code contracts/node_modules}: the default development chain.
 */
public final class AnvilNode implements EvmNode {
    public static final String NAME = "anvil";
    /** Env var overriding the anvil binary location. */
    public static final String ANVIL_ENV = "GRIDCHAIN_ANVIL";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> command(int port, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(
                find().toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--silent",
                // Keep the last states in memory (never on disk): with none kept, a call on "latest"
                // races the next block and fails with BlockOutOfRangeError.
                "--prune-history", "256",
                "--accounts", "10",
                "--balance", "10000",
                "--mnemonic", LocalChain.DEV_MNEMONIC));
        cmd.addAll(extraArgs);
        return cmd;
    }

    @Override
    public boolean canReorganise() {
        return true;
    }

    /**
     * Locates the anvil binary: env {@value #ANVIL_ENV}, else walk up from the working directory and
     * from this class's jar/classes directory looking for contracts/node_modules/@foundry-rs/anvil-*.
     */
    public static Path find() {
        String rel = "node_modules/@foundry-rs/anvil-" + platform() + "/bin/anvil";
        return Locate.fromEnv(ANVIL_ENV, Files::isExecutable, "an executable file")
                .or(() -> Locate.upwards(List.of("contracts/" + rel, rel), Files::isExecutable)).orElseThrow(() ->
                new IllegalStateException("anvil not found: run `npm ci` in contracts/ or set " + ANVIL_ENV
                        + " (searched upwards from " + Locate.starts() + " for contracts/" + rel + ")"));
    }

    /** npm platform package suffix: linux-amd64, linux-arm64, darwin-amd64, darwin-arm64, win32-amd64. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("win") ? "win32" : "linux";
        String a = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
        return o + "-" + a;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
