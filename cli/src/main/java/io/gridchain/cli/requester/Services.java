package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.UserError;
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

    /** GET {@code url}; empty on 404; a one-line error naming the service otherwise. */
    static Optional<byte[]> get(String service, String url) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 404) return Optional.empty();
            if (r.statusCode() / 100 != 2) throw new UserError(service + " answered " + r.statusCode() + ": "
                    + errorOf(r.body()), UserError.FAILURE);
            return Optional.of(r.body());
        } catch (IOException e) {
            throw new UserError("cannot reach the " + service + " at " + url + ": " + e.getMessage()
                    + " (is the devnet up? `gridchain devnet status`)", UserError.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", UserError.FAILURE);
        }
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
            return n.hasNonNull("error") ? n.get("error").asText() : new String(body);
        } catch (IOException e) {
            return new String(body);
        }
    }

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
