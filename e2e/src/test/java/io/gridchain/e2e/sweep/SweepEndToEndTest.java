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

    static JsonNode json(String out) throws java.io.IOException {
        int start = out.startsWith("{") ? 0 : out.indexOf("\n{") + 1;
        return JSON.readTree(out.substring(start));
    }

    static synchronized String cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--wallet", home.resolve("wallet.json").toString(),
                "--password-file", home.resolve("password").toString()));
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
