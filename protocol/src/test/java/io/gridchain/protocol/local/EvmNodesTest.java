package io.gridchain.protocol.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.poco.Batch;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * The protocol on both development EVMs, anvil and Hardhat's EDR, whatever {@code gridchain.evm} says:
 * deploy, certify a bag of tasks in one batch, decode the hub's custom error, move the clock and set a
 * balance through the development calls both answer.
 */
class EvmNodesTest {
    @ParameterizedTest
    @ValueSource(strings = {AnvilNode.NAME, EdrNode.NAME})
    void deploysCertifiesABagAndDecodesTheHubsRefusal(String name) throws Exception {
        try (Fixture f = new Fixture(EvmNode.named(name))) {
            assertThat(f.net.evm().name()).isEqualTo(name);
            assertThat(f.net.chain().chainId()).isEqualTo(LocalChain.CHAIN_ID);
            String first = Credentials.create(LocalChain.DEV_PRIVATE_KEYS.get(0)).getAddress();
            assertThat(f.net.accounts().get(0).getAddress()).isEqualTo(first);

            DealRecord deal = f.deal(50, 5);
            Batch batch = f.agreeingBatch(deal, 0, 50, 3);
            f.scheduler.finalizeBatch(deal, batch, f.signatures(batch));
            for (long i : List.of(0L, 49L)) {
                assertThat(f.owner.taskStatus(deal.taskId(i))).isEqualTo(GridClient.TaskStatus.FINALIZED);
            }
            assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());

            // the hub's custom error comes back decoded by name, not as the node's own wording
            assertThatThrownBy(() -> f.scheduler.finalizeBatch(deal, batch, f.signatures(batch)))
                    .isInstanceOf(RevertException.class)
                    .satisfies(e -> assertThat(((RevertException) e).errorName()).isNotIn("Rejected", "Unknown"));

            long before = f.net.chain().latestTimestamp();
            f.net.advanceTime(3_600);
            assertThat(f.net.chain().latestTimestamp()).isGreaterThanOrEqualTo(before + 3_600);

            String stranger = "0x" + "00".repeat(19) + "42";
            f.net.setBalance(stranger, BigInteger.TEN.pow(18));
            assertThat(f.net.chain().web3j().ethGetBalance(stranger, DefaultBlockParameterName.LATEST).send()
                    .getBalance()).isEqualTo(BigInteger.TEN.pow(18));
        }
    }

    @Test
    void theNodeIsChosenByNameAndAnUnknownNameSaysWhichExist() {
        assertThat(EvmNode.named(" EDR ").name()).isEqualTo(EdrNode.NAME);
        assertThat(EvmNode.named("anvil").canReorganise()).isTrue();
        assertThat(EvmNode.named("edr").canReorganise()).isFalse();
        assertThatThrownBy(() -> EvmNode.named("geth"))
                .hasMessage("gridchain.evm=geth is not a known EVM node: use anvil or edr");
    }
}
