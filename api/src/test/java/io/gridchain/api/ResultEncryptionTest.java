package io.gridchain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

class ResultEncryptionTest {
    static final Credentials BENEFICIARY =
            Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final Credentials STRANGER =
            Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    static final String PUBLIC = Numeric.toHexStringWithPrefixZeroPadded(BENEFICIARY.getEcKeyPair().getPublicKey(), 128);

    @Test
    void onlyTheBeneficiaryOpensTheSealedResult() {
        byte[] archive = "primes below 100: 25\n".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = ResultEncryption.seal(archive, PUBLIC);
        assertThat(sealed).isNotEqualTo(archive);
        assertThat(ResultEncryption.open(sealed, BENEFICIARY.getEcKeyPair().getPrivateKey())).isEqualTo(archive);
        assertThatThrownBy(() -> ResultEncryption.open(sealed, STRANGER.getEcKeyPair().getPrivateKey()))
                .hasMessage("cannot open the sealed result: wrong key or altered bytes");
    }

    @Test
    void alteredBlobsAndBadKeysAreRefused() {
        byte[] sealed = ResultEncryption.seal(new byte[] {1, 2, 3}, PUBLIC);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> ResultEncryption.open(sealed, BENEFICIARY.getEcKeyPair().getPrivateKey()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ResultEncryption.validKey(PUBLIC)).isTrue();
        assertThat(ResultEncryption.validKey("0x04" + PUBLIC.substring(2))).isTrue();
        assertThat(ResultEncryption.validKey("0x1234")).isFalse();
    }
}
