package io.gridchain.e2e.confidential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.Main;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.sms.SmsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * "Sell access to a private dataset", end to end with the CLI on a real chain, a real order book, a real secret
 * management service, a real scheduler and two workers: the owner seals and publishes a ledger, pushes its key and a
 * policy, and offers it to one pool; the app's developer and the requester push their secrets; the requester runs the
 * app on it with results sealed to its key; the app reads the ledger and both secrets; the result downloads and
 * checks; and neither the scheduler's database nor its result store holds any plaintext.
 */
class ConfidentialEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "confidential-test";
    static final String LEDGER = "ACME-CONFIDENTIAL customer ledger\nalice,100\nbob,200\ncarol,300\n";
    static final String API_KEY = "sk-live-requester-4242";
    static final String LICENSE = "license-of-the-app-developer";

    static LocalPool pool;
    static Market market;
    static SmsServer sms;
    static String smsUrl;
    static Path home;
    static Path config;
    static Path passwordFile;
    static String app;

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(2);
        home = Files.createTempDirectory("confidential");
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        sms = SmsServer.start(pool.net().protocol(), home.resolve("sms"), "127.0.0.1", 0, null);
        smsUrl = "http://127.0.0.1:" + sms.port();
        app = pool.publish("salestats");
        AppOrder appOrder = pool.appOrder(app);
        publish(appOrder, pool.appOwner());
        WorkerpoolOrder poolOrder = pool.poolOrder();
        publish(poolOrder, pool.schedulerOwner());
        config = home.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses()).with("market", market.url())).withCurrentProfile("local")
                .save(config);
        passwordFile = Files.writeString(home.resolve("password"), PASSWORD);
        for (int account : new int[] {1, 2, 3, 4}) {
            Files.write(wallet(account), JSON.writeValueAsBytes(Wallet.createLight(PASSWORD,
                    pool.net().accounts().get(account).getEcKeyPair())));
        }
    }

    @AfterAll
    static void stop() {
        if (sms != null) sms.close();
        if (market != null) market.close();
        if (pool != null) pool.close();
    }

    @Test
    void anOwnerSellsAccessToAPrivateDatasetAndNoPlaintextReachesThePool() throws Exception {
        String poolAddress = pool.workerpool();
        // The dataset's owner (account 2): seal, publish, name its service, push the key, set a policy, offer it.
        Path ledger = Files.writeString(home.resolve("ledger.csv"), LEDGER);
        JsonNode sealed = json(cli(2, "dataset", "encrypt", ledger.toString(), "--json"));
        assertThat(Files.readString(Path.of(sealed.get("sealed").asText()), StandardCharsets.ISO_8859_1))
                .doesNotContain("ACME-CONFIDENTIAL");
        JsonNode published = json(cli(2, "dataset", "publish", sealed.get("sealed").asText(), "--name", "ledger",
                "--json"));
        String dataset = published.get("dataset").asText();
        assertThat(published.get("checksum").asText()).isEqualTo(sealed.get("checksum").asText());
        cli(2, "sms", "set-url", smsUrl);
        cli(2, "sms", "push-key", dataset);
        cli(2, "sms", "policy", "--dataset", dataset, "--pools", poolAddress, "--apps", app, "--allowlisted-workers");
        cli(2, "order", "publish", "dataset", dataset, "--price", "3", "--volume", "100", "--pool-restrict",
                poolAddress);
        // The pool's owner (account 3) allowlists its two workers and declares it runs only them.
        List<String> workers = List.of(pool.net().accounts().get(5).getAddress(),
                pool.net().accounts().get(6).getAddress());
        cli(3, "pool", "allow", poolAddress, String.join(",", workers));
        cli(3, "pool", "allowlist", poolAddress, "on");
        // The app's developer (account 1) and the requester (account 4) push their secrets.
        Path license = Files.writeString(home.resolve("license.txt"), LICENSE);
        cli(1, "sms", "set-url", smsUrl);
        cli(1, "sms", "push-secret", "LICENSE", "--app", app, "--value-file", license.toString());
        Path apiKey = Files.writeString(home.resolve("api-key.txt"), API_KEY);
        cli(4, "sms", "set-url", smsUrl);
        cli(4, "sms", "push-secret", "API_KEY", "--value-file", apiKey.toString());

        Path out = home.resolve("results");
        JsonNode run = json(cli(4, "run", app, "--dataset", dataset, "--secret", "API_KEY", "--encrypt", "--trust", "2",
                "--watch", "--download", out.toString(), "--json"));
        String dealId = run.get("deal").asText();
        String result = Files.readString(out.resolve("0").resolve("result.txt"));
        assertThat(result).isEqualTo("rows 3\ntotal 600\n"
                + "requester secret API_KEY: " + API_KEY.length() + " bytes, fnv1a " + fnv1a(API_KEY) + "\n"
                + "app secret LICENSE: " + LICENSE.length() + " bytes, fnv1a " + fnv1a(LICENSE) + "\n");

        // The pool's scheduler never held plaintext: not the ledger, not a secret, not the result.
        Path schedulerData = pool.dir().resolve("scheduler");
        assertThat(filesContaining(schedulerData, "ACME-CONFIDENTIAL")).isEmpty();
        assertThat(filesContaining(schedulerData, API_KEY)).isEmpty();
        assertThat(filesContaining(schedulerData, LICENSE)).isEmpty();
        assertThat(filesContaining(schedulerData, "total 600")).isEmpty();
        GridClient requester = pool.requester();
        DealRecord deal = requester.dealById(dealId).orElseThrow();
        String digest = requester.resultDigest(deal.taskId(0));
        var served = pool.get("/v1/results/" + digest);
        assertThat(served.headers().firstValue(ResultEncryption.HEADER)).hasValue(ResultEncryption.SCHEME);
        assertThat(LocalPool.sha256(served.body())).isNotEqualTo(digest);
        // the owner's log shows the releases of its key, to the pool's workers, for this deal
        JsonNode log = json(cli(2, "sms", "log", "--json"));
        assertThat(log.get("entries")).anySatisfy(e -> {
            assertThat(e.get("released").asBoolean()).isTrue();
            assertThat(e.get("dealId").asText()).isEqualTo(dealId);
            assertThat(workers).anyMatch(w -> w.equalsIgnoreCase(e.get("worker").asText()));
        });

        // A worker's sealed copy that does not open to the certified digest is passed over for another.
        Path copies = schedulerData.resolve("results").resolve("sealed").resolve(digest.substring(2));
        try (Stream<Path> kept = Files.list(copies)) {
            assertThat(kept.map(p -> p.getFileName().toString()).toList()).as("a sealed copy per committed worker")
                    .isNotEmpty().allMatch(name -> workers.stream().anyMatch(name::equalsIgnoreCase));
        }
        Files.write(copies.resolve("0x" + "0".repeat(39) + "1"), ResultEncryption.seal(
                "a lie".getBytes(StandardCharsets.UTF_8), publicKey(pool.net().accounts().get(4))));
        Path again = home.resolve("again");
        cli(4, "result", "get", deal.taskId(0), "--output", again.toString(), "--deal", dealId);
        assertThat(Files.readString(again.resolve("result.txt"))).isEqualTo(result);

        // Once the task is final, its secrets are released no more, even to the worker that ran it.
        Credentials worker = pool.net().accounts().get(5);
        SmsApi.Release late = new SmsApi.Release(new io.gridchain.api.sms.SmsClient(null).info(smsUrl).address(),
                dealId, 0, worker.getAddress(), Signatures.authorize(pool.net().chain().chainId(),
                pool.net().protocol().addresses().hub(), deal.taskId(0), worker.getAddress(),
                pool.net().accounts().get(3)), publicKey(Credentials.create(Keys.createEcKeyPair())), dataset, null,
                null, List.of(), System.currentTimeMillis() / 1000, Signatures.nonce());
        try {
            new io.gridchain.api.sms.SmsClient(null).post(smsUrl, SmsApi.RELEASE, late, worker, SmsApi.Released.class);
            throw new AssertionError("a finalized task's dataset key was released");
        } catch (io.gridchain.api.sms.SmsClient.SmsException e) {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).isEqualTo("task " + deal.taskId(0) + " is finalized: its secrets are no longer"
                    + " released");
        }
    }

    @Test
    void aPlainDatasetOfAnOwnerWhoAlsoSellsSealedOnesNeverWaitsOnItsService() throws Exception {
        cli(2, "sms", "set-url", smsUrl);
        Path plain = Files.writeString(home.resolve("public.csv"), "x,1\ny,2\n");
        String dataset = json(cli(2, "dataset", "publish", plain.toString(), "--name", "public", "--json"))
                .get("dataset").asText();
        cli(2, "order", "publish", "dataset", dataset, "--price", "1", "--volume", "10");
        Path out = home.resolve("public-results");
        cli(4, "run", app, "--dataset", dataset, "--watch", "--download", out.toString(), "--json");
        assertThat(Files.readString(out.resolve("0").resolve("result.txt"))).startsWith("rows 2\ntotal 3\n");
        JsonNode log = json(cli(2, "sms", "log", "--json"));
        assertThat(log.get("entries")).noneSatisfy(e -> assertThat(e.get("subject").asText())
                .isEqualToIgnoringCase(dataset));
    }

    // ---------------------------------------------------------------- helpers

    static String fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x01000193;
        return String.format("%08x", h);
    }

    static String publicKey(Credentials key) {
        return Numeric.toHexStringWithPrefixZeroPadded(key.getEcKeyPair().getPublicKey(), 128);
    }

    /** Every file under {@code dir} whose bytes contain {@code text}. */
    static List<Path> filesContaining(Path dir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                        found.add(f);
                        break;
                    }
                }
            }
        }
        return found;
    }

    static Path wallet(int account) {
        return home.resolve("wallet-" + account + ".json");
    }

    static JsonNode json(String out) throws IOException {
        // the services of this JVM log to the same stdout: the command's JSON is the object after their lines
        int start = out.startsWith("{") ? 0 : out.indexOf("\n{") + 1;
        try {
            return JSON.readTree(out.substring(start));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + out, e);
        }
    }

    /** {@code gridchain ARGS} in this JVM with account {@code account}'s wallet; fails the test on a non-zero exit. */
    static synchronized String cli(int account, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--wallet", wallet(account).toString(), "--password-file",
                passwordFile.toString()));
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("gridchain " + String.join(" ", args) + "\nstdout: " + printed + "\nstderr: " + err)
                .isZero();
        return printed;
    }

    static void publish(Order order, GridClient signer) {
        market.book().publish(order, Numeric.toHexString(signer.sign(order)));
    }
}
