package io.gridchain.api.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.web3j.crypto.Credentials;

/** A client of secret management services: their identity (cached per URL) and signed requests. */
public final class SmsClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service answered with an error, or could not be reached: one line saying which and why. */
    public static final class SmsException extends RuntimeException {
        private final int status;

        public SmsException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, or 0 when the service did not answer. */
        public int status() {
            return status;
        }
    }

    private final HttpClient http;
    private final Map<String, SmsApi.Info> infos = new ConcurrentHashMap<>();

    /** @param tls the trust to use for https:// services, null for the JVM's default */
    public SmsClient(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) b.sslContext(tls);
        this.http = b.build();
    }

    /** The service's identity, asked once per URL. */
    public SmsApi.Info info(String url) {
        return infos.computeIfAbsent(strip(url), u -> {
            HttpRequest get = HttpRequest.newBuilder(URI.create(u + SmsApi.INFO)).timeout(Duration.ofSeconds(15))
                    .GET().build();
            return read(u, send(u, get), SmsApi.Info.class);
        });
    }

    /** Forgets the identity cached for {@code url}: the service was started again with another key. */
    public void forget(String url) {
        infos.remove(strip(url));
    }

    /** Signs {@code payload} with {@code key} and posts it to {@code path}; the answer as {@code type}. */
    public <T> T post(String url, String path, Object payload, Credentials key, Class<T> type) {
        String u = strip(url);
        try {
            String body = JSON.writeValueAsString(Signatures.sign(JSON.writeValueAsString(payload), key));
            HttpRequest post = HttpRequest.newBuilder(URI.create(u + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return read(u, send(u, post), type);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> send(String url, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SmsException(0, "the secret service at " + url + " does not answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsException(0, "interrupted while asking the secret service at " + url);
        } catch (IllegalArgumentException e) {
            throw new SmsException(0, "the secret service URL " + url + " is not a valid http(s) URL");
        }
    }

    private static <T> T read(String url, HttpResponse<byte[]> r, Class<T> type) {
        try {
            if (r.statusCode() != 200) {
                String error;
                try {
                    error = JSON.readValue(r.body(), SmsApi.Error.class).error();
                } catch (IOException notJson) {
                    error = "HTTP " + r.statusCode();
                }
                throw new SmsException(r.statusCode(), error);
            }
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new SmsException(r.statusCode(), "the secret service at " + url + " answered something else than"
                    + " its API: is it a gridchain SMS?");
        }
    }

    private static String strip(String url) {
        String u = url.strip();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }
}
