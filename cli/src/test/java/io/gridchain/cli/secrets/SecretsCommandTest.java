package io.gridchain.cli.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.cli.config.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dataset encrypt` and the confidentiality commands' bad input, as processes: one line, the right exit code. */
class SecretsCommandTest {
    @TempDir
    Path home;

    @Test
    void encryptSealsTheFileAndKeepsItsKeyInTheOwnersKeystoreOnly() throws Exception {
        Cli cli = new Cli(home);
        Path plain = cli.file("ledger.csv", "alice,100\n");
        cli.run("dataset", "encrypt", plain.toString(), "--json").assertOk();
        byte[] sealed = Files.readAllBytes(plain.resolveSibling("ledger.csv.gcds"));
        assertThat(new String(sealed, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GCDS");
        Path keys = cli.configFile().getParent().resolve("dataset-keys");
        try (var files = Files.list(keys)) {
            Path key = files.findFirst().orElseThrow();
            assertThat(key.getFileName().toString()).isEqualTo(
                    io.gridchain.runtime.ResultDigest.sha256Hex(sealed) + ".key");
            assertThat(Files.getPosixFilePermissions(key)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
    }

    @Test
    void badInputIsOneLineAndAUsageExit() {
        Cli cli = new Cli(home);
        assertThat(cli.run("dataset", "encrypt", home.resolve("missing.csv").toString()).assertOneLineError(2))
                .contains("cannot read");
        assertThat(cli.run("sms", "push-secret", "api-key", "--value-env", "HOME").assertOneLineError(2))
                .contains("NAME must be upper case letters");
        assertThat(cli.run("sms", "set-url", "ftp://example.org").assertOneLineError(2))
                .contains("must start with http:// or https://");
        assertThat(cli.run("pool", "allowlist", "0x" + "1".repeat(40), "maybe").assertOneLineError(2))
                .contains("say on or off");
    }
}
