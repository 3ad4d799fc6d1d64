package io.gridchain.market.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.market.Market;
import io.gridchain.market.OrderJson;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Attacks on a started order book: bodies too large (declared, or chunked without end), a signer flooding the book
 * with orders, and a "signer" contract that burns gas in its ERC-1271 check. Each is refused with a one-line error
 * and the book keeps serving honest publishers.
 */
class MarketAttackTest {
    /** Above the honest publisher's one order per test. */
    private static final int MAX_ORDERS = 6;
    private static final long GIB = 1L << 30;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static LocalProtocol net;
    static Market market;
    static GridClient appOwner;
    static GridClient flooder;
    static GridClient honest;
    static String app;

    @BeforeAll
    static void start() {
        net = LocalProtocol.start();
        appOwner = net.client(1);
        flooder = net.client(6);
        honest = net.client(7);
        app = appOwner.createApp("app", "wasm", "http://127.0.0.1/app.wasm", Words.hex(Hash.sha3("app".getBytes())));
        market = Market.start(Market.Config.of(net.rpcUrl(), net.protocol().addresses()).withPollMillis(50)
                .withMaxOrdersPerSigner(MAX_ORDERS));
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (net != null) net.close();
    }

    @AfterEach
    void anHonestPublisherIsStillServed() throws Exception {
        RequestOrder o = RequestOrder.of(honest.address(), app, 1, 1, 1, 0, 1);
        HttpResponse<String> r = publish(o, Numeric.toHexString(honest.sign(o)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static HttpResponse<String> publish(Order o, String signature) throws Exception {
        ObjectNode b = OrderJson.MAPPER.createObjectNode();
        b.put("kind", o.kind().label());
        b.set("order", OrderJson.write(o));
        b.put("signature", signature);
        return HTTP.send(HttpRequest.newBuilder(URI.create(market.url() + "/v1/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of the answer, or -1 when the server closed the connection on the body instead. */
    private static int post(HttpRequest.BodyPublisher body) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(market.url() + "/v1/orders"))
                    .header("Content-Type", "application/json").POST(body).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException closed) {
            return -1;
        }
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIsRefused() throws Exception {
        int status = post(HttpRequest.BodyPublishers.ofByteArray(new byte[4 << 20]));
        assertThat(status).isIn(413, -1);
    }

    @Test
    void aChunkedBodyThatNeverEndsIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", market.port())) {
            socket.setSoTimeout(30_000); // a safety net: a server that never answers fails here
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("2000\r\n" + "0".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            // 1 GiB, far more than socket buffers hold: only a server that reads it all lets it all through
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                long total = 0;
                try {
                    for (; total < GIB; total += 0x2000) out.write(chunk);
                } catch (IOException hungUp) {
                    return total;
                }
                return total;
            });
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
            socket.close();
            assertThat(sent.get()).as("bytes the attacker got through").isLessThan(GIB);
        }
    }

    @Test
    void aSignerFloodingTheBookStopsAtItsQuota() throws Exception {
        int published = 0;
        for (int i = 0; i < MAX_ORDERS + 5; i++) {
            RequestOrder o = RequestOrder.of(flooder.address(), app, 1, 1, 1, 0, 1);
            HttpResponse<String> r = publish(o, Numeric.toHexString(flooder.sign(o)));
            if (r.statusCode() == 201) {
                published++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.body()).contains("live orders in this book").doesNotContain("\n");
            }
        }
        assertThat(published).isEqualTo(MAX_ORDERS);
    }

    @Test
    void aSignerContractThatBurnsGasInItsCheckIsRefusedButOneWithinTheCapIsHonoured() throws Exception {
        String burner = "0x" + "00".repeat(18) + "b0b0";
        String modest = "0x" + "00".repeat(18) + "c0c0";
        setCode(burner, 8192); // ~213,000 gas: over the 100,000 cap
        setCode(modest, 1_000); // ~26,000 gas: within it
        String notAKeySignature = "0x" + "11".repeat(65);

        HttpResponse<String> burnt = publish(RequestOrder.of(burner, app, 1, 1, 1, 0, 1), notAKeySignature);
        assertThat(burnt.statusCode()).as(burnt.body()).isEqualTo(400);
        assertThat(burnt.body()).contains("signature is not valid for the requester " + burner);

        HttpResponse<String> honoured = publish(RequestOrder.of(modest, app, 1, 1, 1, 0, 1), notAKeySignature);
        assertThat(honoured.statusCode()).as(honoured.body()).isEqualTo(201);
    }

    /**
     * Puts at {@code address} a contract whose every call loops {@code rounds} times (26 gas each) and then answers
     * the ERC-1271 magic value, whatever it was asked.
     */
    private static void setCode(String address, int rounds) throws IOException {
        String code = "0x61" + String.format("%04x", rounds) + "5b600190038060035750"
                + "631626ba7e60e01b60005260206000f3";
        net.setCode(address, code);
    }
}
