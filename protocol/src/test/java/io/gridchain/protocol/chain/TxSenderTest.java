package io.gridchain.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.protocol.local.LocalChain;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * {@link TxSender} on a real anvil: EIP-1559 fees, the user's fee flags, a dropped transaction replaced with the
 * same nonce, a restarted sender, concurrent threads, and an account without ETH for gas. Each test signs with its
 * own dev key; the tests that stop automining restore it.
 */
class TxSenderTest {
    private static final String SINK = "0x000000000000000000000000000000000000dEaD";
    private static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    private static LocalChain anvil;
    private static ChainClient chain;
    private static HttpService rpc;
    private static ExecutorService threads;

    /** A JSON-RPC answer of any shape. */
    public static final class Json extends Response<JsonNode> {}

    @BeforeAll
    static void start() {
        anvil = LocalChain.start();
        chain = ChainClient.connect(anvil.rpcUrl());
        rpc = new HttpService(anvil.rpcUrl());
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        chain.close();
        anvil.close();
    }

    @Test
    void transactionsAreType2WithTheNodesTipAndTwiceTheBaseFee() throws Exception {
        Credentials key = key(1);
        // anvil's quote follows the tips of recent blocks through a cache it fills asynchronously, so the quote
        // this send used is the one read on its way, not one asked for before or after
        Map<String, String> replies = new ConcurrentHashMap<>();
        HttpServer recording = proxy(Map.of(), new ConcurrentHashMap<>(), replies);
        try (ChainClient fresh = ChainClient.connect("http://127.0.0.1:" + recording.getAddress().getPort())) {
            TransactionReceipt r = fresh.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
            Transaction tx = tx(r.getTransactionHash());
            BigInteger tip = new BigInteger(new ObjectMapper()
                    .readTree(replies.get("eth_maxPriorityFeePerGas")).get("result").asText().substring(2), 16);
            BigInteger parentBaseFee = baseFee(r.getBlockNumber().subtract(BigInteger.ONE));

            assertThat(tx.getType()).isEqualTo("0x2");
            assertThat(r.getType()).isEqualTo("0x2");
            assertThat(tx.getMaxPriorityFeePerGas()).isEqualTo(tip);
            assertThat(tx.getMaxFeePerGas()).isEqualTo(parentBaseFee.shiftLeft(1).add(tip));
            // a contract call estimated first goes the same way
            TransactionReceipt estimated = fresh.sender(key).send(SINK, "0x", BigInteger.ONE);
            assertThat(tx(estimated.getTransactionHash()).getType()).isEqualTo("0x2");
        } finally {
            recording.stop(0);
        }
    }

    @Test
    void aNodeWithoutTheSyncNorTheTipMethodGetsAClassicSendAndAOneGweiTip() throws Exception {
        // faults injected in front of the real anvil: the two methods answer "Method not found", as older nodes do
        String missing = "\"error\":{\"code\":-32601,\"message\":\"Method not found\"}";
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        HttpServer older = proxy(Map.of("eth_sendRawTransactionSync", missing, "eth_maxPriorityFeePerGas", missing), seen);
        try (ChainClient client = ChainClient.connect("http://127.0.0.1:" + older.getAddress().getPort())) {
            TransactionReceipt r = client.sender(key(8)).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
            assertThat(r.isStatusOK()).isTrue();
            assertThat(tx(r.getTransactionHash()).getType()).isEqualTo("0x2");
            assertThat(tx(r.getTransactionHash()).getMaxPriorityFeePerGas()).isEqualTo(GWEI);
            assertThat(client.sender(key(8)).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS).isStatusOK()).isTrue();
            assertThat(seen.get("eth_sendRawTransactionSync")).isEqualTo(1); // asked once, then never again
            assertThat(seen.get("eth_sendRawTransaction")).isEqualTo(2);
        } finally {
            older.stop(0);
        }
        // and the node's own suggestion, when it has one, is the tip
        HttpServer suggesting = proxy(Map.of("eth_maxPriorityFeePerGas", "\"result\":\"0x77359400\""), seen);
        try (ChainClient client = ChainClient.connect("http://127.0.0.1:" + suggesting.getAddress().getPort())) {
            TransactionReceipt r = client.sender(key(8)).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
            assertThat(tx(r.getTransactionHash()).getMaxPriorityFeePerGas()).isEqualTo(GWEI.shiftLeft(1));
        } finally {
            suggesting.stop(0);
        }
    }

    @Test
    void aChainWithoutBaseFeeGetsLegacyTransactionsAtTheNodesGasPriceOrTheUsers() throws Exception {
        try (LocalChain berlin = LocalChain.start(List.of("--hardfork", "berlin")); // before EIP-1559
                ChainClient client = ChainClient.connect(berlin.rpcUrl());
                ChainClient flagged = ChainClient.connect(berlin.rpcUrl(), FeePolicy.ofGwei("2.5", "1"))) {
            BigInteger nodePrice = client.web3j().ethGasPrice().send().getGasPrice();
            TransactionReceipt r = client.sender(key(9)).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
            Transaction tx = client.web3j().ethGetTransactionByHash(r.getTransactionHash()).send().getTransaction()
                    .orElseThrow();
            assertThat(tx.getType()).isEqualTo("0x0");
            assertThat(tx.getGasPrice()).isEqualTo(nodePrice);

            TransactionReceipt f = flagged.sender(key(9)).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
            assertThat(flagged.web3j().ethGetTransactionByHash(f.getTransactionHash()).send().getTransaction()
                    .orElseThrow().getGasPrice()).isEqualTo(BigInteger.valueOf(2_500_000_000L));
        }
    }

    @Test
    void theUsersFeesOverrideTheNodes() throws Exception {
        try (ChainClient flagged = ChainClient.connect(anvil.rpcUrl(), FeePolicy.ofGwei("3.5", "0.25"))) {
            TransactionReceipt r = flagged.sender(key(2)).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
            Transaction tx = tx(r.getTransactionHash());
            assertThat(tx.getType()).isEqualTo("0x2");
            assertThat(tx.getMaxFeePerGas()).isEqualTo(BigInteger.valueOf(3_500_000_000L));
            assertThat(tx.getMaxPriorityFeePerGas()).isEqualTo(BigInteger.valueOf(250_000_000L));
            assertThat(new BigInteger(r.getEffectiveGasPrice().substring(2), 16))
                    .isEqualTo(baseFee(r.getBlockNumber()).add(BigInteger.valueOf(250_000_000L)));
        }
    }

    @Test
    void aDroppedTransactionIsReplacedWithTheSameNonceAHigherFeeAndMinedOnce() throws Exception {
        Credentials key = key(3);
        long nonce = count(key, DefaultBlockParameterName.LATEST);
        try (ChainClient impatient = ChainClient.connect(anvil.rpcUrl()).receiptTimeout(Duration.ofSeconds(1))) {
            automine(false);
            Future<TransactionReceipt> sending = threads.submit(
                    () -> impatient.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS));
            JsonNode dropped = awaitPooled(key, null);
            call("anvil_dropTransaction", dropped.get("hash").asText());
            JsonNode replacement = awaitPooled(key, dropped.get("hash").asText());
            call("evm_mine");
            TransactionReceipt r = sending.get(60, TimeUnit.SECONDS);

            Transaction mined = tx(r.getTransactionHash());
            assertThat(r.isStatusOK()).isTrue();
            assertThat(r.getTransactionHash()).isNotEqualTo(dropped.get("hash").asText())
                    .isEqualTo(replacement.get("hash").asText());
            assertThat(mined.getNonce()).isEqualTo(BigInteger.valueOf(nonce));
            assertThat(mined.getMaxFeePerGas()).isGreaterThanOrEqualTo(plusQuarter(hex(dropped, "maxFeePerGas")));
            assertThat(mined.getMaxPriorityFeePerGas())
                    .isGreaterThanOrEqualTo(plusQuarter(hex(dropped, "maxPriorityFeePerGas")));
            assertThat(count(key, DefaultBlockParameterName.LATEST)).isEqualTo(nonce + 1); // mined once
            assertThat(chain.web3j().ethGetTransactionReceipt(dropped.get("hash").asText()).send()
                    .getTransactionReceipt()).isEmpty();
        } finally {
            automine(true);
        }
        // the sender goes on with the next nonce
        TransactionReceipt next = chain.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS);
        assertThat(tx(next.getTransactionHash()).getNonce()).isEqualTo(BigInteger.valueOf(nonce + 1));
    }

    @Test
    void aSenderRestartedWhileItsTransactionIsPendingContinuesWithTheNextNonce() throws Exception {
        Credentials key = key(4);
        long nonce = count(key, DefaultBlockParameterName.LATEST);
        try (ChainClient before = ChainClient.connect(anvil.rpcUrl());
                ChainClient after = ChainClient.connect(anvil.rpcUrl())) {
            automine(false);
            Future<TransactionReceipt> first = threads.submit(
                    () -> before.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS));
            String pooled = awaitPooled(key, null).get("hash").asText();
            // a new process on the same key: its sender knows nothing of the pending transaction but the node's count
            Future<TransactionReceipt> second = threads.submit(
                    () -> after.sender(key).send(SINK, "0x", BigInteger.TWO, TRANSFER_GAS));
            awaitPooled(key, pooled);
            call("evm_mine");
            TransactionReceipt r1 = first.get(60, TimeUnit.SECONDS);
            TransactionReceipt r2 = second.get(60, TimeUnit.SECONDS);
            assertThat(tx(r1.getTransactionHash()).getNonce()).isEqualTo(BigInteger.valueOf(nonce));
            assertThat(tx(r2.getTransactionHash()).getNonce()).isEqualTo(BigInteger.valueOf(nonce + 1));
            assertThat(r1.getBlockNumber()).isEqualTo(r2.getBlockNumber());
        } finally {
            automine(true);
        }
        assertThat(count(key, DefaultBlockParameterName.LATEST)).isEqualTo(nonce + 2);
    }

    @Test
    void aNonceLeftByADeadProcessWhoseTransactionWasDroppedIsFilledSoTheNextOnesGetMined() throws Exception {
        Credentials key = key(0);
        long nonce = count(key, DefaultBlockParameterName.LATEST);
        ChainClient dead = ChainClient.connect(anvil.rpcUrl());
        try (ChainClient restarted = ChainClient.connect(anvil.rpcUrl()).receiptTimeout(Duration.ofSeconds(1))) {
            automine(false);
            threads.submit(() -> dead.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS));
            String left = awaitPooled(key, null).get("hash").asText();
            Future<TransactionReceipt> next = threads.submit(
                    () -> restarted.sender(key).send(SINK, "0x", BigInteger.TWO, TRANSFER_GAS));
            awaitPooled(key, left);
            dead.close(); // the first process dies, and then its transaction is dropped: a gap below the next one
            call("anvil_dropTransaction", left);
            automine(true);

            TransactionReceipt r = next.get(60, TimeUnit.SECONDS);
            assertThat(tx(r.getTransactionHash()).getNonce()).isEqualTo(BigInteger.valueOf(nonce + 1));
            assertThat(tx(r.getTransactionHash()).getValue()).isEqualTo(BigInteger.TWO);
            assertThat(count(key, DefaultBlockParameterName.LATEST)).isEqualTo(nonce + 2);
            // the gap was filled by an empty transfer to the account itself, not by the dead process's intent
            Transaction filler = null;
            for (long b = r.getBlockNumber().longValueExact(); b > 0 && filler == null; b--) {
                for (var t : chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), true)
                        .send().getBlock().getTransactions()) {
                    Transaction candidate = (Transaction) t.get();
                    if (candidate.getNonce().longValueExact() == nonce
                            && candidate.getFrom().equalsIgnoreCase(key.getAddress())) {
                        filler = candidate;
                    }
                }
            }
            assertThat(filler).as("the mined transaction of nonce %d", nonce).isNotNull();
            assertThat(filler.getTo()).isEqualToIgnoringCase(key.getAddress());
            assertThat(filler.getValue()).isZero();
        } finally {
            automine(true);
            dead.close();
        }
    }

    @Test
    void twoProcessesTakingTurnsOnOneKeyGetPastNonceTooLowWithoutSendingAnIntentTwice() throws Exception {
        Credentials key = key(7);
        long nonce = count(key, DefaultBlockParameterName.LATEST);
        try (ChainClient one = ChainClient.connect(anvil.rpcUrl()); ChainClient two = ChainClient.connect(anvil.rpcUrl())) {
            one.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS); // one counts nonce + 1 next
            two.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS); // two reads the node: nonce + 1
            // one's own counter says nonce + 1, already mined: the node answers "nonce too low"
            TransactionReceipt r = one.sender(key).send(SINK, "0x", BigInteger.TEN, TRANSFER_GAS);
            assertThat(tx(r.getTransactionHash()).getNonce()).isEqualTo(BigInteger.valueOf(nonce + 2));
            assertThat(tx(r.getTransactionHash()).getValue()).isEqualTo(BigInteger.TEN);
        }
        assertThat(count(key, DefaultBlockParameterName.LATEST)).isEqualTo(nonce + 3); // three intents, three txs
    }

    @Test
    void concurrentThreadsOnOneKeyEachGetTheirOwnNonce() throws Exception {
        Credentials key = key(5);
        long nonce = count(key, DefaultBlockParameterName.LATEST);
        List<Future<TransactionReceipt>> sends = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sends.add(threads.submit(() -> chain.sender(key).send(SINK, "0x", BigInteger.ONE, TRANSFER_GAS)));
        }
        Set<BigInteger> nonces = new HashSet<>();
        for (Future<TransactionReceipt> s : sends) nonces.add(tx(s.get(60, TimeUnit.SECONDS).getTransactionHash()).getNonce());
        assertThat(nonces).hasSize(16);
        assertThat(count(key, DefaultBlockParameterName.LATEST)).isEqualTo(nonce + 16);
    }

    @Test
    void anAccountShortOfEthIsToldItsShortfallAndItsNonceStaysFree() throws Exception {
        Credentials key = key(6);
        long nonce = count(key, DefaultBlockParameterName.LATEST);
        try (ChainClient flagged = ChainClient.connect(anvil.rpcUrl(), FeePolicy.ofGwei("2", "1"))) {
            call("anvil_setBalance", key.getAddress(), "0x" + BigInteger.TEN.pow(13).toString(16)); // 0.00001 ETH
            assertThatThrownBy(() -> flagged.sender(key).send(SINK, "0x", BigInteger.ZERO, TRANSFER_GAS))
                    .isInstanceOf(InsufficientFundsException.class)
                    .hasMessage("account " + key.getAddress() + " has 0.00001 ETH but this transaction may cost up to"
                            + " 0.000042 ETH (gas limit x max fee + value): send it at least 0.000032 ETH");
            assertThat(count(key, DefaultBlockParameterName.PENDING)).isEqualTo(nonce);

            call("anvil_setBalance", key.getAddress(), "0x" + BigInteger.TEN.pow(18).toString(16));
            TransactionReceipt r = flagged.sender(key).send(SINK, "0x", BigInteger.ZERO, TRANSFER_GAS);
            assertThat(tx(r.getTransactionHash()).getNonce()).isEqualTo(BigInteger.valueOf(nonce)); // not burnt
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A JSON-RPC proxy to anvil that answers the methods of {@code answers} itself (the JSON after the id, e.g. an
     * error) and counts in {@code seen} the calls of each method.
     */
    private static HttpServer proxy(Map<String, String> answers, Map<String, Integer> seen) throws IOException {
        return proxy(answers, seen, new ConcurrentHashMap<>());
    }

    /** A proxy in front of the real anvil that answers {@code answers} itself and keeps each method's last reply. */
    private static HttpServer proxy(Map<String, String> answers, Map<String, Integer> seen, Map<String, String> replies)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient http = HttpClient.newHttpClient();
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer;
            Matcher method = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            String name = method.find() ? method.group(1) : "";
            seen.merge(name, 1, Integer::sum);
            if (answers.containsKey(name)) {
                Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(body);
                answer = "{\"jsonrpc\":\"2.0\",\"id\":" + (id.find() ? id.group(1) : "1") + "," + answers.get(name) + "}";
            } else {
                try {
                    answer = http.send(HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            replies.put(name, answer);
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
        return server;
    }

    private static Credentials key(int i) {
        return Credentials.create(LocalChain.DEV_PRIVATE_KEYS.get(i));
    }

    private static JsonNode call(String method, Object... params) throws IOException {
        Json answer = new Request<>(method, List.of(params), rpc, Json.class).send();
        assertThat(answer.hasError()).as("%s: %s", method, answer.getError() == null ? "" : answer.getError().getMessage())
                .isFalse();
        return answer.getResult();
    }

    private static void automine(boolean on) throws IOException {
        call("evm_setAutomine", on);
    }

    /** The transaction of {@code key} waiting in anvil's pool whose hash is not {@code other}, once there is one. */
    private static JsonNode awaitPooled(Credentials key, String other) throws Exception {
        long giveUp = System.currentTimeMillis() + 60_000; // a guard against hanging, not a timing assertion
        while (System.currentTimeMillis() < giveUp) {
            JsonNode pending = call("txpool_content").get("pending");
            for (Map.Entry<String, JsonNode> sender : (Iterable<Map.Entry<String, JsonNode>>) pending::fields) {
                if (!sender.getKey().equalsIgnoreCase(key.getAddress())) continue;
                for (JsonNode tx : sender.getValue()) {
                    if (!tx.get("hash").asText().equalsIgnoreCase(String.valueOf(other))) return tx;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no transaction of " + key.getAddress() + " other than " + other + " in the pool");
    }

    private static Transaction tx(String hash) throws IOException {
        return chain.web3j().ethGetTransactionByHash(hash).send().getTransaction().orElseThrow();
    }

    private static BigInteger baseFee(BigInteger block) throws IOException {
        return chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(block), false).send().getBlock()
                .getBaseFeePerGas();
    }

    private static long count(Credentials key, DefaultBlockParameterName at) throws IOException {
        return chain.web3j().ethGetTransactionCount(key.getAddress(), at).send().getTransactionCount().longValueExact();
    }

    private static BigInteger hex(JsonNode tx, String field) {
        return new BigInteger(tx.get(field).asText().substring(2), 16);
    }

    private static BigInteger plusQuarter(BigInteger v) {
        return v.add(v.add(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4)));
    }
}
