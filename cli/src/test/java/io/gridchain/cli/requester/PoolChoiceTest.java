package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.cli.requester.PoolChoice.Candidate;
import io.gridchain.cli.requester.PoolChoice.Chosen;
import io.gridchain.cli.requester.PoolChoice.Decision;
import io.gridchain.cli.requester.PoolChoice.Facts;
import io.gridchain.cli.requester.PoolChoice.Minimums;
import io.gridchain.cli.requester.PoolChoice.Refused;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolChoiceTest {
    static final String HONEST = "0x00000000000000000000000000000000000000a1";
    static final String SYBIL = "0x00000000000000000000000000000000000000b2";
    static final String OTHER = "0x00000000000000000000000000000000000000c3";
    static final Minimums DEFAULTS = new Minimums(BigInteger.valueOf(1_000), 0, Set.of());

    static Candidate<String> pool(String pool, long price, long bond, long reputation) {
        return pool(pool, price, bond, reputation, false);
    }

    static Candidate<String> pool(String pool, long price, long bond, long reputation, boolean leaving) {
        return new Candidate<>("order of " + pool, pool, BigInteger.valueOf(price),
                new Facts("0x00000000000000000000000000000000000000ee", BigInteger.valueOf(bond), leaving, reputation,
                        "pool " + pool.substring(pool.length() - 2)));
    }

    @Test
    void aFreeUnbondedPoolIsPassedOverForTheCheapestBondedOneAndTheLineSaysWhy() {
        Decision<String> d = PoolChoice.choose(List.of(pool(HONEST, 100, 5_000, 120), pool(SYBIL, 0, 1, 0),
                pool(OTHER, 150, 2_000, 3)), DEFAULTS);
        assertThat(d).isInstanceOf(Chosen.class);
        assertThat(((Chosen<String>) d).candidate().offer()).isEqualTo("order of " + HONEST);
        assertThat(d.reason()).isEqualTo("chose pool " + HONEST + " \"pool a1\" (bond 5,000, reputation 120, price 100): "
                + "cheapest of 2 pools meeting bond >= 1,000 and reputation >= 0; passed over 1 cheaper: "
                + SYBIL + " bond 1 < 1,000");
    }

    @Test
    void whenNoneMeetsTheMinimumEachIsNamedWithItsShortfallAndTheWayOut() {
        Decision<String> d = PoolChoice.choose(List.of(pool(SYBIL, 0, 0, 0), pool(OTHER, 10, 50_000, 0, true)),
                DEFAULTS);
        assertThat(d).isInstanceOf(Refused.class);
        assertThat(((Refused<String>) d).rejections()).containsExactly(SYBIL + " bond 0 < 1,000",
                OTHER + " leaving (its owner asked for its bond back)");
        assertThat(d.reason()).startsWith("no pool meets your minimum (bond >= 1,000 and reputation >= 0): ")
                .contains("lower --min-pool-bond").doesNotContain("--min-pool-reputation");
    }

    @Test
    void anExplicitZeroMinimumChoosesTheCheapestKnowingly() {
        Decision<String> d = PoolChoice.choose(List.of(pool(HONEST, 100, 5_000, 120), pool(SYBIL, 0, 1, 0)),
                new Minimums(BigInteger.ZERO, 0, Set.of()));
        assertThat(((Chosen<String>) d).candidate().pool()).isEqualTo(SYBIL);
        assertThat(d.reason()).contains("bond 1,").doesNotContain("passed over");
    }

    @Test
    void aLeavingPoolIsNeverChosenEvenWithoutMinimums() {
        Decision<String> d = PoolChoice.choose(List.of(pool(SYBIL, 0, 1_000_000, 900, true)),
                new Minimums(BigInteger.ZERO, 0, Set.of()));
        assertThat(d).isInstanceOf(Refused.class);
        assertThat(d.reason()).contains("leaving").contains("Wait for a bonded pool");
    }

    @Test
    void reputationBelowTheMinimumIsRefusedWithItsOwnHint() {
        Decision<String> d = PoolChoice.choose(List.of(pool(HONEST, 100, 5_000, 4)),
                new Minimums(BigInteger.ONE, 10, Set.of()));
        assertThat(((Refused<String>) d).rejections()).containsExactly(HONEST + " reputation 4 < 10");
        assertThat(d.reason()).contains("lower --min-pool-reputation").doesNotContain("--min-pool-bond");
    }

    @Test
    void theAllowlistKeepsOnlyItsPoolsWhateverTheirCaseAndPrice() {
        Decision<String> d = PoolChoice.choose(List.of(pool(SYBIL, 0, 9_000, 50), pool(OTHER, 300, 9_000, 50),
                pool(HONEST, 100, 9_000, 50)), new Minimums(BigInteger.ZERO, 0, Set.of(OTHER.toUpperCase().replace("0X",
                "0x"), HONEST)));
        assertThat(((Chosen<String>) d).candidate().pool()).isEqualTo(HONEST);
        assertThat(d.reason()).contains("in your allowlist").contains(SYBIL + " not in your allowlist");
    }

    @Test
    void anUnregisteredPoolIsRefused() {
        Candidate<String> ghost = new Candidate<>("x", OTHER, BigInteger.ONE, new Facts(
                "0x0000000000000000000000000000000000000000", BigInteger.ZERO, false, 0, ""));
        assertThat(PoolChoice.choose(List.of(ghost), new Minimums(BigInteger.ZERO, 0, Set.of())).reason())
                .contains(OTHER + " not registered");
    }

    @Test
    void aFloodOfSybilPoolsIsCountedNotListedInFull() {
        List<Candidate<String>> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) flood.add(pool(String.format("0x%040x", 0x1000 + i), 0, 1, 0));
        flood.add(pool(HONEST, 100, 5_000, 120));
        Decision<String> d = PoolChoice.choose(flood, DEFAULTS);
        assertThat(((Chosen<String>) d).candidate().pool()).isEqualTo(HONEST);
        assertThat(d.reason()).contains("passed over 40 cheaper: ").endsWith("; and 35 more");
        Decision<String> none = PoolChoice.choose(flood.subList(0, 40), DEFAULTS);
        assertThat(none.reason()).contains("; and 35 more. To use one of them knowingly");
    }

    @Test
    void noCandidatesAtAllSaysSo() {
        assertThat(PoolChoice.choose(List.<Candidate<String>>of(), DEFAULTS).reason())
                .startsWith("no workerpool order matches this run");
    }

    @Test
    void aPoolsDescriptionIsShownAsAQuotedClaimWithoutControlCharacters() {
        assertThat(PoolChoice.label("official\r\u001b[2Kpool")).isEqualTo(" \"official  [2Kpool\"");
        assertThat(PoolChoice.label("x".repeat(60))).hasSize(44);
        assertThat(PoolChoice.label(" ")).isEmpty();
    }
}
