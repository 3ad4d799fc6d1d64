package io.gridchain.protocol.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

class RevertDecoderTest {
    @Test
    void decodesACustomErrorIntoItsSentence() {
        String data = FunctionEncoder.encode(new Function("WorkerpoolPriceTooHigh",
                List.of(new Uint256(5), new Uint256(7)), List.of()));
        RevertException e = RevertDecoder.decode(data);
        assertThat(e.errorName()).isEqualTo("WorkerpoolPriceTooHigh");
        assertThat(e.getMessage()).isEqualTo("request max price 5 is below workerpool price 7");
    }

    @Test
    void decodesRequireStringsAndPanics() {
        String error = FunctionEncoder.encode(new Function("Error", List.of(new Utf8String("nope")), List.of()));
        assertThat(RevertDecoder.decode(error).getMessage()).isEqualTo("nope");
        String panic = FunctionEncoder.encode(new Function("Panic", List.of(new Uint256(BigInteger.valueOf(0x11))),
                List.of()));
        assertThat(RevertDecoder.decode(panic).getMessage()).isEqualTo("contract panic 0x11");
    }

    @Test
    void unknownOrEmptyDataStillGivesOneLine() {
        assertThat(RevertDecoder.decode("0xdeadbeef").getMessage())
                .isEqualTo("transaction reverted with unknown error 0xdeadbeef");
        assertThat(RevertDecoder.decode("0x").getMessage()).isEqualTo("transaction reverted without a reason");
        assertThat(RevertDecoder.decode(null).errorName()).isEqualTo("Unknown");
    }
}
