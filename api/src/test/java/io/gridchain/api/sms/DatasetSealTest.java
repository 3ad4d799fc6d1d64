package io.gridchain.api.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatasetSealTest {
    static final byte[] PLAIN = "alice,100\nbob,200\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedDatasetOpensWithItsKeyOnlyAndHidesItsBytes() {
        byte[] key = DatasetSeal.newKey();
        byte[] sealed = DatasetSeal.seal(PLAIN, key);
        assertThat(DatasetSeal.isSealed(sealed)).isTrue();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
        assertThat(sealed).startsWith('G', 'C', 'D', 'S', 1);
        assertThat(DatasetSeal.open(sealed, key)).isEqualTo(PLAIN);
        assertThat(DatasetSeal.seal(PLAIN, key)).as("a fresh iv each time").isNotEqualTo(sealed);
        assertThatThrownBy(() -> DatasetSeal.open(sealed, DatasetSeal.newKey()))
                .hasMessage("cannot open the sealed dataset: wrong key or altered bytes");
    }

    @Test
    void anyAlteredByteVersionIncludedIsRefused() {
        byte[] key = DatasetSeal.newKey();
        byte[] sealed = DatasetSeal.seal(PLAIN, key);
        for (int i : new int[] {10, 17, sealed.length - 1}) {
            byte[] altered = sealed.clone();
            altered[i] ^= 1;
            assertThatThrownBy(() -> DatasetSeal.open(altered, key)).hasMessageContaining("altered bytes");
        }
        byte[] future = sealed.clone();
        future[4] = 2;
        assertThatThrownBy(() -> DatasetSeal.open(future, key)).hasMessageContaining("version 2 is unknown");
        assertThat(DatasetSeal.isSealed(PLAIN)).isFalse();
        assertThatThrownBy(() -> DatasetSeal.open(PLAIN, key)).hasMessageContaining("not a sealed dataset");
    }
}
