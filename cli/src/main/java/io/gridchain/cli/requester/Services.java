package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.discovery.Backoff;
import io.gridchain.cli.discovery.SchedulerLocator;
import io.gridchain.cli.discovery.Unanswered;
import io.gridchain.cli.discovery.Waiter;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** The requester's view of the pool's services (order book, scheduler) and of deals on-chain. */
final class Services {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GET {@code url} once, for a request that has no deal to wait for: any failure is a one-line error at once. */
    static Optional<byte[]> get(String service, String url) {
        try {
            return getOnce(service, url);
        } catch (Unanswered e) {
            throw new UserError("the " + service + " at " + url + (e.status() == 0 ? " is unreachable ("
                    + e.reason() + ")" : " answered " + e.status() + " (" + e.reason() + ")"), UserError.UNREACHABLE);
        }
    }

    /** GET {@code url} through {@code waiter}: across restarts and network cuts of the service, until the deadline. */
    static Optional<byte[]> get(Waiter waiter, String service, String url) throws InterruptedException {
        return waiter.call(service, origin(url), () -> getOnce(service, url));
    }

    /** The scheme, host and port of {@code url}: what names a service in a message. */
    static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /**
     * GET {@code url}: the body, empty on 404; {@link Unanswered} when nothing came back or a status that may pass
     * (5xx); any other answer is a one-line error naming the service.
     */
    static Optional<byte[]> getOnce(String service, String url) throws Unanswered {
        HttpResponse<byte[]> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw untrusted(service, url, e).orElseThrow(() -> Unanswered.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", UserError.FAILURE);
        }
        if (r.statusCode() == 404) return Optional.empty();
        if (Backoff.transientStatus(r.statusCode())) throw new Unanswered(r.statusCode(), errorOf(r.body()));
        if (r.statusCode() / 100 != 2) throw new UserError("the " + service + " at " + url + " answered "
                + r.statusCode() + ": " + errorOf(r.body()), UserError.FAILURE);
        return Optional.of(r.body());
    }

    /**
     * A service whose certificate this client does not trust: waiting would not change it, so it is one line at once
     * (exit 3) saying how to trust the service's CA, instead of retries until the deadline.
     */
    static Optional<UserError> untrusted(String service, String url, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException tls) {
                return Optional.of(new UserError("cannot reach the " + service + " at " + origin(url) + ": TLS: "
                        + tls.getMessage() + " (trust its CA with --tls-ca FILE or GRIDCHAIN_TLS_CA)",
                        UserError.UNREACHABLE));
            }
        }
        return Optional.empty();
    }

    /** The one-line error for a scheduler request that got no answer: untrusted TLS, else unreachable (exit 3). */
    static UserError schedulerUnreachable(String url, IOException e) {
        return untrusted("scheduler", url, e).orElseGet(() -> new UserError("the scheduler at " + origin(url)
                + " is unreachable (" + e.getClass().getSimpleName() + "): try again", UserError.UNREACHABLE));
    }

    /** A waiter for requests about {@code deal}: patient until the deal's deadline, in chain time. */
    static Waiter waiter(String tag, GridClient me, DealRecord deal) {
        return waiter(tag, me, deal, ": its unfinished tasks can be refunded with `gridchain deal claim "
                + deal.dealId() + "`");
    }

    /** The same, with {@code afterDeadline} saying what the user can do once the deadline passed. */
    static Waiter waiter(String tag, GridClient me, DealRecord deal, String afterDeadline) {
        return new Waiter(tag, Backoff.DEFAULT, () -> me.protocol().chain().latestTimestamp(), deal.deal().deadline(),
                afterDeadline, System.err);
    }

    /** The scheduler of the deal's pool: the override, else the URL the pool published on-chain. */
    static SchedulerLocator.Located scheduler(Context ctx, GridClient me, DealRecord deal) {
        return SchedulerLocator.forPool(ctx.settings(), me, deal.terms().workerpool());
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UserError("malformed JSON from the service: " + e.getMessage(), UserError.FAILURE);
        }
    }

    static String errorOf(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.hasNonNull("error") ? n.get("error").asText() : text(body);
        } catch (IOException e) {
            return text(body);
        }
    }

    /**
     * The deal's scheduler URL, or null when its pool published none and none is set: the caller then follows the
     * tasks on the chain alone, having said so on stderr (a failure the scheduler would explain shows only at the
     * deadline).
     */
    static String schedulerOrNone(String tag, Context ctx, GridClient me, DealRecord deal) {
        try {
            return scheduler(ctx, me, deal).url();
        } catch (UserError e) {
            System.err.println("[" + tag + "] " + e.getMessage() + "; following the tasks on the chain only");
            return null;
        }
    }

    /** A body as one short line; "no message" when empty, so that an error never ends in nothing. */
    private static String text(byte[] body) {
        String t = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (t.isEmpty()) return "no message";
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    /**
     * The deal that task {@code taskId} belongs to: a task id is a hash of its deal's id and its index, so the
     * deals on this chain are read and their tasks' ids computed. Deals of more than {@link #SCANNED_TASKS}
     * tasks are searched that far only.
     */
    static Optional<DealRecord> dealOfTask(GridClient client, String taskId) {
        var web3j = client.protocol().chain().web3j();
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                client.protocol().addresses().hub());
        filter.addSingleTopic(EventEncoder.encode(GridHub.DEALCREATED_EVENT));
        EthLog logs = GridClient.call(() -> web3j.ethGetLogs(filter).send());
        if (logs.hasError()) {
            throw new UserError("cannot read the deals from the chain: " + logs.getError().getMessage(),
                    UserError.UNREACHABLE);
        }
        for (EthLog.LogResult<?> l : logs.getLogs()) {
            DealRecord deal = GridClient.dealOf(GridHub.getDealCreatedEventFromLog((Log) l.get()));
            long n = Math.min(volume(deal), SCANNED_TASKS);
            for (long i = 0; i < n; i++) {
                if (deal.taskId(i).equalsIgnoreCase(taskId)) return Optional.of(deal);
            }
        }
        return Optional.empty();
    }

    /** How many task ids of one deal {@link #dealOfTask} computes at most (about a tenth of a second). */
    static final long SCANNED_TASKS = 100_000;

    /** The deal with id {@code dealId}, from its DealCreated event. */
    static DealRecord deal(GridClient client, String dealId) {
        var web3j = client.protocol().chain().web3j();
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                client.protocol().addresses().hub());
        filter.addSingleTopic(EventEncoder.encode(GridHub.DEALCREATED_EVENT));
        filter.addSingleTopic(dealId.toLowerCase());
        EthLog logs = GridClient.call(() -> web3j.ethGetLogs(filter).send());
        if (logs.hasError() || logs.getLogs().isEmpty()) {
            throw new UserError("no deal " + dealId + " on this chain: check the id and the profile", UserError.FAILURE);
        }
        Log log = (Log) logs.getLogs().get(0).get();
        return GridClient.dealOf(GridHub.getDealCreatedEventFromLog(log));
    }

    static long volume(DealRecord deal) {
        return deal.deal().volume().longValueExact();
    }

    static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private Services() {}
}
