package io.gridchain.protocol.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
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

    @Test
    void theNewErrorsSayWhatIsWrongAndWhatToDo() {
        String scheduler = "0x00000000000000000000000000000000000000aa";
        String worker = "0x00000000000000000000000000000000000000bb";
        assertThat(decode("PoolNotBonded", new Address(scheduler), new Address(worker), new Uint256(0), new Uint256(1)))
                .isEqualTo("workerpool " + scheduler + " cannot serve: its owner " + worker + " has 0 bonded in its own "
                        + "pool, less than 1, or asked to unbond: bond at least 1 there");
        assertThat(decode("InsufficientBond", new Address(scheduler), new Address(worker), new Uint256(30),
                new Uint256(29))).isEqualTo("worker " + worker + " has 29 bonded in the pool of " + scheduler
                        + " but 30 are needed: bond more there (bondFor)");
        assertThat(decode("BondStillLocked", new Address(scheduler), new Address(worker), new Uint256(0)))
                .contains("cannot leave", "request the unbond first");
        assertThat(decode("BondStillLocked", new Address(scheduler), new Address(worker), new Uint256(1234)))
                .contains("may leave only from unix time 1234", "wait");
        assertThat(decode("ContributionsClosed", new Bytes32(new byte[32]), new Uint256(99)))
                .contains("closed at unix time 99", "reveal instead");
        assertThat(decode("NoConsensusReached", new Bytes32(new byte[32]), new Bytes32(new byte[32])))
                .contains("does not reach the deal's trust", "claim after the deadline");
        assertThat(decode("BondLeavesBeforeDeadline", new Address(worker), new Uint256(5), new Uint256(6)))
                .contains("before the deal's deadline 6", "bond again");
        assertThat(decode("CategoryTimeTooLong", new Uint256(100_000), new Uint256(86_400)))
                .isEqualTo("a category's reference time 100000 s is above the maximum 86400 s: choose a shorter one");
        assertThat(decode("NotContributor", new Address(worker), new Bytes32(new byte[32])))
                .contains("did not contribute", "only contributors reveal");
        assertThat(decode("NoContributions", new Bytes32(new byte[32]))).contains("no contributions to close", "wait");
    }

    /** Every error the hub can revert with, at its address, has a sentence rather than the raw name and values. */
    @Test
    void everyHubErrorHasASentence() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String contract : List.of("GridHub", "GridHubExtension")) {
            try (var in = RevertDecoderTest.class.getResourceAsStream("/io/gridchain/contracts/" + contract + ".json")) {
                for (var item : json.readTree(in).get("abi")) {
                    if (!"error".equals(item.path("type").asText())) continue;
                    List<String> types = new java.util.ArrayList<>();
                    for (var input : item.get("inputs")) types.add(input.get("type").asText());
                    String name = item.get("name").asText();
                    StringBuilder data = new StringBuilder(org.web3j.crypto.Hash.sha3String(
                            name + "(" + String.join(",", types) + ")").substring(0, 10));
                    StringBuilder tail = new StringBuilder();
                    for (String t : types) {
                        if (t.equals("bytes") || t.equals("string")) {
                            data.append(String.format("%064x", 32 * types.size() + tail.length() / 2));
                            tail.append("0".repeat(64));
                        } else {
                            data.append("0".repeat(64));
                        }
                    }
                    RevertException e = RevertDecoder.decode(data.append(tail).toString());
                    assertThat(e.errorName()).as(contract + " " + name).isEqualTo(name);
                    assertThat(e.getMessage()).as(contract + " " + name).doesNotStartWith(name + "[").isNotBlank()
                            .doesNotContain("\n");
                }
            }
        }
    }

    private static String decode(String name, org.web3j.abi.datatypes.Type<?>... args) {
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<org.web3j.abi.datatypes.Type> list = (List) List.of(args);
        return RevertDecoder.decode(FunctionEncoder.encode(new Function(name, list, List.of()))).getMessage();
    }
}
