package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpPutUploaderTest {
    static final String TASK = "0x" + "ab".repeat(32);
    static final String DIGEST = "0x" + "cd".repeat(32);
    HttpServer server;
    final Map<String, byte[]> puts = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok/", x -> {
            puts.put(x.getRequestMethod() + " " + x.getRequestURI() + " " + x.getRequestHeaders()
                    .getFirst(HttpPutUploader.DIGEST_HEADER), x.getRequestBody().readAllBytes());
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.createContext("/full/", x -> {
            byte[] body = "quota exceeded\nmore".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(507, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void putsTheBytesAtTheTasksUrlWithTheDigest() throws Exception {
        new HttpPutUploader().put(new HttpPutTarget(base() + "/ok/{index}/{task}"),
                new Payload(TASK, 5, DIGEST, Payload.ARCHIVE, new byte[] {1, 2, 3}));
        assertThat(puts).containsOnlyKeys("PUT /ok/5/" + TASK + " " + DIGEST);
        assertThat(puts.values().iterator().next()).containsExactly(1, 2, 3);
    }

    @Test
    void aRefusalIsItsStatusAndTheFirstLineOfItsBody() {
        assertThatThrownBy(() -> new HttpPutUploader().put(new HttpPutTarget(base() + "/full/{task}"),
                new Payload(TASK, 0, DIGEST, Payload.ARCHIVE, new byte[] {1})))
                .isInstanceOf(UploadFailure.class).hasMessage("HttpError (507): quota exceeded");
    }
}
