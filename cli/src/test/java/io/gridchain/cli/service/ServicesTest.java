package io.gridchain.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.apps.ExampleApps;
import io.gridchain.cli.config.Cli;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every provider role across terminals, each a `gridchain` process: the order book ({@code market start}),
 * a workerpool's scheduler ({@code scheduler start}) and a worker ({@code worker start}) as services, the
 * pool's and the app's orders published with {@code order publish}, and a requester's {@code run} served
 * by them to the downloaded certified result.
 */
class ServicesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNER_KEY = LocalChain.DEV_PRIVATE_KEYS.get(8);
    private static final String WORKER_KEY = LocalChain.DEV_PRIVATE_KEYS.get(3);
    private static final String REQUESTER_KEY = LocalChain.DEV_PRIVATE_KEYS.get(1);

    @TempDir Path home;

    private Cli user(String name, String key) {
        LocalProtocol net = Cli.devnet();
        Cli cli = new Cli(home.resolve(name)).withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw");
        cli.run("wallet", "import", "--private-key-file", cli.file("key.txt", key).toString()).assertOk();
        return cli;
    }

    @Test
    void aPoolServedByStartedServicesRunsARequestersTask() throws Exception {
        Cli owner = user("owner", OWNER_KEY);
        try (Cli.Service market = owner.start("market", "start")) {
            String marketUrl = value(market.awaitLine("market "));
            assertThat(marketUrl).startsWith("http://127.0.0.1:");
            owner.env("GRIDCHAIN_MARKET", marketUrl);
            String pool = json(owner.run("pool", "create", "--json").assertOk()).get("workerpool").asText();
            owner.run("account", "deposit", "2000").assertOk(); // the pool's bond and the scheduler's stake on each deal
            // the pool serves only while its owner bonds in it, and `run` chooses it only from a bond of 1,000
            owner.run("account", "bond", pool, "1000").assertOk();
            Path wasm = home.resolve("primes.wasm");
            Files.write(wasm, ExampleApps.load("primes"));
            String app = json(owner.run("app", "publish", wasm.toString(), "--json").assertOk()).get("app").asText();
            owner.run("order", "publish", "app", app, "--price", "1", "--volume", "10").assertOk();
            owner.run("order", "publish", "workerpool", pool, "--price", "5", "--volume", "10", "--trust", "1")
                    .assertOk();

            Cli requester = user("requester", REQUESTER_KEY).env("GRIDCHAIN_MARKET", marketUrl);
            assertThat(requester.run("scheduler", "start", "--pool", pool).assertOneLineError(1))
                    .contains("is owned by").contains("not by your wallet");
            assertThat(requester.run("worker", "start").assertOneLineError(2)).contains("no scheduler to join");
            assertThat(owner.run("scheduler", "start", "--pool", pool, "--assume-saboteurs", "1.5")
                    .assertOneLineError(2)).contains("--assume-saboteurs, --spot-checks, --audits and --trusted-audits must be");
            assertThat(owner.run("scheduler", "start", "--pool", pool, "--confirmations", "1001")
                    .assertOneLineError(2)).contains("--confirmations must be a whole number from 0 to 1000");

            // the pool tolerates saboteurs: the replication policy and spot-checks are on. Audits are off: an
            // audited task needs two agreeing workers, and this pool has one, so one run in ten (the default audit
            // rate, drawn with a secret salt per start) waited for a second worker until the test gave up. No hold
            // either: the lone worker's result would wait 10 minutes before its batch
            try (Cli.Service scheduler = owner.start("scheduler", "start", "--pool", pool, "--assume-saboteurs", "0.2",
                    "--audits", "0", "--trusted-audits", "0", "--hold", "0")) {
                String schedulerUrl = value(scheduler.awaitLine("scheduler "));
                Cli worker = user("worker", WORKER_KEY);
                worker.run("account", "deposit", "1000").assertOk();
                assertThat(worker.run("worker", "start", "--pool", pool).assertOneLineError(1))
                        .isEqualTo("error: pool " + pool + " has published no API URL: its owner runs `gridchain pool set-api "
                                + pool + " URL`, or set GRIDCHAIN_SCHEDULER");
                // the owner publishes where its scheduler answers; nobody else may redirect the pool's clients
                assertThat(requester.run("pool", "set-api", pool, "http://198.51.100.66:8082").assertOneLineError(1))
                        .contains("only the owner of workerpool " + pool).contains("--wallet");
                assertThat(owner.run("pool", "set-api", pool, "http://h/" + "a".repeat(300)).assertOneLineError(2))
                        .contains("at most 256");
                assertThat(owner.run("pool", "set-api", pool, "h:8082").assertOneLineError(2))
                        .contains("must be an http(s) URL");
                owner.run("pool", "set-api", pool, schedulerUrl).assertOk();
                assertThat(requester.run("pool", "show", pool).assertOk().out()).contains(schedulerUrl);
                // a pool publishing another pool's scheduler gets no worker from it
                String other = json(owner.run("pool", "create", "--json").assertOk()).get("workerpool").asText();
                owner.run("pool", "set-api", other, schedulerUrl).assertOk();
                assertThat(worker.run("worker", "start", "--pool", other).assertOneLineError(1))
                        .contains("serves pool " + pool + ", not " + other);
                // the worker knows only the pool: it finds the scheduler on-chain, and bonds there as it starts
                try (Cli.Service agent = worker.start("worker", "start", "--pool", pool, "--slots", "1",
                        "--bond", "500")) {
                    agent.awaitLine("worker ");
                    // no GRIDCHAIN_SCHEDULER: `run --watch` follows the deal's pool to its published scheduler
                    requester.run("account", "deposit", "100").assertOk();
                    // without the pool owner's stake the match fails, and the message says whose stake is missing
                    owner.run("account", "withdraw", "1000").assertOk();
                    assertThat(requester.run("run", app, "--args", "1000", "--pool", pool).assertOneLineError(1))
                            .contains("the workerpool owner's stake");
                    owner.run("account", "deposit", "1000").assertOk();
                    Path results = home.resolve("results");
                    Cli.Run run = requester.run("run", app, "--args", "1000", "--pool", pool, "--watch",
                            "--download", results.toString(), "--json").assertOk();
                    assertThat(run.err()).contains("[watch] 1/1 certified").contains("[download] task ");
                    JsonNode out = json(run);
                    assertThat(out.get("results")).hasSize(1)
                            .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("CERTIFIED"));
                    assertThat(Files.readString(results.resolve("0/result.txt"))).isEqualTo("primes below 1000: 168\n");
                    // task show and result get also find the scheduler from the task's deal and its pool
                    String task = out.get("results").get(0).get("task").asText();
                    assertThat(requester.run("task", "show", task).assertOk().out()).contains("scheduler ");
                    requester.run("result", "get", task, "-o", home.resolve("again").toString()).assertOk();
                    assertThat(Files.readString(home.resolve("again/result.txt"))).isEqualTo("primes below 1000: 168\n");
                    assertThat(agent.stop()).contains("[worker] stopping");
                }
                assertThat(scheduler.stop()).contains("[scheduler] stopping");
            }
            assertThat(market.stop()).contains("[market] stopping");
        }
    }

    private static String value(String line) {
        return line.substring(line.indexOf(" : ") + 3).strip();
    }

    private static JsonNode json(Cli.Run r) throws Exception {
        return JSON.readTree(r.out());
    }
}
