package io.gridchain.scheduler.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** The store takes bytes only under their own digest: sha256 (archives) or keccak256 (callback data). */
class FileResultStoreTest {
    @TempDir
    Path dir;

    @Test
    void bytesAreStoredUnderTheirSha256OrTheirKeccak256AndNothingElse() {
        FileResultStore store = new FileResultStore(dir);
        byte[] archive = "archive".getBytes(StandardCharsets.UTF_8);
        String sha = "0x" + FileResultStore.sha256(archive);
        store.put(sha, archive);
        assertThat(store.get(sha)).contains(archive);

        byte[] callbackData = Numeric.toBytesPadded(java.math.BigInteger.valueOf(8902), 32);
        String keccak = Numeric.toHexString(Hash.sha3(callbackData));
        store.put(keccak, callbackData);
        assertThat(store.get(keccak)).contains(callbackData);

        String other = Numeric.toHexString(Hash.sha3("other".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> store.put(other, callbackData)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not to " + other);
        assertThat(store.contains(other)).isFalse();
    }
}
