package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.gridchain.cli.UserError;
import io.gridchain.cli.discovery.Backoff;
import io.gridchain.cli.discovery.Waiter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The requester's GET over real HTTP: which answers it waits out, and what it says when it gives up. */
class ServicesWaitTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private HttpServer server;

    /** A server answering {@code statuses} in turn (the last one from then on); returns its URL. */
    private String serve(AtomicInteger requests, Integer... statuses) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<Integer> answers = List.of(statuses);
        server.createContext("/", exchange -> {
            int n = requests.getAndIncrement();
            int status = answers.get(Math.min(n, answers.size() - 1));
            byte[] body = (status == 200 ? "{\"status\":\"RUNNING\"}" : "{\"error\":\"refused " + status + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private Waiter waiter(long now, long deadline) {
        return new Waiter("watch", new Backoff(1, 2), () -> now, deadline, ": claim a refund",
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void a4xxIsAnErrorAtOnceWithoutRetry() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        String url = serve(requests, 403);
        assertThatThrownBy(() -> Services.get(waiter(0, 1_000), "scheduler", url + "/v1/tasks/0x01"))
                .isInstanceOf(UserError.class)
                .hasMessage("the scheduler at " + url + "/v1/tasks/0x01 answered 403: refused 403");
        assertThat(requests).hasValue(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void a503IsWaitedOutUntilTheServiceAnswers() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        String url = serve(requests, 503, 503, 200);
        assertThat(Services.get(waiter(0, 1_000), "scheduler", url + "/v1/tasks/0x01")).isPresent();
        assertThat(requests).hasValue(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("answered 503 (refused 503); retrying in");
    }

    @Test
    void anUnreachableSchedulerPastTheDeadlineIsNamedWithoutNullOrDevnet() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "http://127.0.0.1:" + port;
        assertThatThrownBy(() -> Services.get(waiter(2_000, 1_000), "scheduler", url + "/v1/tasks/0x01"))
                .isInstanceOf(UserError.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("the scheduler at " + url + " is unreachable (connection refused)")
                        .contains("deadline").doesNotContain("null").doesNotContain("devnet"));
        // without a deal to wait for (the order book, before matching), the same at once
        assertThatThrownBy(() -> Services.get("order book", url + "/v1/best")).isInstanceOf(UserError.class)
                .hasMessage("the order book at " + url + "/v1/best is unreachable (connection refused)");
    }
}
