package io.gridchain.e2e.multihost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A private network of hosts on this machine: one Linux bridge and one network namespace per host, each
 * joined to the bridge by a veth pair and holding its own address on a /24 chosen at random per run. The
 * test JVM is the "lab" host: the bridge's own address (.1), so it reads the chain like any other host.
 *
 * <p>Names carry the prefix {@code gc<pid>} (bridge {@code gc<pid>br}, namespaces {@code gc<pid>-NAME}, veth
 * ends {@code gc<pid>vN}): two runs never collide, and leftovers of a run whose JVM was killed (its pid no
 * longer alive) are removed by the next one. Everything is removed in {@link #close()} and, failing that,
 * by a shutdown hook.
 *
 * <p>Needs root and iproute2: {@link #create()} aborts the test (JUnit assumption) with the reason otherwise.
 */
final class Netns implements AutoCloseable {
    private static final Pattern OURS = Pattern.compile("gc(\\d+)(?:br|v\\d+|-[\\w-]+)");

    /** A host: its namespace, its address on the bridge and the root-side end of its veth pair. */
    record Host(String name, String namespace, String address, String veth) {}

    private final String prefix;
    private final String subnet; // "10.A.B."
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Thread hook = new Thread(this::removeAll, "netns-cleanup");
    private boolean closed;

    private Netns(String prefix, String subnet) {
        this.prefix = prefix;
        this.subnet = subnet;
    }

    /** The bridge with the lab's address, or an aborted test saying why namespaces cannot be made here. */
    static Netns create() {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"),
                "multi-host tests need Linux network namespaces");
        Assumptions.assumeTrue(run(List.of("ip", "-V")).ok(), "multi-host tests need iproute2's `ip` on the PATH");
        removeLeftovers();
        Random random = new Random();
        String subnet = null;
        String routes = run(List.of("ip", "-4", "route")).out();
        for (int attempt = 0; attempt < 50 && subnet == null; attempt++) {
            String candidate = "10." + (100 + random.nextInt(150)) + "." + random.nextInt(256) + ".";
            if (!routes.contains(candidate + "0/")) subnet = candidate;
        }
        Netns net = new Netns("gc" + ProcessHandle.current().pid(), subnet);
        Result bridge = run(List.of("ip", "link", "add", net.bridge(), "type", "bridge"));
        Assumptions.assumeTrue(bridge.ok(), "cannot create a network bridge (multi-host tests need root): "
                + bridge.out().strip());
        Runtime.getRuntime().addShutdownHook(net.hook);
        net.must("ip", "addr", "add", net.labAddress() + "/24", "dev", net.bridge());
        net.must("ip", "link", "set", net.bridge(), "up");
        return net;
    }

    /** Adds host {@code name} with the next address, loopback and its interface up. */
    Host add(String name) {
        int n = hosts.size() + 1;
        Host h = new Host(name, prefix + "-" + name, subnet + (10 + n), prefix + "v" + n);
        must("ip", "netns", "add", h.namespace());
        hosts.put(name, h);
        must("ip", "link", "add", h.veth(), "type", "veth", "peer", "name", "eth0", "netns", h.namespace());
        must("ip", "link", "set", h.veth(), "master", bridge(), "up");
        must("ip", "-n", h.namespace(), "addr", "add", h.address() + "/24", "dev", "eth0");
        must("ip", "-n", h.namespace(), "link", "set", "eth0", "up");
        must("ip", "-n", h.namespace(), "link", "set", "lo", "up");
        return h;
    }

    Host host(String name) {
        Host h = hosts.get(name);
        if (h == null) throw new IllegalArgumentException("no host " + name + " (have " + hosts.keySet() + ")");
        return h;
    }

    /** The test JVM's own address on the bridge. */
    String labAddress() {
        return subnet + "1";
    }

    /** Cuts {@code host} off the network: its veth goes down, so its packets go nowhere (no RST, no error). */
    void linkDown(Host host) {
        must("ip", "link", "set", host.veth(), "down");
    }

    void linkUp(Host host) {
        must("ip", "link", "set", host.veth(), "up");
    }

    /** {@code command} run inside {@code host}'s namespace, as a process started by the caller. */
    List<String> inside(Host host, List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        all.addAll(command);
        return all;
    }

    /** Runs {@code command} in {@code host} to its end (at most 60 s); its output and exit code. */
    Result exec(Host host, String... command) {
        return run(inside(host, List.of(command)));
    }

    private String bridge() {
        return prefix + "br";
    }

    private void must(String... command) {
        Result r = run(List.of(command));
        if (!r.ok()) throw new IllegalStateException(String.join(" ", command) + " failed: " + r.out().strip());
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs or ran: nothing left to do
        }
    }

    private void removeAll() {
        // Deleting a namespace kills no process: callers stop theirs first. It deletes the veth peer inside it.
        for (Host h : hosts.values()) run(List.of("ip", "netns", "delete", h.namespace()));
        run(List.of("ip", "link", "delete", bridge()));
    }

    /** Removes the bridges, veths and namespaces of earlier runs whose JVM no longer lives. */
    private static void removeLeftovers() {
        for (String name : names(run(List.of("ip", "netns", "list")).out())) {
            if (dead(name)) run(List.of("ip", "netns", "delete", name));
        }
        for (String name : names(run(List.of("ip", "-o", "link", "show")).out())) {
            if (dead(name)) run(List.of("ip", "link", "delete", name));
        }
    }

    private static List<String> names(String listing) {
        List<String> names = new ArrayList<>();
        Matcher m = OURS.matcher(listing);
        while (m.find()) names.add(m.group());
        return names;
    }

    private static boolean dead(String name) {
        Matcher m = OURS.matcher(name);
        if (!m.matches()) return false;
        long pid = Long.parseLong(m.group(1));
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** A finished command: exit code and its merged output. */
    record Result(int code, String out) {
        boolean ok() {
            return code == 0;
        }
    }

    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
