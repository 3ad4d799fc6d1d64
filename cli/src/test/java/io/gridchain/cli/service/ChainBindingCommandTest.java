package io.gridchain.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.config.Cli;
import io.gridchain.market.Market;
import io.gridchain.market.OrderStore;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.scheduler.state.JdbcStateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `scheduler start` and `market start` on state saved on another chain (here: the same chain id and hub, another
 * genesis, as after an anvil restart): one line naming both chains and what to do, exit code 1, nothing started.
 */
class ChainBindingCommandTest {
    private static final String OWNER_KEY = LocalChain.DEV_PRIVATE_KEYS.get(9);
    private static final String OLD_GENESIS = "0x" + "ab12".repeat(16);

    @TempDir Path home;

    @Test
    void stateOfAnotherChainIsRefusedInOneLine() throws Exception {
        LocalProtocol net = Cli.devnet();
        String hub = net.protocol().addresses().hub();
        ChainBinding old = new ChainBinding(net.chain().chainId(), OLD_GENESIS, hub);
        String genesis = ChainBinding.read(net.chain(), hub).genesis();

        Cli owner = new Cli(home.resolve("owner")).withDevnetProfile(net).env("GRIDCHAIN_PASSWORD", "pw");
        owner.run("wallet", "import", "--private-key-file", owner.file("key.txt", OWNER_KEY).toString()).assertOk();
        String pool = new ObjectMapper().readTree(owner.run("pool", "create", "--json").assertOk().out())
                .get("workerpool").asText();
        owner.run("account", "deposit", "2000").assertOk();
        owner.run("account", "bond", pool, "1000").assertOk();

        Path schedulerData = home.resolve("scheduler-data");
        try (JdbcStateStore store = JdbcStateStore.sqlite(schedulerData.resolve("scheduler.db"))) {
            store.bind(old);
            store.setCursor(500);
        }
        String line = owner.run("scheduler", "start", "--pool", pool, "--data", schedulerData.toString())
                .assertOneLineError(1);
        assertThat(line).isEqualTo("error: the scheduler's state in " + schedulerData.toAbsolutePath()
                + " belongs to " + old.describe() + ", but the node at " + net.rpcUrl() + " is genesis " + genesis
                + ": start with another --data directory, or delete " + schedulerData.toAbsolutePath()
                + " to start over");

        Path marketData = home.resolve("market-data");
        try (OrderStore book = OrderStore.open(marketData.resolve(Market.BOOK_FILE))) {
            book.bind(old);
        }
        assertThat(owner.run("market", "start", "--data", marketData.toString()).assertOneLineError(1))
                .startsWith("error: the order book in " + marketData.toAbsolutePath().resolve(Market.BOOK_FILE)
                        + " belongs to " + old.describe())
                .contains("is genesis " + genesis).contains("start with another --data directory");
    }
}
