package io.gridchain.scheduler.results;

import java.util.Optional;

/**
 * A content-addressed store of results: the address of a result is its digest, the sha256 of its
 * canonical archive, which is also the digest the consensus certifies on-chain. So the on-chain
 * pointer resolves at any store holding the bytes, and a download verifies itself. A callback deal's
 * result is its raw callback data, addressed by keccak256 as the hub certifies it.
 */
public interface ResultStore {
    /** Stores {@code archive} under {@code digest}; refuses bytes whose sha256 (or keccak256) is not the digest. */
    void put(String digest, byte[] archive);

    Optional<byte[]> get(String digest);

    boolean contains(String digest);

    /**
     * Stores {@code worker}'s copy of a result it sealed to the beneficiary, under the plaintext digest it committed
     * to; the store never sees the plaintext and cannot check the copy, so it keeps one per worker and the beneficiary
     * opens them in turn until one hashes to the certified digest.
     */
    void putSealed(String digest, String worker, byte[] sealed);

    /** The workers whose sealed copies of {@code digest} the store holds, in a stable order. */
    java.util.List<String> sealedCopies(String digest);

    /** {@code worker}'s sealed copy of {@code digest}. */
    Optional<byte[]> sealed(String digest, String worker);
}
