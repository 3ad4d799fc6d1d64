package io.gridchain.cli.requester;

import io.gridchain.api.ResultEncryption;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.discovery.Backoff;
import io.gridchain.cli.discovery.Unanswered;
import io.gridchain.protocol.deal.DealRecord;
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
import java.util.function.Supplier;

/** Downloads a certified result, opens it if it was sealed to the wallet's key, and checks it against the chain. */
final class Results {
    /**
     * Downloads the certified result of {@code taskId} into {@code dir}, from the scheduler of the task's deal
     * ({@code deal} is asked for only when the result is not on-chain), waiting across the scheduler's restarts
     * until the deal's deadline.
     */
    static Path download(Context ctx, GridClient me, String taskId, Path dir, Supplier<DealRecord> deal)
            throws InterruptedException {
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
        DealRecord d = deal.get();
        String scheduler = Services.scheduler(ctx, me, d).url();
        String url = scheduler + "/v1/results/" + digest;
        Fetched fetched = Services.waiter("download", me, d, ": the result stays certified on-chain; try `gridchain result get "
                + taskId + "` when the scheduler is back").call("scheduler's result store", scheduler,
                () -> fetch(url, taskId));
        if (fetched.status() != 200) {
            throw new UserError("the result store at " + scheduler + " answered " + fetched.status() + " for "
                    + digest + ": " + Services.errorOf(fetched.body()), UserError.FAILURE);
        }
        byte[] archive = fetched.sealed() ? openSealed(ctx, taskId, digest, url, fetched) : fetched.body();
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

    /**
     * Opens a result the workers sealed to the beneficiary: each worker that committed to it left its own copy, and a
     * copy that does not open, or opens to other bytes than the certified digest, is a worker's lie or a damaged file,
     * so the next copy is tried.
     */
    private static byte[] openSealed(Context ctx, String taskId, String digest, String url, Fetched first) {
        java.math.BigInteger key = ctx.credentials().getEcKeyPair().getPrivateKey();
        String why = null;
        for (int copy = 0; copy < Math.max(1, first.copies()); copy++) {
            Fetched f = copy == 0 ? first : fetchOnce(url + "?copy=" + copy, taskId);
            if (f.status() != 200) {
                why = "copy " + copy + ": HTTP " + f.status();
                continue;
            }
            try {
                byte[] archive = ResultEncryption.open(f.body(), key);
                if (ResultArchive.digest(archive).equalsIgnoreCase(digest)) {
                    if (copy > 0) System.err.println("[download] task " + taskId + ": copy " + copy + " of "
                            + first.copies() + " is the certified result (" + why + ")");
                    return archive;
                }
                why = "copy " + copy + " opens to other bytes than the certified result";
            } catch (IllegalArgumentException e) {
                why = "copy " + copy + " does not open with this wallet's key";
            }
        }
        throw new UserError("no sealed copy of task " + taskId + "'s result opens to the certified " + digest + " ("
                + why + "): if the result was sealed to another key, use the beneficiary's wallet (--wallet)",
                UserError.FAILURE);
    }

    private static Fetched fetchOnce(String url, String taskId) {
        try {
            return fetch(url, taskId);
        } catch (Unanswered e) {
            return new Fetched(503, new byte[0], false, 0);
        }
    }

    /**
     * One answer of the result store: its status, body, whether the result is sealed to the beneficiary, and how many
     * sealed copies the store holds.
     */
    private record Fetched(int status, byte[] body, boolean sealed, int copies) {}

    /** One GET of a result; nothing back, a cut in the middle or a 5xx are {@link Unanswered}. */
    private static Fetched fetch(String url, String taskId) throws Unanswered {
        try {
            HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body = readWithProgress(r, taskId);
            if (Backoff.transientStatus(r.statusCode())) throw new Unanswered(r.statusCode(), Services.errorOf(body));
            return new Fetched(r.statusCode(), body, r.headers().firstValue(ResultEncryption.HEADER).isPresent(),
                    (int) r.headers().firstValueAsLong(ResultEncryption.COPIES_HEADER).orElse(1));
        } catch (IOException e) {
            throw Services.untrusted("scheduler", url, e).orElseThrow(() -> Unanswered.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", UserError.FAILURE);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
