package io.gridchain.scheduler.delivery;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Puts a result with an HTTP PUT to the task's URL; any 2xx answer is a delivery. */
public final class HttpPutUploader {
    /** The header carrying the certified digest, so the receiver can check the bytes. */
    public static final String DIGEST_HEADER = "X-Gridchain-Digest";
    public static final String TASK_HEADER = "X-Gridchain-Task";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public void put(HttpPutTarget target, Payload p) throws UploadFailure {
        HttpRequest request = HttpRequest.newBuilder(target.resolve(p.taskId(), p.index(), p.digest()))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", p.contentType())
                .header(DIGEST_HEADER, p.digest()).header(TASK_HEADER, p.taskId())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(p.bytes())).build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UploadFailure("Unreachable", 0, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadFailure("Interrupted", 0, "the scheduler is stopping");
        }
        if (r.statusCode() / 100 == 2) return;
        throw new UploadFailure("HttpError", r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }
}
