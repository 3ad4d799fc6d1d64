package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.sms.Signatures;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.web3j.utils.Numeric;

/** Reads a task's logs from its pool's scheduler, signed as the deal's requester (docs/APPS.md). */
final class TaskLogsClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TaskLogsClient() {}

    /** The logs, or empty when the app printed nothing; a refusal or an unreachable scheduler is a one-line error. */
    static Optional<JsonNode> fetch(Context ctx, String scheduler, String taskId) {
        long time = System.currentTimeMillis() / 1000;
        String signature = Numeric.toHexString(Signatures.signBytes(WorkerApi.logsMessage(ctx.chain().chainId(),
                taskId, time), ctx.credentials()));
        String url = scheduler + "/v1/tasks/" + taskId + "/logs";
        HttpResponse<byte[]> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header(WorkerApi.LOGS_TIME, Long.toString(time)).header(WorkerApi.LOGS_SIGNATURE, signature)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw Services.schedulerUnreachable(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", UserError.FAILURE);
        }
        if (r.statusCode() == 404) return Optional.empty();
        if (r.statusCode() != 200) {
            throw new UserError("the scheduler at " + Services.origin(url) + " refused: " + Services.errorOf(r.body()),
                    UserError.FAILURE);
        }
        return Optional.of(Services.json(r.body()));
    }
}
