package io.gridchain.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.errors.RevertDecoder;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.Response;

/** How TxSender reads the errors of different EVM nodes: no chain needed. */
class NodeErrorsTest {
    @Test
    void revertDataIsAStringOnAnvilAndGethAndInsideAnObjectOnHardhat() {
        assertThat(RevertDecoder.revertData("\"0xdeadbeef\"")).isEqualTo("0xdeadbeef");
        assertThat(RevertDecoder.revertData("{\"reason\":{\"Revert\":\"0xdeadbeef\"},\"data\":\"0xdeadbeef\","
                + "\"transactionHash\":null}")).isEqualTo("0xdeadbeef");
        assertThat(RevertDecoder.revertData("{\"message\":\"no data here\"}")).isNull();
        assertThat(RevertDecoder.revertData(null)).isNull();
    }

    @Test
    void aCustomErrorInHardhatsErrorObjectIsDecodedByName() {
        // InsufficientStake(address,uint256,uint256) as EDR reports it from eth_estimateGas
        String data = "0x936d426d" + "0".repeat(24) + "4d0b954cef3c0742cd42fba876eefe1b126d7127"
                + "0".repeat(62) + "1e" + "0".repeat(64);
        Response.Error error = new Response.Error(-32000, "VM Exception while processing transaction: reverted with "
                + "an unrecognized custom error (return data: " + data + ")");
        error.setData("{\"reason\":{\"Revert\":\"" + data + "\"},\"data\":\"" + data + "\",\"transactionHash\":null}");
        assertThat(TxSender.revertOf(error).errorName()).isEqualTo("InsufficientStake");
    }

    @Test
    void aMissingMethodIsMinus32601OnGethAndAnvilAndMinus32004OnHardhat() {
        assertThat(TxSender.methodMissing(-32601)).isTrue();
        assertThat(TxSender.methodMissing(-32004)).isTrue();
        assertThat(TxSender.methodMissing(-32000)).isFalse();
        assertThat(TxSender.methodMissing(3)).isFalse();
    }
}
