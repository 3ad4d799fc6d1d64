package io.gridchain.protocol.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway local EVM chain: a development node process on a free loopback port, anvil by default
 * or another {@link EvmNode} chosen with {@code -D}{@value EvmNode#PROPERTY}{@code =edr}.
 *
 * <pre>{@code
 * try (LocalChain chain = LocalChain.start()) {
 *     Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
 *     Credentials alice = Credentials.create(chain.devPrivateKeys().get(0));
 *     ...
 *     web3j.shutdown();
 * }
 * }</pre>
 *
 * <p>{@link AnvilNode} and {@link EdrNode} say where their programs are found. A JVM shutdown hook
 * kills the process if {@link #close()} is never called.
 */
public final class LocalChain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalChain.class);

    /** Env var overriding the anvil binary location. */
    public static final String ANVIL_ENV = AnvilNode.ANVIL_ENV;

    /** The standard development mnemonic (hardhat / anvil default). */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";

    public static final long CHAIN_ID = 31337L;

    /** Private keys of the 10 accounts anvil (and Hardhat) derive from {@link #DEV_MNEMONIC} (m/44'/60'/0'/0/i). */
    public static final List<String> DEV_PRIVATE_KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
            "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
            "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
            "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
            "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
            "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 20;
    private static final int STDERR_KEEP = 16 * 1024;
    private static final Pattern HEX_RESULT = Pattern.compile("\"result\"\\s*:\\s*\"0x([0-9a-fA-F]+)\"");

    private final EvmNode node;
    private final Process process;
    private final int port;
    private final String rpcUrl;
    private volatile long chainId;
    private final StringBuffer stderr;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalChain(EvmNode node, Process process, int port, long chainId, StringBuffer stderr) {
        this.node = node;
        this.process = process;
        this.port = port;
        this.rpcUrl = "http://127.0.0.1:" + port;
        this.chainId = chainId;
        this.stderr = stderr;
        this.shutdownHook = new Thread(this::kill, "gridchain-" + node.name() + "-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the {@linkplain EvmNode#selected() selected node} with 10 funded dev accounts (10,000 ETH
     * each) on a free loopback port.
     */
    public static LocalChain start() {
        return start(List.of());
    }

    /** Like {@link #start()}, appending {@code extraArgs} to the node's command line (e.g. "--block-time", "1"). */
    public static LocalChain start(List<String> extraArgs) {
        return start(EvmNode.selected(), extraArgs);
    }

    /** Starts {@code node}, whatever {@value EvmNode#PROPERTY} says. */
    public static LocalChain start(EvmNode node, List<String> extraArgs) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // retry: the free port may be taken between probe and bind
            int port = freePort();
            try {
                return launch(node, port, node.command(port, extraArgs));
            } catch (PortRaceException e) {
                last = new IllegalStateException(e.getMessage());
                log.debug("{} port race, retrying ({})", node.name(), e.getMessage());
            }
        }
        throw last;
    }

    /** Which implementation this chain runs. */
    public EvmNode node() {
        return node;
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    /** The 10 dev private keys (0x-prefixed hex), funded with 10,000 ETH each. */
    public List<String> devPrivateKeys() {
        return DEV_PRIVATE_KEYS;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the node: destroy, wait up to 5 s, then destroyForcibly. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // JVM already shutting down: the hook runs kill() itself
        }
    }

    private synchronized void kill() {
        if (closed) return;
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        log.debug("{} on port {} stopped", node.name(), port);
    }

    // ---------------------------------------------------------------------------------------------

    private static LocalChain launch(EvmNode node, int port, List<String> cmd) {
        String name = node.name();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
        StringBuffer err = new StringBuffer();
        Thread drain = new Thread(() -> drain(p.getErrorStream(), err), "gridchain-" + name + "-stderr-" + port);
        drain.setDaemon(true);
        drain.start();

        LocalChain chain = new LocalChain(node, p, port, CHAIN_ID, err);
        long t0 = System.nanoTime();
        try {
            long id = waitUntilReady(chain, p, err);
            log.debug("{} ready on {} (chainId {}) in {} ms", name, chain.rpcUrl,
                    id, (System.nanoTime() - t0) / 1_000_000);
            chain.chainId = id;
            return chain;
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
    }

    private static long waitUntilReady(LocalChain chain, Process p, StringBuffer err) {
        String name = chain.node.name();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(chain.rpcUrl))
                .timeout(Duration.ofSeconds(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (!p.isAlive()) {
                sleep(50); // let the drain thread collect the last words
                String tail = err.toString().strip();
                log.error("{} exited at startup with code {}; stderr:\n{}", name, p.exitValue(), tail);
                if (tail.contains("Address already in use") || tail.contains("address already in use")) {
                    throw new PortRaceException(name + " could not bind port " + chain.port);
                }
                throw new IllegalStateException(name + " exited at startup (code " + p.exitValue() + "): "
                        + (tail.isEmpty() ? "no output" : tail.lines().reduce((a, b) -> b).orElse("")));
            }
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                Matcher m = HEX_RESULT.matcher(r.body());
                if (r.statusCode() == 200 && m.find()) return Long.parseLong(m.group(1), 16);
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            if (System.nanoTime() > deadline) {
                log.error("{} did not answer eth_chainId on {} within {} s; stderr:\n{}",
                        name, chain.rpcUrl, STARTUP_TIMEOUT.toSeconds(), err.toString().strip());
                throw new IllegalStateException(name + " did not answer eth_chainId on " + chain.rpcUrl
                        + " within " + STARTUP_TIMEOUT.toSeconds() + " s");
            }
            sleep(POLL_MILLIS);
        }
    }

    /** The anvil binary: see {@link AnvilNode#find()}. */
    public static Path findAnvil() {
        return AnvilNode.find();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static void drain(InputStream in, StringBuffer sink) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (sink.length() > STDERR_KEEP) sink.delete(0, sink.length() - STDERR_KEEP);
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the node", e);
        }
    }

    private static final class PortRaceException extends RuntimeException {
        PortRaceException(String msg) {
            super(msg);
        }
    }

    @Override
    public String toString() {
        return "LocalChain[" + node.name() + " " + rpcUrl + ", chainId " + chainId + (closed ? ", closed" : "") + "]";
    }
}
