package io.gridchain.protocol.orders;

import java.security.SecureRandom;
import org.web3j.utils.Numeric;

/** Random salts make otherwise identical orders distinct. */
public final class Salts {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static String random() {
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return Numeric.toHexString(salt);
    }

    private Salts() {}
}
