package io.gridchain.cli.service;

import io.gridchain.cli.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the scheduler keeps its state, from {@code --db}: absent or {@code sqlite} for SQLite in its data directory,
 * or {@code postgresql://USER:PASSWORD@HOST:PORT/DATABASE} (also {@code postgres://}) for PostgreSQL, as libpq and
 * most operators write it. The JDBC driver wants {@code jdbc:postgresql://HOST:PORT/DATABASE} and the credentials
 * apart, so this turns one into the other.
 *
 * @param jdbcUrl  null for SQLite
 * @param user     null when the URL names none
 * @param password null when the URL names none
 */
record StateDatabase(String jdbcUrl, String user, String password, String host, int port) {
    static final StateDatabase SQLITE = new StateDatabase(null, null, null, null, 0);
    private static final int DEFAULT_PORT = 5432;

    static StateDatabase parse(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("sqlite")) return SQLITE;
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw bad(value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (!(scheme.equals("postgresql") || scheme.equals("postgres")) || uri.getHost() == null || path.isEmpty()
                || path.contains("/")) {
            throw bad(value);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new StateDatabase("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + path + query, user,
                password, uri.getHost(), port);
    }

    boolean postgres() {
        return jdbcUrl != null;
    }

    /** A server that does not answer is one line naming it, exit 3, before the scheduler starts. */
    void requireReachable() {
        if (!postgres()) return;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3_000);
        } catch (IOException e) {
            throw new UserError("cannot reach the PostgreSQL server at " + host + ":" + port + " given by --db ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "): start it or fix the URL", UserError.UNREACHABLE);
        }
    }

    /** For messages: the database without its password. */
    String describe() {
        return postgres() ? "PostgreSQL " + jdbcUrl.substring("jdbc:".length()) : "SQLite";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static UserError bad(String value) {
        return UserError.usage("--db must be sqlite or postgresql://USER:PASSWORD@HOST:PORT/DATABASE, got '"
                + value.replaceAll(":[^:@/]*@", ":***@") + "'");
    }
}
