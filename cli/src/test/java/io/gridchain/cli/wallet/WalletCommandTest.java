package io.gridchain.cli.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import io.gridchain.cli.config.Config;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** {@code gridchain wallet create|import|show}, driven at the process level against a real anvil. */
class WalletCommandTest {
    private static final String KEY = LocalChain.DEV_PRIVATE_KEYS.get(2);
    private static final String ADDRESS = Credentials.create(KEY).getAddress();
    private static LocalProtocol net;

    @TempDir Path home;

    @BeforeAll
    static void devnet() {
        net = Cli.devnet();
    }

    @Test
    void createMakesAnEncryptedKeystoreAndTheDefaultWalletWhichShowPrints() throws Exception {
        Cli cli = new Cli(home);
        Path pw = cli.file("pw.txt", "correct horse\n");
        Cli.Run created = cli.run("wallet", "create", "--password-file", pw.toString(), "--json").assertOk();
        JsonNode json = new ObjectMapper().readTree(created.out());
        String address = json.get("address").asText();
        Path file = cli.walletsDir().resolve(address + ".json");
        assertThat(json.get("file").asText()).isEqualTo(file.toString());
        assertThat(Files.readString(file)).contains("\"n\":4096").contains("\"kdf\":\"scrypt\""); // light scrypt
        assertThat(Config.load(cli.configFile()).wallet()).isEqualTo(file.toString());
        // the file decrypts with the password, trailing newline of the password file excluded
        assertThat(Keystore.unlock(file, "correct horse").getAddress()).isEqualTo(address);

        Cli.Run show = cli.run("wallet", "show").assertOk(); // no chain configured: no password, no network
        assertThat(show.out()).contains(address).contains(file.toString());
    }

    @Test
    void importFromAFileOrStdinThenShowPrintsTheBalancesOfTheConfiguredChain() throws Exception {
        Cli cli = new Cli(home).withDevnetProfile(net);
        Path key = cli.file("key.txt", KEY + "\n");
        cli.env("GRIDCHAIN_PASSWORD", "pw");
        Cli.Run imported = cli.run("wallet", "import", "--private-key-file", key.toString()).assertOk();
        assertThat(imported.out()).contains("imported wallet " + ADDRESS);

        Cli.Run show = cli.run("wallet", "show", "--json").assertOk();
        JsonNode json = new ObjectMapper().readTree(show.out());
        assertThat(json.get("address").asText()).isEqualTo(ADDRESS);
        assertThat(json.get("chain_id").asLong()).isEqualTo(31337);
        assertThat(new BigInteger(json.get("eth_wei").asText())).isPositive();
        Balance b = net.client(0).balanceOf(ADDRESS);
        assertThat(json.get("wallet_tokens").asText()).isEqualTo(net.client(0).tokenBalanceOf(ADDRESS).toString());
        assertThat(json.get("escrow").get("free").asText()).isEqualTo(b.free().toString());
        assertThat(json.get("escrow").get("locked").asText()).isEqualTo(b.locked().toString());

        // the same key again, from stdin, into another home: same address
        Cli other = new Cli(home.resolve("other")).env("GRIDCHAIN_PASSWORD", "pw");
        Cli.Run fromStdin = other.runWithInput(KEY.substring(2), "wallet", "import", "--private-key-file", "-");
        assertThat(fromStdin.assertOk().out()).contains(ADDRESS);
        // importing it twice is refused without touching the file
        Path file = cli.walletsDir().resolve(ADDRESS + ".json");
        String before = Files.readString(file);
        assertThat(cli.run("wallet", "import", "--private-key-file", key.toString()).assertOneLineError(1))
                .contains("already exists");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aMalformedPrivateKeyFileIsOneLineExit2AndCreatesNothing() {
        Cli cli = new Cli(home).env("GRIDCHAIN_PASSWORD", "pw");
        Path bad = cli.file("bad.txt", "0xnot-a-key\n");
        assertThat(cli.run("wallet", "import", "--private-key-file", bad.toString()).assertOneLineError(2))
                .contains("malformed private key in " + bad);
        Path zero = cli.file("zero.txt", "0x" + "0".repeat(64));
        assertThat(cli.run("wallet", "import", "--private-key-file", zero.toString()).assertOneLineError(2))
                .contains("invalid private key");
        assertThat(cli.run("wallet", "import", "--private-key-file", home.resolve("nope.txt").toString())
                .assertOneLineError(2)).contains("no such file: " + home.resolve("nope.txt"));
        assertThat(cli.walletsDir()).doesNotExist();
        assertThat(cli.configFile()).doesNotExist();
    }

    @Test
    void aWrongPasswordIsOneLineExit4AndSendsNothing() throws Exception {
        Cli cli = new Cli(home).withDevnetProfile(net);
        Path key = cli.file("key.txt", KEY);
        cli.run("wallet", "import", "--private-key-file", key.toString(), "--password-file",
                cli.file("pw.txt", "right").toString()).assertOk();
        Balance before = net.client(0).balanceOf(ADDRESS);
        Cli.Run r = cli.run("account", "deposit", "10", "--password-file", cli.file("wrong.txt", "wrong").toString());
        assertThat(r.assertOneLineError(4)).isEqualTo("error: wrong password for wallet " + ADDRESS);
        assertThat(net.client(0).balanceOf(ADDRESS)).isEqualTo(before);
        // the environment variable is used as well, and never a prompt
        assertThat(cli.env("GRIDCHAIN_PASSWORD", "also wrong").run("account", "withdraw", "1").assertOneLineError(4))
                .contains("wrong password");
    }

    @Test
    void withoutConsoleNorPasswordItSaysHowToGiveOne() {
        Cli cli = new Cli(home);
        assertThat(cli.run("wallet", "create").assertOneLineError(2))
                .isEqualTo("error: no password: pass --password-file or set GRIDCHAIN_PASSWORD");
        assertThat(cli.run("wallet", "create", "--password-file", home.resolve("missing").toString())
                .assertOneLineError(2)).contains("no such file: " + home.resolve("missing"));
        assertThat(cli.walletsDir()).doesNotExist();
    }

    @Test
    void helpOfEveryWalletCommandHasExamplesAndSaysLightScrypt() {
        for (String[] args : new String[][] {{"wallet"}, {"wallet", "create"}, {"wallet", "import"}, {"wallet", "show"}}) {
            assertThat(Cli.help(args)).as(String.join(" ", args)).contains("Examples:");
        }
        assertThat(Stream.of(Cli.help("wallet", "create"))).allMatch(h -> h.contains("LIGHT scrypt"));
    }
}
