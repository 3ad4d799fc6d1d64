package io.gridchain.scheduler.state;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a temporary directory, started by
 * {@code pg_ctl} on a free loopback port (its Unix socket in the same directory), trust
 * authentication, stopped with {@code pg_ctl stop -m immediate} and deleted by {@link #close}.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root, every server command runs as the
 * existing {@code postgres} system user ({@code runuser -u postgres --}) and the directory is given
 * to that user; otherwise they run as the current user. {@link #unavailable()} says why a cluster
 * cannot be started here (no server binaries, or root without a {@code postgres} user), so that the
 * tests are skipped rather than failed.
 */
public final class TestPostgres implements AutoCloseable {
    private static final String SUPERUSER = "postgres";
    private static final String RUN_AS = "postgres";

    private final Path bin;
    private final Path dir;
    private final boolean asRoot;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private final Thread shutdownHook;
    private boolean stopped;

    /** The newest {@code /usr/lib/postgresql/<version>/bin} holding initdb, pg_ctl and postgres. */
    static Optional<Path> findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(TestPostgres::version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Why no cluster can be started on this machine, or empty when one can. */
    public static Optional<String> unavailable() {
        if (findBinaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
                    + " (install postgresql-15: scripts/install-deps.sh)");
        }
        if (isRoot()) {
            try {
                UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
                users.lookupPrincipalByName(RUN_AS);
            } catch (IOException e) {
                return Optional.of("running as root and there is no '" + RUN_AS
                        + "' user to run PostgreSQL as (initdb refuses root)");
            }
            if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
                return Optional.of("running as root and runuser is missing");
            }
        }
        return Optional.empty();
    }

    public static TestPostgres start() throws IOException, InterruptedException {
        return new TestPostgres(findBinaries().orElseThrow());
    }

    private TestPostgres(Path bin) throws IOException, InterruptedException {
        this.bin = bin;
        this.asRoot = isRoot();
        // Short path: the Unix socket path must stay under ~100 bytes.
        this.dir = Files.createTempDirectory(Path.of("/tmp"), "gcpg");
        if (asRoot) giveToRunAsUser(dir);
        this.port = freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", data(), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C", "--no-sync"));
        this.shutdownHook = new Thread(this::stopQuietly, "test-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off";
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", dir.resolve("server.log").toString(),
                    "-o", options, "-w", "-t", "60", "start"));
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nserver log:\n" + serverLog(), e);
        }
    }

    public int port() {
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    /** Creates a new, empty database and returns its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "gridchain_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), SUPERUSER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private static void giveToRunAsUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(RUN_AS);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        try {
            GroupPrincipal group = users.lookupPrincipalByGroupName(RUN_AS);
            view.setGroup(group);
        } catch (IOException ignored) {
            // The owner is what matters.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a server command (as the postgres user when we are root), failing with its output. */
    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot) full.addAll(Arrays.asList("runuser", "-u", RUN_AS, "--"));
        full.addAll(command);
        File out = dir.resolve("command.out").toFile();
        // Output to a file, never a pipe: the server started by pg_ctl would inherit and hold it.
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out)).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", full));
        }
        if (p.exitValue() != 0) {
            throw new IOException("failed (exit " + p.exitValue() + "): " + String.join(" ", full) + "\n"
                    + Files.readString(out.toPath()));
        }
    }

    private String serverLog() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(none)";
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) return;
        stopped = true;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"));
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the test PostgreSQL cluster in " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // Already shutting down.
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
