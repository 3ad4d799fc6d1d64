package io.gridchain.cli.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The order book's HTTP API (docs/API.md) as the CLI uses it. The book's refusals come back as
 * their one-line message with exit code 1; a book that does not answer is exit code 3.
 */
final class BookClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String url;

    private BookClient(String url) {
        this.url = url;
    }

    /** The configured book; none configured is a usage error. */
    static BookClient of(Settings settings) {
        String url = settings.marketUrl();
        if (url == null) {
            throw UserError.usage("no order book configured: run `gridchain devnet up`, or "
                    + "`gridchain config set market URL` (see `gridchain market start`)");
        }
        return new BookClient(url);
    }

    String url() {
        return url;
    }

    /** POST /v1/orders; a refusal is "the order book refused the order: <why>". */
    JsonNode publish(JsonNode body) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(url + "/v1/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
        if (r.statusCode() / 100 != 2) {
            throw UserError.failure("the order book refused the order: " + errorOf(r.body()));
        }
        return json(r.body());
    }

    /** GET {@code path} (with its query); empty on 404. */
    Optional<JsonNode> get(String path) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(url + path)).GET());
        if (r.statusCode() == 404) return Optional.empty();
        if (r.statusCode() / 100 != 2) {
            throw UserError.failure("the order book answered " + r.statusCode() + ": " + errorOf(r.body()));
        }
        return Optional.of(json(r.body()));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UserError("the order book at " + url + " is unreachable (" + io.gridchain.worker.SchedulerClient
                    .reason(e) + "): is it running? (`gridchain market start`)", UserError.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UserError.failure("interrupted");
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw UserError.failure("the order book answered malformed JSON: " + e.getMessage());
        }
    }

    private static String errorOf(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.hasNonNull("error") ? n.get("error").asText() : new String(body);
        } catch (IOException e) {
            return new String(body);
        }
    }
}
