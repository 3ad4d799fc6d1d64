package io.gridchain.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.FixtureTest;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameter;

/** Reading the binding from a real anvil. */
class ChainBindingReadTest extends FixtureTest {
    @Test
    void theBindingIsTheNodesChainIdGenesisHashAndTheHub() throws Exception {
        ChainClient chain = f.net.chain();
        String hub = f.net.protocol().addresses().hub();
        ChainBinding binding = ChainBinding.read(chain, hub);
        String genesis = chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.ZERO), false)
                .send().getBlock().getHash();
        assertThat(binding.chainId()).isEqualTo(chain.chainId());
        assertThat(binding.genesis()).isEqualTo(genesis.toLowerCase()).matches("0x[0-9a-f]{64}");
        assertThat(binding.hub()).isEqualTo(hub.toLowerCase());
        // blocks mined since do not move it
        f.appOwner.createApp("binding-probe", "wasm", "http://x/p", io.gridchain.protocol.Fixture.digest("p"));
        assertThat(ChainBinding.check(java.util.Optional.of(binding), ChainBinding.read(chain, hub)).verdict())
                .isEqualTo(ChainBinding.Verdict.MATCH);
    }
}
