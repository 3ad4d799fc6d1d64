package io.gridchain.protocol.http;

import io.javalin.config.JavalinConfig;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A Javalin service served over HTTPS only: one TLS connector on the host and port {@code app.start} is given, in
 * place of Javalin's plain one (Javalin adds its own only when the config added none).
 */
public final class Https {
    private Https() {}

    /**
     * Serves the app being configured with {@code tls} (from {@link Tls#serverContext}) on {@code host:port} (0: a
     * free port); null keeps plain HTTP.
     */
    public static void configure(JavalinConfig cfg, SSLContext tls, String host, int port) {
        if (tls == null) return;
        cfg.jetty.addConnector((server, http) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            // clients may dial an IP address the certificate names, without SNI: do not refuse them for it
            ssl.setSniRequired(false);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server,
                    new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }
}
