package io.gridchain.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The book is bound to its chain: a book kept on one anvil is not served by the order book restarted on a new anvil
 * that has the same chain id and the same contract addresses (a devnet down and up).
 */
class MarketChainBindingTest {
    @TempDir Path data;

    @Test
    void aBookOfAnotherChainIsRefusedOrDiscardedWhenAllowed() {
        String orderHash;
        String genesisA;
        Object addressesA;
        try (LocalProtocol a = LocalProtocol.start()) {
            addressesA = a.protocol().addresses();
            genesisA = ChainBinding.read(a.chain(), a.protocol().addresses().hub()).genesis();
            orderHash = publishAppOrder(a);
            try (Market again = Market.start(config(a))) {
                assertThat(again.book().get(orderHash)).as("the same chain resumes the book").isPresent();
            }
        }
        try (LocalProtocol b = LocalProtocol.start()) {
            assertThat(b.protocol().addresses()).as("the new chain looks the same").isEqualTo(addressesA);
            String genesisB = ChainBinding.read(b.chain(), b.protocol().addresses().hub()).genesis();
            assertThat(genesisB).as("anvil's genesis differs per start").isNotEqualTo(genesisA);
            String appOnB = b.client(1).createApp("primes", "wasm", "http://x/primes", "0x" + "11".repeat(32));

            assertThatThrownBy(() -> Market.start(config(b)))
                    .isInstanceOf(ChainBinding.MismatchException.class)
                    .hasMessageContaining("the order book in " + data.toAbsolutePath().resolve(Market.BOOK_FILE))
                    .hasMessageContaining(genesisA).hasMessageContaining("is genesis " + genesisB)
                    .hasMessageContaining("start with another --data directory")
                    .message().doesNotContain("\n");

            try (Market fresh = Market.start(config(b).withFreshOnMismatch(true))) {
                assertThat(fresh.book().get(orderHash)).as("chain A's order is not served on B").isEmpty();
                AppOrder order = AppOrder.of(appOnB, 2, 5);
                fresh.book().publish(order, Words.hex(b.client(1).sign(order)));
                assertThat(fresh.book().get(order.hash())).isPresent();
            }
            try (Market resumed = Market.start(config(b))) {
                assertThat(resumed.book().get(orderHash)).isEmpty();
            }
        }
    }

    private String publishAppOrder(LocalProtocol net) {
        GridClient owner = net.client(1);
        String app = owner.createApp("primes", "wasm", "http://x/primes", "0x" + "11".repeat(32));
        AppOrder order = AppOrder.of(app, 1, 5);
        try (Market market = Market.start(config(net))) {
            market.book().publish(order, Words.hex(owner.sign(order)));
            assertThat(market.book().get(order.hash())).isPresent();
        }
        return order.hash();
    }

    private Market.Config config(LocalProtocol net) {
        return Market.Config.of(net.rpcUrl(), net.protocol().addresses()).withPollMillis(50).withData(data);
    }
}
