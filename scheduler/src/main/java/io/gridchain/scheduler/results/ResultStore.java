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
     * Stores a result sealed to its beneficiary under its plaintext digest; the plaintext itself is
     * never stored. The beneficiary checks the opened archive against the digest.
     */
    void putSealed(String digest, byte[] sealed);

    Optional<byte[]> sealed(String digest);
}
