package io.gridchain.cli.service;

import io.gridchain.cli.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The scheduler's PostgreSQL database from {@code --db postgresql://USER:PASSWORD@HOST:PORT/DB}: the JDBC URL and
 * the credentials the scheduler's state store opens. User and password are URL-encoded in the URL (a {@code @} in a
 * password is {@code %40}); the port defaults to 5432, query parameters go to the JDBC driver (e.g.
 * {@code ?sslmode=require}).
 */
record Database(String jdbcUrl, String user, String password, String host, int port) {
    static final int DEFAULT_PORT = 5432;
    private static final String EXAMPLE = "postgresql://USER:PASSWORD@HOST:5432/DB";

    /** Parses {@code url}; a one-line usage error (exit 2) saying what is wrong. */
    static Database parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw malformed(url, e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))) {
            throw malformed(url, "it must start with postgresql://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw malformed(url, uri.getRawAuthority() == null ? "no host" : "no host, or a bad port or character"
                    + " in it (URL-encode the password: @ is %40, : is %3A, / is %2F)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.matches("/[^/]+")) throw malformed(url, "no database name after the host (…/DB)");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        if (user == null || user.isEmpty()) throw malformed(url, "no user (USER@HOST)");
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String host = uri.getHost();
        String jdbc = "jdbc:postgresql://" + host + ":" + port + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Database(jdbc, user, password, host, port);
    }

    /** {@code host:port} with no credentials, for messages. */
    String where() {
        return host + ":" + port;
    }

    /** Checks that something listens at the database's address; a one-line error, exit 3, if not. */
    void checkReachable(int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UserError("cannot reach the PostgreSQL database at " + where() + ": " + why
                    + " (is PostgreSQL running there and listening on that address?)", UserError.UNREACHABLE);
        }
    }

    @Override
    public String toString() { // never the password
        return "Database[" + jdbcUrl + ", user " + user + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static UserError malformed(String url, String why) {
        return UserError.usage("--db must be a PostgreSQL URL like " + EXAMPLE + ": " + why + " (got "
                + redact(url) + ")");
    }

    /** The URL with its password masked, for messages. */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
    }
}
