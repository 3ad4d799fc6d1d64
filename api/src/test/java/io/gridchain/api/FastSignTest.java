package io.gridchain.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

class FastSignTest {
    @Test
    void signsExactlyAsWeb3jDoes() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            Credentials key = Credentials.create(Keys.createEcKeyPair());
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            Sign.SignatureData expected = Sign.signMessage(hash, key.getEcKeyPair(), false);
            byte[] raw = new byte[65];
            System.arraycopy(expected.getR(), 0, raw, 0, 32);
            System.arraycopy(expected.getS(), 0, raw, 32, 32);
            raw[64] = expected.getV()[0];
            assertThat(FastSign.sign(hash, key.getEcKeyPair().getPrivateKey())).isEqualTo(raw);
        }
    }
}
