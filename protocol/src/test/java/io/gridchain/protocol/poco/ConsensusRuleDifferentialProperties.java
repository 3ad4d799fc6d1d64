package io.gridchain.protocol.poco;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.ConsensusHarness;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.local.LocalProtocol;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.tx.gas.DefaultGasProvider;

/** One rule, two implementations: Java's {@link ConsensusRule} and the contracts' Consensus.sol agree. */
class ConsensusRuleDifferentialProperties {
    static LocalProtocol net;
    static ConsensusHarness harness;

    @BeforeContainer
    static void start() throws Exception {
        net = LocalProtocol.start();
        harness = ConsensusHarness.deploy(net.chain().web3j(), net.chain().sender(net.accounts().get(0)),
                new DefaultGasProvider()).send();
    }

    @AfterContainer
    static void stop() {
        net.close();
    }

    @Property(tries = 300)
    void javaAndSolidityDecideAlike(
            @ForAll @Size(min = 1, max = 6) List<@LongRange(min = 0, max = 5_000) Long> winners,
            @ForAll @Size(max = 3) List<@Size(min = 1, max = 4) List<@LongRange(min = 0, max = 5_000) Long>> others,
            @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long trust,
            @ForAll @IntRange(min = 0, max = 2) int huge) {
        List<Long> w = new ArrayList<>(winners);
        // Sometimes push a group towards the 2^128 saturation, where the two must still agree.
        if (huge > 0) for (int i = 0; i < 10 * huge; i++) w.add(4_000_000_000L);

        BigInteger group = ConsensusRule.groupWeight(w.stream().mapToLong(Long::longValue).toArray());
        BigInteger total = group;
        for (List<Long> o : others) total = total.add(ConsensusRule.groupWeight(o.stream().mapToLong(Long::longValue)
                .toArray()));
        boolean java = ConsensusRule.reached(group, total, BigInteger.valueOf(trust));

        List<BigInteger> chainWinners = w.stream().map(BigInteger::valueOf).toList();
        List<BigInteger> otherScores = others.stream().flatMap(List::stream).map(BigInteger::valueOf).toList();
        List<BigInteger> otherSizes = others.stream().map(o -> BigInteger.valueOf(o.size())).toList();
        Tuple3<Boolean, BigInteger, BigInteger> chain = GridClient.call(() -> harness.wins(chainWinners,
                otherScores, otherSizes, BigInteger.valueOf(trust)).send());
        assertThat(chain.component2()).as("group weight").isEqualTo(group);
        assertThat(chain.component3()).as("total weight").isEqualTo(total);
        assertThat(chain.component1()).as("consensus reached").isEqualTo(java);
    }

    @Property(tries = 200)
    void javaAndSolidityCapScoresByTheBondAlike(
            @ForAll @LongRange(min = 0, max = 4_294_967_295L) long score,
            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long bond,
            @ForAll @LongRange(min = 0, max = 1_000_000L) long stake) {
        long java = ConsensusRule.effectiveScore(score, BigInteger.valueOf(bond), BigInteger.valueOf(stake));
        BigInteger chain = GridClient.call(() -> harness.effectiveScore(BigInteger.valueOf(score),
                BigInteger.valueOf(bond), BigInteger.valueOf(stake)).send());
        assertThat(chain.longValueExact()).isEqualTo(java);
        assertThat(java).isLessThanOrEqualTo(score);
        if (stake == 0) assertThat(java).as("nothing counts without a stake").isZero();
        else assertThat(java).as("one bonded stake per counted win").isLessThanOrEqualTo(bond / stake);
    }
}
