package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Profile;
import io.gridchain.cli.config.Settings;
import java.math.BigInteger;

/** The requester's minimums for a pool: the flag, else the profile's setting, else the default. */
final class PoolPolicy {
    static BigInteger minBond(BigInteger flag, Settings settings) {
        if (flag != null) {
            if (flag.signum() < 0) throw UserError.usage("--min-pool-bond must not be negative, got " + flag);
            return flag;
        }
        String v = fromProfile(settings, Profile.MIN_POOL_BOND);
        return v == null ? PoolPick.DEFAULT_MIN_BOND : new BigInteger(v);
    }

    static long minReputation(Long flag, Settings settings) {
        if (flag != null) {
            if (flag < 0) throw UserError.usage("--min-pool-reputation must not be negative, got " + flag);
            return flag;
        }
        String v = fromProfile(settings, Profile.MIN_POOL_REPUTATION);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** The profile's value, checked again here: the file may have been edited by hand. */
    private static String fromProfile(Settings settings, String key) {
        Profile p = settings.profile();
        JsonNode v = p == null ? null : p.extra().get(key);
        if (v == null || v.isNull()) return null;
        String text = v.asText().strip();
        if (!text.matches("[0-9]{1,30}") || (key.equals(Profile.MIN_POOL_REPUTATION) && text.length() > 18)) {
            throw UserError.usage("profile " + settings.profileName().value() + ": " + key
                    + " must be a whole number of at least 0, got '" + text + "': `gridchain config set " + key + " N`");
        }
        return text;
    }

    private PoolPolicy() {}
}
