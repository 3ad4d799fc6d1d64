package io.gridchain.protocol.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.chain.Fees.Action;
import io.gridchain.protocol.chain.Fees.Refusal;
import io.gridchain.protocol.chain.Fees.Seen;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeesTest {
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);

    private static BigInteger gwei(long n) {
        return GWEI.multiply(BigInteger.valueOf(n));
    }

    @Test
    void theMaxFeeIsTwiceTheBaseFeePlusTheNodesTip() {
        FeeQuote q = Fees.quote(gwei(10), gwei(2), null, FeePolicy.AUTO);
        assertThat(q.legacy()).isFalse();
        assertThat(q.maxPriorityFeePerGas()).isEqualTo(gwei(2));
        assertThat(q.maxFeePerGas()).isEqualTo(gwei(22));
    }

    @Test
    void aNodeWithoutTipSuggestionGetsOneGweiAndAZeroTipIsKept() {
        assertThat(Fees.quote(gwei(10), null, null, FeePolicy.AUTO).maxPriorityFeePerGas()).isEqualTo(gwei(1));
        assertThat(Fees.quote(gwei(10), BigInteger.ZERO, null, FeePolicy.AUTO))
                .isEqualTo(FeeQuote.eip1559(gwei(20), BigInteger.ZERO));
    }

    @Test
    void flagsOverrideEitherFeeAndTheTipNeverExceedsTheMaxFee() {
        assertThat(Fees.quote(gwei(10), gwei(2), null, FeePolicy.ofGwei(null, "0.5")))
                .isEqualTo(FeeQuote.eip1559(gwei(20).add(GWEI.divide(BigInteger.TWO)), GWEI.divide(BigInteger.TWO)));
        assertThat(Fees.quote(gwei(10), gwei(2), null, FeePolicy.ofGwei("7", null)))
                .isEqualTo(FeeQuote.eip1559(gwei(7), gwei(2)));
        assertThat(Fees.quote(gwei(10), gwei(9), null, FeePolicy.ofGwei("3", null)))
                .isEqualTo(FeeQuote.eip1559(gwei(3), gwei(3)));
        assertThat(Fees.quote(gwei(10), gwei(2), null, FeePolicy.ofGwei("30", "0")))
                .isEqualTo(FeeQuote.eip1559(gwei(30), BigInteger.ZERO));
    }

    @Test
    void aChainWithoutBaseFeeGetsALegacyGasPrice() {
        assertThat(Fees.quote(null, null, gwei(4), FeePolicy.AUTO)).isEqualTo(FeeQuote.legacy(gwei(4)));
        assertThat(Fees.quote(null, null, gwei(4), FeePolicy.ofGwei("6", "1"))).isEqualTo(FeeQuote.legacy(gwei(6)));
    }

    @Test
    void gweiFlagsAcceptDecimalsAndRefuseNonsense() {
        assertThat(FeePolicy.ofGwei("1.5", "0.000000001"))
                .isEqualTo(new FeePolicy(BigInteger.valueOf(1_500_000_000L), BigInteger.ONE));
        assertThat(FeePolicy.ofGwei(null, " ").isAuto()).isTrue();
        assertThatThrownBy(() -> FeePolicy.ofGwei("abc", null)).hasMessageContaining("'abc' is not a number of gwei");
        assertThatThrownBy(() -> FeePolicy.ofGwei("0.0000000001", null)).hasMessageContaining("more than 9 decimals");
        assertThatThrownBy(() -> FeePolicy.ofGwei(null, "-1")).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> FeePolicy.ofGwei("0", null)).hasMessageContaining("above 0");
        assertThatThrownBy(() -> FeePolicy.ofGwei("1", "2")).hasMessageContaining("cannot exceed the max fee (1 gwei)");
    }

    @Test
    void aBumpRaisesBothFeesByAQuarterRoundedUp() {
        FeeQuote sent = FeeQuote.eip1559(BigInteger.valueOf(1001), BigInteger.valueOf(3));
        assertThat(Fees.bump(sent, FeePolicy.AUTO))
                .contains(FeeQuote.eip1559(BigInteger.valueOf(1252), BigInteger.valueOf(4)));
        assertThat(Fees.bump(FeeQuote.legacy(gwei(4)), FeePolicy.AUTO)).contains(FeeQuote.legacy(gwei(5)));
        // a zero tip stays zero, which still satisfies the nodes' +10 % rule
        assertThat(Fees.bump(FeeQuote.eip1559(gwei(4), BigInteger.ZERO), FeePolicy.AUTO))
                .contains(FeeQuote.eip1559(gwei(5), BigInteger.ZERO));
    }

    @Test
    void aBumpStopsAtTheUsersMaxFeeAndIsRefusedBelowTheTenPercentNodesRequire() {
        FeeQuote sent = FeeQuote.eip1559(gwei(100), gwei(10));
        assertThat(Fees.bump(sent, new FeePolicy(gwei(115), null))).contains(FeeQuote.eip1559(gwei(115), gwei(12)
                .add(GWEI.divide(BigInteger.TWO))));
        assertThat(Fees.bump(sent, new FeePolicy(gwei(109), null))).isEmpty();
        assertThat(Fees.bump(sent, new FeePolicy(gwei(100), null))).isEmpty();
        // the tip is capped with the max fee: at 100 gwei both, a cap of 105 allows no valid tip raise
        assertThat(Fees.bump(FeeQuote.eip1559(gwei(100), gwei(100)), new FeePolicy(gwei(105), null))).isEmpty();
    }

    @Test
    void aReplacementFollowsABaseFeeThatClimbedBeyondTheBump() {
        FeeQuote sent = FeeQuote.eip1559(gwei(20), gwei(1));
        FeeQuote fresh = FeeQuote.eip1559(gwei(60), gwei(1));
        assertThat(Fees.replacement(sent, fresh, FeePolicy.AUTO)).contains(FeeQuote.eip1559(gwei(60),
                GWEI.add(GWEI.divide(BigInteger.valueOf(4)))));
        assertThat(Fees.replacement(sent, FeeQuote.eip1559(gwei(2), gwei(1)), FeePolicy.AUTO))
                .isEqualTo(Fees.bump(sent, FeePolicy.AUTO));
    }

    @Test
    void aTransactionWithoutReceiptIsReplacedAFewTimesThenRebroadcastOrWaitedFor() {
        assertThat(Fees.onNoReceipt(Seen.UNKNOWN, 0, true)).isEqualTo(Action.REPLACE);
        assertThat(Fees.onNoReceipt(Seen.PENDING, 2, true)).isEqualTo(Action.REPLACE);
        assertThat(Fees.onNoReceipt(Seen.MINED, 0, true)).isEqualTo(Action.WAIT);
        assertThat(Fees.onNoReceipt(Seen.UNKNOWN, Fees.MAX_BUMPS, true)).isEqualTo(Action.REBROADCAST);
        assertThat(Fees.onNoReceipt(Seen.UNKNOWN, 0, false)).isEqualTo(Action.REBROADCAST);
        assertThat(Fees.onNoReceipt(Seen.PENDING, Fees.MAX_BUMPS, true)).isEqualTo(Action.WAIT);
    }

    @Test
    void nodeRefusalsAreReadInTheWordingsOfSeveralNodes() {
        assertThat(Fees.classify("nonce too low")).isEqualTo(Refusal.NONCE_TOO_LOW);
        assertThat(Fees.classify("Nonce too low. Expected nonce to be 5 but got 3.")).isEqualTo(Refusal.NONCE_TOO_LOW);
        assertThat(Fees.classify("already known")).isEqualTo(Refusal.ALREADY_KNOWN);
        assertThat(Fees.classify("transaction already imported")).isEqualTo(Refusal.ALREADY_KNOWN);
        assertThat(Fees.classify("replacement transaction underpriced")).isEqualTo(Refusal.UNDERPRICED);
        assertThat(Fees.classify("max fee per gas less than block base fee")).isEqualTo(Refusal.BELOW_BASE_FEE);
        assertThat(Fees.classify("Insufficient funds for gas * price + value")).isEqualTo(Refusal.INSUFFICIENT_FUNDS);
        assertThat(Fees.classify("insufficient funds for gas * price + value: balance 0")).isEqualTo(Refusal.INSUFFICIENT_FUNDS);
        assertThat(Fees.classify("execution reverted")).isEqualTo(Refusal.OTHER);
        assertThat(Fees.classify(null)).isEqualTo(Refusal.OTHER);
    }

    @Test
    void aNodeWithoutTheSyncMethodIsRecognisedInItsOwnWords() {
        assertThat(Fees.isUnknownMethod("Method not found")).isTrue();
        assertThat(Fees.isUnknownMethod("the method eth_sendRawTransactionSync does not exist/is not available")).isTrue();
        assertThat(Fees.isUnknownMethod("Method eth_sendRawTransactionSync is not supported")).isTrue();
        assertThat(Fees.isUnknownMethod("nonce too low")).isFalse();
        assertThat(Fees.isUnknownMethod("insufficient funds for gas * price + value")).isFalse();
    }

    @Test
    void theShortfallMessageNamesAccountAmountsAndWhatToSend() {
        BigInteger milli = BigInteger.TEN.pow(15);
        var e = new InsufficientFundsException("0xABC", milli, milli.multiply(BigInteger.valueOf(42)).divide(BigInteger.TEN));
        assertThat(e).hasMessage("account 0xabc has 0.001 ETH but this transaction may cost up to 0.0042 ETH"
                + " (gas limit x max fee + value): send it at least 0.0032 ETH");
        assertThat(e.shortfall()).isEqualTo(milli.multiply(BigInteger.valueOf(32)).divide(BigInteger.TEN));
        // rounded up: sending the amount shown is always enough
        assertThat(new InsufficientFundsException("0xabc", BigInteger.ZERO, BigInteger.ONE).getMessage())
                .endsWith("send it at least 0.000001 ETH");
    }

    @Test
    void theMaxCostIsEveryUnitOfGasAtTheMaxFeePlusTheValue() {
        assertThat(FeeQuote.eip1559(gwei(2), gwei(1)).maxCost(BigInteger.valueOf(21_000), BigInteger.TEN))
                .isEqualTo(gwei(42_000).add(BigInteger.TEN));
        assertThat(Optional.of(FeeQuote.legacy(gwei(1)).maxCost(BigInteger.ONE, null))).contains(GWEI);
    }
}
