package io.gridchain.cli.requester;

import io.gridchain.api.ResultEncryption;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.runtime.ResultArchive;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Downloads a certified result, opens it if it was sealed to the wallet's key, and checks it against the chain. */
final class Results {
    static Path download(Context ctx, GridClient me, String taskId, Path dir) {
        String digest = me.resultDigest(taskId);
        if (digest.equals(Words.ZERO_BYTES32)) {
            throw new UserError("task " + taskId + " has no certified result (yet): `gridchain task show " + taskId
                    + "`", UserError.FAILURE);
        }
        byte[] callbackData = me.resultFor(taskId);
        // a certified failure: the requester paid for a run that fails wherever it runs, and there is no result
        FailureDigest.describe(false, digest)
                .or(() -> callbackData.length == 0 ? FailureDigest.describe(true, digest) : Optional.empty())
                .ifPresent(f -> {
                    throw new UserError("task " + taskId + " failed (certified): " + f.message()
                            + "; there is no result to download", UserError.FAILURE);
                });
        if (Contributions.callbackDigest(callbackData).equalsIgnoreCase(digest)) {
            // A callback task's result is its callback data, kept on-chain by the hub: no store needed.
            try {
                Files.createDirectories(dir);
                Files.write(dir.resolve(io.gridchain.api.WorkerApi.CALLBACK_FILE), callbackData);
            } catch (IOException e) {
                throw new UserError("cannot write the result into " + dir + ": " + e.getMessage(), UserError.FAILURE);
            }
            return dir;
        }
        String scheduler = ctx.settings().schedulerUrl();
        if (scheduler == null) throw UserError.usage("no scheduler configured to download from: "
                + "`gridchain config set scheduler URL`");
        HttpResponse<java.io.InputStream> r;
        byte[] body;
        try {
            r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(scheduler + "/v1/results/" + digest))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            body = readWithProgress(r, taskId);
        } catch (IOException e) {
            throw new UserError("cannot reach the result store at " + scheduler + ": " + e.getMessage(),
                    UserError.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", UserError.FAILURE);
        }
        if (r.statusCode() != 200) {
            throw new UserError("the result store answered " + r.statusCode() + " for " + digest + ": "
                    + Services.errorOf(body), UserError.FAILURE);
        }
        byte[] archive = body;
        if (r.headers().firstValue(ResultEncryption.HEADER).isPresent()) {
            try {
                archive = ResultEncryption.open(archive, ctx.credentials().getEcKeyPair().getPrivateKey());
            } catch (IllegalArgumentException e) {
                throw new UserError("the result of task " + taskId + " is sealed to another key: use the "
                        + "beneficiary's wallet (--wallet)", UserError.FAILURE);
            }
        }
        String actual = ResultArchive.digest(archive);
        if (!actual.equalsIgnoreCase(digest)) {
            throw new UserError("the downloaded result hashes to " + actual + ", not to the certified " + digest
                    + ": the store is corrupt or lying", UserError.FAILURE);
        }
        try {
            Files.createDirectories(dir);
            ResultArchive.decode(archive, dir);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("cannot write the result into " + dir + ": " + e.getMessage(), UserError.FAILURE);
        }
        return dir;
    }

    /** The body, with the bytes received so far on stderr every half second and once at the end. */
    private static byte[] readWithProgress(HttpResponse<java.io.InputStream> r, String taskId) throws IOException {
        long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        String of = total < 0 ? "" : " of " + total;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long shown = System.currentTimeMillis();
        try (java.io.InputStream in = r.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                if (r.statusCode() == 200 && System.currentTimeMillis() - shown >= 500) {
                    System.err.println("[download] task " + taskId + ": " + out.size() + of + " bytes");
                    shown = System.currentTimeMillis();
                }
            }
        }
        if (r.statusCode() == 200) System.err.println("[download] task " + taskId + ": " + out.size() + " bytes");
        return out.toByteArray();
    }

    private Results() {}
}
