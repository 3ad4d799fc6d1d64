package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.Main;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.state.TestPostgres;
import io.gridchain.worker.WorkerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Wallet;
import picocli.CommandLine;

/**
 * {@code gridchain scheduler start --db postgresql://…} against a throwaway PostgreSQL cluster: the scheduler runs
 * as a process of its own with its state in the database and certifies a deal; a malformed URL is a one-line usage
 * error (exit 2) and an unreachable database one naming its host:port (exit 3).
 */
class PostgresCliTest {
    private static final String PASSWORD = "pw";
    @TempDir static Path dir;
    static LocalPool pool;
    static TestPostgres pg;
    static Path config;
    static Path wallet;
    static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestPostgres.unavailable().isEmpty(), () -> TestPostgres.unavailable().orElse(""));
        pg = TestPostgres.start();
        pool = new LocalPool(LocalPool.Setup.of(0).withoutScheduler());
        config = dir.resolve("config.json");
        Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                pool.net().protocol().addresses())).withCurrentProfile("local").save(config);
        wallet = dir.resolve("owner.json");
        Files.write(wallet, new ObjectMapper().writeValueAsBytes(Wallet.createLight(PASSWORD,
                pool.net().accounts().get(3).getEcKeyPair())));
        passwordFile = Files.writeString(dir.resolve("password"), PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pool != null) pool.close();
        if (pg != null) pg.close();
    }

    @Test
    void aSchedulerStartedWithDbKeepsItsStateInPostgresAndCertifiesADeal() throws Exception {
        String jdbc = pg.createDatabase();
        String database = jdbc.substring(jdbc.lastIndexOf('/') + 1);
        String url = "postgresql://" + pg.user() + "@127.0.0.1:" + pg.port() + "/" + database;
        try (Processes processes = new Processes(dir)) {
            processes.start("scheduler", Main.class, "running", cliArgs("scheduler", "start", "--pool",
                    pool.workerpool(), "--db", url, "--data", dir.resolve("sched").toString(), "--bind", "127.0.0.1"));
            String log = Files.readString(Path.of("target", "process-logs", dir.getFileName() + "-scheduler.log"));
            Matcher m = Pattern.compile("scheduler\\s*: (http://\\S+)").matcher(log);
            assertThat(m.find()).as(log).isTrue();
            assertThat(log).contains("PostgreSQL 127.0.0.1:" + pg.port());
            pool.useScheduler(m.group(1));
            pool.startWorker(WorkerConfig.of(m.group(1), pool.net().accounts().get(5)));
            DealRecord deal = pool.request(pool.publish("primes"), "1000", 1, 1);
            LocalPool.await("the task certified by the PostgreSQL-backed scheduler", Duration.ofSeconds(60),
                    () -> pool.requester().taskStatus(deal.taskId(0)) == GridClient.TaskStatus.FINALIZED);
        }
        try (Connection c = DriverManager.getConnection(jdbc, pg.user(), "");
                ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.tables"
                        + " WHERE table_schema = 'public'")) {
            r.next();
            assertThat(r.getInt(1)).as("the scheduler's tables in the database").isPositive();
        }
        assertThat(dir.resolve("sched").resolve("scheduler.db")).doesNotExist();
    }

    @Test
    void aMalformedUrlIsAUsageErrorAndAnUnreachableDatabaseNamesItsAddress() {
        Result malformed = run("scheduler", "start", "--pool", pool.workerpool(), "--db",
                "mysql://u:secret@127.0.0.1/db");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err().strip()).doesNotContain("\n").doesNotContain("secret")
                .startsWith("error: --db must be a PostgreSQL URL like postgresql://USER:PASSWORD@HOST:5432/DB");
        Result noName = run("scheduler", "start", "--pool", pool.workerpool(), "--db", "postgresql://u@127.0.0.1:5432");
        assertThat(noName.code()).isEqualTo(2);
        assertThat(noName.err()).contains("no database name");

        Result unreachable = run("scheduler", "start", "--pool", pool.workerpool(), "--db",
                "postgresql://u:pw@127.0.0.1:1/db");
        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(3);
        assertThat(unreachable.err().strip()).doesNotContain("\n")
                .startsWith("error: cannot reach the PostgreSQL database at 127.0.0.1:1: ");
    }

    record Result(int code, String err) {}

    static String[] cliArgs(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--wallet", wallet.toString(), "--password-file",
                passwordFile.toString()));
        return all.toArray(String[]::new);
    }

    static Result run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(cliArgs(args)), err.toString());
    }
}
