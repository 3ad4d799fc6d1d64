package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Wallet;

/** "app exited with code 2" never reaches a user alone: the app's stderr reaches its requester, and only it. */
class TaskLogsEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "logs-test";

    static LocalPool pool;
    static Path home;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(1);
        home = Files.createTempDirectory("task-logs");
        config = home.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses())).withCurrentProfile("local").save(config);
        Files.writeString(home.resolve("password"), PASSWORD);
        for (int account : new int[] {2, 4}) {
            Files.write(home.resolve("wallet-" + account + ".json"), JSON.writeValueAsBytes(Wallet.createLight(
                    PASSWORD, pool.net().accounts().get(account).getEcKeyPair())));
        }
    }

    @AfterAll
    static void stop() {
        if (pool != null) pool.close();
    }

    @Test
    void aFailingAppsStderrReachesTaskShowAndTaskLogsForItsRequesterOnly() throws Exception {
        String app = pool.publish("primes");
        DealRecord deal = pool.request(app, "lots", 1, 1);
        String task = deal.taskId(0);
        LocalPool.await("the task certified as a failure", Duration.ofSeconds(60),
                () -> pool.requester().taskStatus(task) == GridClient.TaskStatus.FINALIZED);

        Result logs = cli(4, "task", "logs", task, "--deal", deal.dealId(), "--json");
        assertThat(logs.code()).as(logs.err()).isZero();
        JsonNode replicas = JSON.readTree(logs.out().substring(logs.out().indexOf('{'))).get("replicas");
        assertThat(replicas).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("stderr").asText()).isEqualTo("primes: N must be an integer in [0, 200000000], got"
                    + " 'lots'\n");
            assertThat(r.get("outcome").asText()).isEqualTo("COMMITTED");
        });

        Result show = cli(4, "task", "show", task, "--deal", deal.dealId());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("failed (certified, the run is paid): EXIT_NONZERO")
                .contains("stderr    (worker ").contains("primes: N must be an integer in [0, 200000000], got 'lots'");

        Result stranger = cli(2, "task", "logs", task, "--deal", deal.dealId());
        assertThat(stranger.code()).isEqualTo(1);
        assertThat(stranger.err().strip().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: ").contains("are for its deal's requester " + pool.requester().address()
                        .toLowerCase()).doesNotContain("primes: N"));
        Result strangerShow = cli(2, "task", "show", task, "--deal", deal.dealId());
        assertThat(strangerShow.out()).doesNotContain("primes: N");
    }

    @Test
    void anAppThatPrintsNothingLeavesNoLogsBehind() {
        String app = pool.publish("noop");
        DealRecord deal = pool.request(app, "", 1, 1);
        LocalPool.await("the task certified", Duration.ofSeconds(60),
                () -> pool.requester().taskStatus(deal.taskId(0)) == GridClient.TaskStatus.FINALIZED);
        Result logs = cli(4, "task", "logs", deal.taskId(0), "--deal", deal.dealId());
        assertThat(logs.code()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("its app printed nothing");
        try (var files = Files.walk(pool.dir())) {
            assertThat(files.filter(p -> p.toString().contains(deal.taskId(0).toLowerCase())).toList())
                    .as("no file for a task whose app printed nothing").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Result(int code, String out, String err) {}

    static Result cli(int account, String... args) {
        InProcessCli.Result r = InProcessCli.run(config, home.resolve("wallet-" + account + ".json"),
                home.resolve("password"), args);
        return new Result(r.code(), r.out(), r.err());
    }
}
