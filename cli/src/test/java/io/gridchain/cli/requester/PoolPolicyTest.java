package io.gridchain.cli.requester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.cli.config.Settings;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run's minimums: the flag, else the profile's setting, else the default; bad values are usage errors. */
class PoolPolicyTest {
    @TempDir Path dir;

    Settings settings(Profile profile) {
        Path file = dir.resolve("config.json");
        Config.empty().withProfile("p", profile).withCurrentProfile("p").save(file);
        return Settings.resolve(new Settings.Flags(file, null, null, null, null), Map.of());
    }

    @Test
    void withoutFlagOrProfileTheDefaultsAreABondOf1000AndNoReputation() {
        Settings s = settings(Profile.empty());
        assertThat(PoolPolicy.minBond(null, s)).isEqualTo(BigInteger.valueOf(1_000));
        assertThat(PoolPolicy.minReputation(null, s)).isZero();
    }

    @Test
    void theProfileSetsTheDefaultsAndAFlagOverridesThem() {
        Settings s = settings(Profile.empty().with("minPoolBond", "50000").with("minPoolReputation", "7"));
        assertThat(s.profile().get("minPoolBond")).isEqualTo("50000");
        assertThat(PoolPolicy.minBond(null, s)).isEqualTo(BigInteger.valueOf(50_000));
        assertThat(PoolPolicy.minReputation(null, s)).isEqualTo(7);
        assertThat(PoolPolicy.minBond(BigInteger.ZERO, s)).isZero();
        assertThat(PoolPolicy.minReputation(0L, s)).isZero();
        // an empty value removes the key again
        assertThat(Profile.empty().with("minPoolBond", "5").with("minPoolBond", "").get("minPoolBond")).isNull();
    }

    @Test
    void negativeOrMalformedMinimumsAreUsageErrors() throws Exception {
        assertThatThrownBy(() -> PoolPolicy.minBond(BigInteger.valueOf(-1), settings(Profile.empty())))
                .hasMessage("--min-pool-bond must not be negative, got -1");
        assertThatThrownBy(() -> PoolPolicy.minReputation(-2L, settings(Profile.empty())))
                .hasMessage("--min-pool-reputation must not be negative, got -2");
        assertThatThrownBy(() -> Profile.empty().with("minPoolBond", "lots"))
                .hasMessage("minPoolBond must be a whole number of at least 0, got 'lots'")
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(2));
        Path file = dir.resolve("edited.json");
        Files.writeString(file, "{\"profile\":\"p\",\"profiles\":{\"p\":{\"minPoolBond\":\"-5\"}}}");
        Settings edited = Settings.resolve(new Settings.Flags(file, null, null, null, null), Map.of());
        assertThatThrownBy(() -> PoolPolicy.minBond(null, edited)).hasMessageStartingWith("profile p: minPoolBond must be "
                + "a whole number of at least 0, got '-5'");
    }
}
