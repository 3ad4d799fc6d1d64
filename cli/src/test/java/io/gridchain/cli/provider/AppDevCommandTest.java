package io.gridchain.cli.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.apps.ExampleApps;
import io.gridchain.cli.config.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new app's first minutes: `app init`, its build script, and `app test` as a worker would run it. */
class AppDevCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void anInitializedAppBuildsAndPassesItsTestOnTheFirstTry() throws Exception {
        Cli cli = new Cli(home);
        cli.run("app", "init", "hello", "--dir", home.toString()).assertOk();
        Process build = new ProcessBuilder("bash", home.resolve("hello/build.sh").toString()).redirectErrorStream(true)
                .start();
        assertThat(build.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue()).as(new String(build.getInputStream().readAllBytes())).isZero();
        Path out = home.resolve("out");
        JsonNode r = JSON.readTree(cli.run("app", "test", home.resolve("hello/hello.wasm").toString(), "--args",
                "a b", "--input", home.resolve("hello/input.txt").toString(), "--replicas", "2", "--task-index", "3",
                "--bag-size", "10", "--out", out.toString(), "--json").assertOk().out());
        assertThat(r.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.get("agree").asBoolean()).isTrue();
        assertThat(r.get("files").get("result.txt").asInt()).isPositive();
        assertThat(r.get("stdout").asText()).isEqualTo("hello: wrote /out/result.txt\n");
        assertThat(Files.readString(out.resolve("result.txt"))).isEqualTo("task 3 of 10\nargument 1: a\nargument 2: b\n"
                + "inputs: 1 file(s), 2 line(s), 48 byte(s)\n");
        assertThat(r.get("digest").asText()).startsWith("0x").hasSize(66);
        assertThat(cli.run("app", "init", "hello", "--dir", home.toString()).assertOneLineError(2))
                .contains("already exists");
    }

    @Test
    void aFailingAppShowsItsCauseAndTheFailureDigestWorkersWouldCertify() throws Exception {
        Cli cli = new Cli(home);
        Path trap = Files.write(home.resolve("trap.wasm"), ExampleApps.load("trap"));
        var run = cli.run("app", "test", trap.toString(), "--json");
        assertThat(run.code()).isEqualTo(1);
        JsonNode r = JSON.readTree(run.out());
        assertThat(r.get("status").asText()).isEqualTo("FAILED");
        assertThat(r.get("cause").asText()).isEqualTo("TRAP");
        assertThat(r.get("digest").asText()).isEqualTo(io.gridchain.protocol.poco.FailureDigest.of(false, "TRAP", -1));
        assertThat(cli.run("app", "test", home.resolve("missing.wasm").toString()).assertOneLineError(2))
                .contains("cannot read FILE.wasm");
        assertThat(cli.run("app", "init", "Bad Name").assertOneLineError(2)).contains("NAME must be lower case");
    }
}
