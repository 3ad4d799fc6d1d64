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

    @Test
    void sealedCopiesAreKeptOnePerWorkerInAStableOrderAndNeverUnderAPathAWorkerChooses() {
        FileResultStore store = new FileResultStore(dir);
        String digest = "0x" + "ab".repeat(32);
        String b = "0x" + "b".repeat(40);
        String a = "0x" + "a".repeat(40);
        store.putSealed(digest, b, new byte[] {2});
        store.putSealed(digest, a, new byte[] {1});
        store.putSealed(digest, a, new byte[] {9}); // a worker's copy is written once
        assertThat(store.sealedCopies(digest)).containsExactly(a, b);
        assertThat(store.sealed(digest, a)).contains(new byte[] {1});
        assertThat(store.contains(digest)).as("no plaintext under the digest").isFalse();
        assertThat(store.sealedCopies("0x" + "cd".repeat(32))).isEmpty();
        assertThatThrownBy(() -> store.putSealed(digest, "../../etc", new byte[] {3}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
