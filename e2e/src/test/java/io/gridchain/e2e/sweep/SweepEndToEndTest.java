package io.gridchain.e2e.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.AppContract;
import io.gridchain.apps.ExampleApps;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.Main;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.ResultDigest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Wallet;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/** A bag of tasks as a parameter sweep: each task its own arguments and inputs, each result what a local run gives. */
class SweepEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "sweep-test";

    static LocalPool pool;
    static Market market;
    static Path home;
    static Path config;
    static String app;

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(2);
        home = Files.createTempDirectory("sweep");
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        app = pool.publish("salestats");
        AppOrder appOrder = pool.appOrder(app);
        publish(appOrder, pool.appOwner());
        publish(pool.poolOrder(), pool.schedulerOwner());
        config = home.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses()).with("market", market.url())).withCurrentProfile("local")
                .save(config);
        Files.writeString(home.resolve("password"), PASSWORD);
        Files.write(home.resolve("wallet.json"), JSON.writeValueAsBytes(Wallet.createLight(PASSWORD,
                pool.net().accounts().get(4).getEcKeyPair())));
    }

    @AfterAll
    static void stop() {
        if (market != null) market.close();
        if (pool != null) pool.close();
    }

    @Test
    void twentyTasksWithTheirOwnArgumentsAndInputsEachGiveWhatALocalRunOfThatTaskGives() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Files.writeString(home.resolve("part-" + i + ".csv"), "a," + i + "\nb," + (100 * i) + "\n");
            lines.add("{\"args\": \"label-{i} of-{n} case-" + (i * 7) + "\", \"inputs\": [{\"url\": \"part-" + i
                    + ".csv\"}]}");
        }
        Path sweep = Files.write(home.resolve("sweep.txt"), lines);
        Path out = home.resolve("results");
        JsonNode run = json(cli("run", app, "--sweep", sweep.toString(), "--watch", "--download", out.toString(),
                "--json"));
        String dealId = run.get("deal").asText();
        assertThat(run.get("tasks")).hasSize(20);
        for (int i = 0; i < 20; i++) {
            Path local = home.resolve("local-" + i);
            Path in = Files.createDirectories(home.resolve("in-" + i));
            Files.copy(home.resolve("part-" + i + ".csv"), in.resolve("part-" + i + ".csv"));
            String taskId = Deal.taskId(dealId, i);
            ExecutionResult r = pool.runtime().run(ExecutionRequest.of("salestats", ExampleApps.load("salestats"),
                    local).withArgs("label-" + i, "of-20", "case-" + (i * 7)).withInputDir(in)
                    .withEnv(AppContract.env(dealId, taskId, i, 20)).withSeed(AppContract.seed(taskId)));
            assertThat(r.succeeded()).isTrue();
            Path downloaded = out.resolve(Integer.toString(i));
            assertThat(ResultDigest.of(downloaded)).as("task " + i).isEqualTo(ResultDigest.of(local))
                    .isEqualTo(pool.requester().resultDigest(taskId));
            assertThat(Files.readString(downloaded.resolve("result.txt"))).startsWith("rows 2\ntotal " + (101 * i)
                    + "\n").endsWith("arg label-" + i + "\narg of-20\narg case-" + (i * 7) + "\n");
        }
        // and as one table and one archive
        List<String> table = Files.readAllLines(Path.of(run.get("table").asText()));
        assertThat(table).hasSize(21).first().isEqualTo("index\ttask\tstatus\tdigest\tfiles");
        assertThat(table.get(8)).isEqualTo("7\t" + Deal.taskId(dealId, 7) + "\tCERTIFIED\t"
                + pool.requester().resultDigest(Deal.taskId(dealId, 7)) + "\tresult.txt");
        try (var zip = new java.util.zip.ZipFile(run.get("archive").asText())) {
            assertThat(new String(zip.getInputStream(zip.getEntry("19/result.txt")).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(Files.readString(out.resolve("19").resolve("result.txt")));
            assertThat(zip.getEntry("results.tsv")).isNotNull();
        }
    }

    @Test
    void aLargeSweepGoesAsAManifestThatCostsTheGasOfOneUrl() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) lines.add("m-" + i + " {i}");
        Path manifest = Files.write(home.resolve("manifest.txt"), lines);
        Path out = home.resolve("manifest-results");
        JsonNode run = json(cli("run", app, "--sweep", manifest.toString(), "--sweep-uri", manifest.toUri().toString(),
                "--watch", "--download", out.toString(), "--json"));
        assertThat(run.get("tasks")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(Files.readString(out.resolve(Integer.toString(i)).resolve("result.txt")))
                    .endsWith("arg m-" + i + "\narg " + i + "\n");
        }
        String params = pool.requester().dealById(run.get("deal").asText()).orElseThrow().terms().params();
        assertThat(params).contains("\"manifest\"").doesNotContain("m-3");
    }

    @Test
    void aTemplateGivesEachTaskItsIndex() throws Exception {
        Path out = home.resolve("template-results");
        json(cli("run", app, "--args", "frame-{i}/{n}", "--volume", "3", "--watch", "--download", out.toString(),
                "--json"));
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(out.resolve(Integer.toString(i)).resolve("result.txt")))
                    .endsWith("arg frame-" + i + "/3\n");
        }
    }

    /**
     * A new user's path, as issue 17 tells it: `app init`, build, `app test`, `app publish --upload` (no server of
     * their own), an order, and `run` with a sweep of 20 tasks with different arguments and inputs; every result
     * downloaded equals a local `app test` of the same task.
     */
    @Test
    void initBuildTestPublishAndSweepTwentyTasksEachEqualToItsLocalTest() throws Exception {
        Path work = Files.createDirectories(home.resolve("new-user"));
        offline("app", "init", "hello", "--dir", work.toString());
        Process build = new ProcessBuilder("bash", work.resolve("hello/build.sh").toString()).redirectErrorStream(true)
                .start();
        assertThat(build.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue()).as(new String(build.getInputStream().readAllBytes())).isZero();
        Path wasm = work.resolve("hello/hello.wasm");
        assertThat(json(offline("app", "test", wasm.toString(), "--json")).get("status").asText())
                .isEqualTo("SUCCEEDED");

        JsonNode published = json(cli("app", "publish", wasm.toString(), "--upload", "--json"));
        String app = published.get("app").asText();
        assertThat(published.get("uri").asText()).startsWith(market.url() + "/v1/blobs/0x");
        cli("order", "publish", "app", app, "--price", "1", "--volume", "100");

        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Files.writeString(work.resolve("part-" + i + ".txt"), "line\n".repeat(i + 1));
            lines.add("{\"args\": \"t{i} x" + (i * i) + "\", \"inputs\": [{\"url\": \"part-" + i + ".txt\"}]}");
        }
        Path sweep = Files.write(work.resolve("sweep.txt"), lines);
        Path out = work.resolve("results");
        JsonNode run = json(cli("run", app, "--sweep", sweep.toString(), "--watch", "--download", out.toString(),
                "--json"));
        assertThat(run.get("results")).hasSize(20).allSatisfy(r -> assertThat(r.get("status").asText())
                .isEqualTo("CERTIFIED"));
        for (int i = 0; i < 20; i++) {
            Path local = work.resolve("local-" + i);
            JsonNode test = json(offline("app", "test", wasm.toString(), "--args", "t" + i + " x" + (i * i), "--input",
                    work.resolve("part-" + i + ".txt").toString(), "--task-index", Integer.toString(i), "--bag-size",
                    "20", "--out", local.toString(), "--json"));
            assertThat(run.get("results").get(i).get("digest").asText()).as("task " + i)
                    .isEqualTo(test.get("digest").asText());
            assertThat(Files.readString(out.resolve(Integer.toString(i)).resolve("result.txt")))
                    .isEqualTo(Files.readString(local.resolve("result.txt")))
                    .contains("task " + i + " of 20").contains("inputs: 1 file(s), " + (i + 1) + " line(s)");
        }
    }

    static JsonNode json(String out) throws java.io.IOException {
        int start = out.startsWith("{") ? 0 : out.indexOf("\n{") + 1;
        return JSON.readTree(out.substring(start));
    }

    /** {@code gridchain ARGS} with the test's profile and wallet; fails the test on a non-zero exit. */
    static String cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--wallet", home.resolve("wallet.json").toString(),
                "--password-file", home.resolve("password").toString()));
        return offline(all.toArray(String[]::new));
    }

    /** {@code gridchain ARGS} as given (commands that need no chain take no profile). */
    static synchronized String offline(String... all) {
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(all);
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("gridchain " + String.join(" ", all) + "\nstdout: " + printed + "\nstderr: " + err)
                .isZero();
        return printed;
    }

    static void publish(Order order, GridClient signer) {
        market.book().publish(order, Numeric.toHexString(signer.sign(order)));
    }
}
