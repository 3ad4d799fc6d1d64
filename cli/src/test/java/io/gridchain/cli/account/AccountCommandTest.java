package io.gridchain.cli.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Transaction;

/** {@code gridchain account deposit|withdraw|balance}, driven at the process level against a real anvil. */
class AccountCommandTest {
    private static final String KEY = LocalChain.DEV_PRIVATE_KEYS.get(4);
    private static final String ADDRESS = Credentials.create(KEY).getAddress();
    private static LocalProtocol net;
    private static GridClient observer;

    @TempDir Path home;

    @BeforeAll
    static void devnet() {
        net = Cli.devnet();
        observer = net.client(0);
    }

    private Cli wallet() {
        Cli cli = new Cli(home).withDevnetProfile(net);
        cli.env("GRIDCHAIN_PASSWORD_FILE", cli.file("pw.txt", "pw").toString());
        cli.run("wallet", "import", "--private-key-file", cli.file("key.txt", KEY).toString()).assertOk();
        return cli;
    }

    @Test
    void depositWithdrawAndBalanceRoundTrip() throws Exception {
        Cli cli = wallet();
        Balance start = observer.balanceOf(ADDRESS);
        BigInteger tokens = observer.tokenBalanceOf(ADDRESS);

        JsonNode dep = json(cli.run("account", "deposit", "100", "--json").assertOk());
        assertThat(dep.get("tx").asText()).matches("0x[0-9a-f]{64}");
        assertThat(new BigInteger(dep.get("balance").get("free").asText())).isEqualTo(start.free().add(BigInteger.valueOf(100)));
        assertThat(observer.tokenBalanceOf(ADDRESS)).isEqualTo(tokens.subtract(BigInteger.valueOf(100)));

        cli.run("account", "withdraw", "40").assertOk();
        JsonNode bal = json(cli.run("account", "balance", "--json").assertOk());
        assertThat(bal.get("account").asText()).isEqualTo(ADDRESS);
        assertThat(new BigInteger(bal.get("free").asText())).isEqualTo(start.free().add(BigInteger.valueOf(60)));
        assertThat(bal.get("locked").asText()).isEqualTo("0");
        assertThat(bal.get("score").asLong()).isZero();
        assertThat(new BigInteger(bal.get("wallet_tokens").asText())).isEqualTo(tokens.subtract(BigInteger.valueOf(60)));

        // another account's balance, no wallet needed at all
        String other = net.accounts().get(9).getAddress();
        Cli.Run text = new Cli(home.resolve("nowallet")).withDevnetProfile(net).run("account", "balance", other).assertOk();
        assertThat(text.out()).contains("account : " + other).contains("free    : 0");
    }

    @Test
    void aBondInAPoolIsShownAndAskedBackButStaysUntilTheDelayIsOver() throws Exception {
        Cli cli = wallet();
        String pool = net.accounts().get(3).getAddress(); // a pool named by its owner
        cli.run("account", "deposit", "100").assertOk();
        BigInteger free = observer.balanceOf(ADDRESS).free();

        JsonNode bonded = json(cli.run("account", "bond", pool, "30", "--json").assertOk());
        assertThat(bonded.get("stake").get("bond").asText()).isEqualTo("30");
        assertThat(observer.stakeOf(pool, ADDRESS).bond()).isEqualTo(BigInteger.valueOf(30));
        assertThat(observer.balanceOf(ADDRESS).free()).isEqualTo(free.subtract(BigInteger.valueOf(30)));
        JsonNode shown = json(cli.run("account", "balance", "--pool", pool, "--json").assertOk());
        assertThat(shown.get("pools").get(0).get("bond").asText()).isEqualTo("30");
        assertThat(cli.run("account", "balance", "--pool", pool).assertOk().out())
                .contains("bond 30, earned 0 (to collect), score 0");

        assertThat(cli.run("account", "unbond", pool, "30").assertOneLineError(1))
                .startsWith("error: the bond in pool").contains("was not asked back");
        cli.run("account", "unbond", pool).assertOk();
        assertThat(observer.stakeOf(pool, ADDRESS).leaving()).isTrue();
        // the delay outlasts every deal; the devnet is shared by the run's classes, so its clock is not moved here
        assertThat(cli.run("account", "unbond", pool, "30").assertOneLineError(1)).contains("may leave from");
        assertThat(observer.stakeOf(pool, ADDRESS).bond()).isEqualTo(BigInteger.valueOf(30));

        assertThat(cli.run("account", "collect", pool).assertOk().out()).contains("nothing earned to collect");
        assertThat(cli.run("account", "bond", pool, "1000000000000").assertOneLineError(1))
                .contains("free tokens but 1000000000000 are needed");
        assertThat(cli.run("account", "bond", "0x12", "1").assertOneLineError(2)).contains("is not a pool");
    }

    @Test
    void withdrawingMoreThanIsFreeIsTheRevertMessageOnOneLineExit1AndChangesNothing() {
        Cli cli = wallet();
        cli.run("account", "deposit", "5").assertOk();
        Balance before = observer.balanceOf(ADDRESS);
        BigInteger tokensBefore = observer.tokenBalanceOf(ADDRESS);
        BigInteger tooMuch = before.free().add(BigInteger.TEN);
        String msg = cli.run("account", "withdraw", tooMuch.toString()).assertOneLineError(1);
        assertThat(msg).isEqualTo("error: account " + ADDRESS + " has " + before.free() + " free tokens but " + tooMuch
                + " are needed: deposit more");
        assertThat(observer.balanceOf(ADDRESS)).isEqualTo(before);
        assertThat(observer.tokenBalanceOf(ADDRESS)).isEqualTo(tokensBefore);
    }

    @Test
    void depositingMoreThanTheWalletHoldsIsRefusedBeforeSending() throws Exception {
        Cli cli = new Cli(home).withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw");
        String fresh = json(cli.run("wallet", "create", "--json").assertOk()).get("address").asText();
        assertThat(cli.run("account", "deposit", "7").assertOneLineError(1))
                .isEqualTo("error: wallet " + fresh + " holds 0 tokens but 7 are needed: get tokens first");
    }

    @Test
    void aWalletWithoutEthForGasIsToldItsShortfallOnOneLineExit1() throws Exception {
        Cli cli = new Cli(home).withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw");
        String fresh = json(cli.run("wallet", "create", "--json").assertOk()).get("address").asText();
        net.protocol().mint(net.accounts().get(0), List.of(fresh), BigInteger.valueOf(100)); // tokens, but no ETH
        String msg = cli.run("account", "deposit", "7").assertOneLineError(1);
        assertThat(msg).matches("error: account " + fresh.toLowerCase() + " has 0 ETH but this transaction may cost up to"
                + " 0\\.[0-9]+ ETH \\(gas limit x max fee \\+ value\\): send it at least 0\\.[0-9]+ ETH");
        assertThat(observer.tokenBalanceOf(fresh)).isEqualTo(BigInteger.valueOf(100));
    }

    @Test
    void feeFlagsAndTheirEnvironmentSetTheFeesOfTheTransactionsSentAndBadOnesAreExit2() throws Exception {
        Cli cli = wallet();
        JsonNode flagged = json(cli.run("account", "deposit", "3", "--max-fee-gwei", "4.5", "--priority-fee-gwei", "0.5",
                "--json").assertOk());
        Transaction tx = tx(flagged.get("tx").asText());
        assertThat(tx.getType()).isEqualTo("0x2");
        assertThat(tx.getMaxFeePerGas()).isEqualTo(BigInteger.valueOf(4_500_000_000L));
        assertThat(tx.getMaxPriorityFeePerGas()).isEqualTo(BigInteger.valueOf(500_000_000L));

        cli.env("GRIDCHAIN_PRIORITY_FEE_GWEI", "0");
        Transaction fromEnv = tx(json(cli.run("account", "deposit", "1", "--json").assertOk()).get("tx").asText());
        assertThat(fromEnv.getMaxPriorityFeePerGas()).isZero(); // (flags beat the environment: ConfigTest)
        Balance before = observer.balanceOf(ADDRESS);
        assertThat(cli.run("account", "deposit", "1", "--max-fee-gwei", "abc").assertOneLineError(2))
                .isEqualTo("error: the max fee 'abc' is not a number of gwei (e.g. 1.5) (flag --max-fee-gwei)");
        assertThat(cli.run("account", "deposit", "1", "--max-fee-gwei", "1", "--priority-fee-gwei", "2")
                .assertOneLineError(2)).contains("cannot exceed the max fee (1 gwei)");
        assertThat(observer.balanceOf(ADDRESS)).isEqualTo(before);
    }

    @Test
    void anUnreachableNodeIsExit3AndBadAmountsExit2AndBalancesStayUntouched() {
        Cli cli = wallet();
        Balance before = observer.balanceOf(ADDRESS);
        assertThat(cli.run("account", "deposit", "10", "--rpc", "http://127.0.0.1:1").assertOneLineError(3))
                .contains("cannot reach an Ethereum node at http://127.0.0.1:1");
        assertThat(cli.env("GRIDCHAIN_RPC", "http://127.0.0.1:1").run("account", "withdraw", "1").assertOneLineError(3))
                .contains("check the RPC URL and that the node is running");
        // picocli's usage errors: the message and a hint line, exit 2
        Cli.Run bad = cli.run("account", "deposit", "ten");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: ").contains("'ten' is not a whole number of tokens");
        assertThat(cli.run("account", "withdraw", "0").code()).isEqualTo(2);
        assertThat(cli.run("account", "balance", "0x1234").assertOneLineError(2)).contains("is not an address");
        assertThat(observer.balanceOf(ADDRESS)).isEqualTo(before);
    }

    @Test
    void helpOfEveryAccountCommandHasExamples() {
        for (String[] args : new String[][] {{"account"}, {"account", "deposit"}, {"account", "withdraw"},
                {"account", "balance"}, {"account", "bond"}, {"account", "unbond"}, {"account", "collect"}}) {
            assertThat(Cli.help(args)).as(String.join(" ", args)).contains("Examples:");
        }
    }

    private static Transaction tx(String hash) throws Exception {
        return net.chain().web3j().ethGetTransactionByHash(hash).send().getTransaction().orElseThrow();
    }

    private static JsonNode json(Cli.Run r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }
}
