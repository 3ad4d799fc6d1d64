package io.gridchain.explorer.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A pool's API URL is a stranger's word: what the explorer refuses to fetch, as a malicious pool owner would try. */
class FetchTest {
    static final Fetch PUBLIC_ONLY = new Fetch(false);

    @Test
    void aUrlThatIsNotHttpIsRefused() {
        for (String url : new String[] {"file:///etc/passwd", "gopher://127.0.0.1:6379", "jar:file:/x.jar!/"}) {
            assertThatThrownBy(() -> PUBLIC_ONLY.get(url, "/v1/workers")).isInstanceOf(Fetch.Failed.class)
                    .hasMessageStartingWith("not an http(s) URL");
        }
    }

    @Test
    void theOperatorsOwnNetworkAndTheCloudsMetadataAreRefused() {
        for (String host : new String[] {"127.0.0.1", "localhost", "10.1.2.3", "192.168.0.1", "169.254.169.254",
                "[::1]", "0.0.0.0"}) {
            assertThatThrownBy(() -> PUBLIC_ONLY.get("http://" + host + ":8080", "/v1/workers"))
                    .isInstanceOf(Fetch.Failed.class).hasMessageContaining("is a private address");
        }
    }

    @Test
    void aRedirectIsNotFollowedSoAPublicPoolCannotBounceTheExplorerInward() throws Exception {
        AtomicInteger inward = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/inside", x -> {
            inward.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/v1/workers", x -> {
            x.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/inside");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.start();
        try {
            // allowed to read this host (a devnet), still it answers only for itself
            Fetch devnet = new Fetch(true);
            assertThatThrownBy(() -> devnet.get("http://127.0.0.1:" + server.getAddress().getPort(), "/v1/workers"))
                    .isInstanceOf(Fetch.Failed.class).hasMessage("127.0.0.1 answered 302");
            assertThat(inward.get()).isZero();
        } finally {
            server.stop(0);
        }
    }
}
