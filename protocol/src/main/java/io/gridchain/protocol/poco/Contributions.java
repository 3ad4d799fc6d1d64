package io.gridchain.protocol.poco;

import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.orders.Signing;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The commitments workers sign, hashed exactly as the hub hashes them.
 *
 * <p>Aggregated path: a worker's commitment chains every (task, digest) it contributed, in batch order,
 * starting from its own address; it signs EIP-712 {@code Contribution(bytes32 commitment)}.
 * Per-worker path: {@code seal = keccak(worker, taskId, digest, salt)} with a secret salt, authorized by the
 * scheduler's {@code Authorization(address worker,bytes32 taskId)}; the digest and salt are revealed later.
 */
public final class Contributions {
    private static final byte[] CONTRIBUTION_TYPEHASH = Words.keccak("Contribution(bytes32 commitment)");
    private static final byte[] AUTHORIZATION_TYPEHASH = Words.keccak("Authorization(address worker,bytes32 taskId)");

    /** One (task, digest) entry of a worker's chain. */
    public record Entry(String taskId, String digest) {}

    public static String commitment(String worker, List<Entry> entries) {
        byte[] chain = Numeric.toBytesPadded(Numeric.toBigInt(worker), 32);
        for (Entry e : entries) {
            chain = Words.of().bytes32(chain).bytes32(e.taskId()).bytes32(e.digest()).keccak();
        }
        return Words.hex(chain);
    }

    public static byte[] signCommitment(Eip712Domain domain, String commitment, Credentials worker) {
        byte[] structHash = Words.of().bytes32(CONTRIBUTION_TYPEHASH).bytes32(commitment).keccak();
        return Signing.sign(domain.digest(structHash), worker);
    }

    /** A worker signs its contributions listed in batch order. */
    public static byte[] sign(Eip712Domain domain, List<Entry> entries, Credentials worker) {
        return signCommitment(domain, commitment(worker.getAddress(), entries), worker);
    }

    /** The address that signed {@code commitment}, or null if the signature is malformed. */
    public static String signerOf(Eip712Domain domain, String commitment, byte[] signature) {
        if (signature == null || signature.length != 65) return null;
        byte[] structHash = Words.of().bytes32(CONTRIBUTION_TYPEHASH).bytes32(commitment).keccak();
        byte v = signature[64];
        byte[] r = java.util.Arrays.copyOfRange(signature, 0, 32);
        byte[] s = java.util.Arrays.copyOfRange(signature, 32, 64);
        try {
            var key = org.web3j.crypto.Sign.signedMessageHashToKey(domain.digest(structHash),
                    new org.web3j.crypto.Sign.SignatureData(v, r, s));
            return "0x" + org.web3j.crypto.Keys.getAddress(key);
        } catch (java.security.SignatureException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The result digest of a callback deal: keccak256 of its callback data, the value the hub checks the
     * data against before calling the contract back.
     */
    public static String callbackDigest(byte[] callbackData) {
        return Words.hex(org.web3j.crypto.Hash.sha3(callbackData));
    }

    /** The per-worker path's commitment: it says nothing about the digest until the salt is revealed. */
    public static String seal(String worker, String taskId, String digest, String salt) {
        return Words.of().address(worker).bytes32(taskId).bytes32(digest).bytes32(salt).keccakHex();
    }

    /** A fresh secret salt for {@link #seal}. */
    public static String salt() {
        byte[] salt = new byte[32];
        new java.security.SecureRandom().nextBytes(salt);
        return Words.hex(salt);
    }

    /** The scheduler's authorization for {@code worker} to contribute to {@code taskId}. */
    public static byte[] authorize(Eip712Domain domain, String worker, String taskId, Credentials scheduler) {
        byte[] structHash = Words.of().bytes32(AUTHORIZATION_TYPEHASH).address(worker).bytes32(taskId).keccak();
        return Signing.sign(domain.digest(structHash), scheduler);
    }

    private Contributions() {}
}
