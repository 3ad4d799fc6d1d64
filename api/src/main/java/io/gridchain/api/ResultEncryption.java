package io.gridchain.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Results sealed to a beneficiary's secp256k1 public key (the key behind its Ethereum address), so
 * that a pool's public result store serves them without revealing them:
 * {@code blob = R (65 bytes, uncompressed ephemeral public key) || iv (12) || AES-256-GCM(key, archive)}
 * with {@code key = sha256(x(ECDH(r, beneficiary)) || "gridchain-result-v1")}. The beneficiary opens the
 * blob with its private key and checks the archive's sha256 against the digest certified on-chain.
 */
public final class ResultEncryption {
    public static final String SCHEME = "ecies-secp256k1-aes256gcm";
    public static final String HEADER = "X-Gridchain-Encryption";
    /** How many sealed copies (one per worker that committed to the result) the store holds; {@code ?copy=N} picks one. */
    public static final String COPIES_HEADER = "X-Gridchain-Copies";
    private static final byte[] INFO = "gridchain-result-v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Seals {@code archive} to {@code publicKey}: 64 bytes x || y (as web3j gives it) or 65 with the 0x04 prefix, in hex. */
    public static byte[] seal(byte[] archive, String publicKey) {
        ECPoint beneficiary = point(publicKey);
        BigInteger ephemeral;
        do {
            ephemeral = new BigInteger(256, RANDOM);
        } while (ephemeral.signum() == 0 || ephemeral.compareTo(Sign.CURVE_PARAMS.getN()) >= 0);
        byte[] r = Sign.CURVE_PARAMS.getG().multiply(ephemeral).normalize().getEncoded(false);
        byte[] key = key(beneficiary.multiply(ephemeral));
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        byte[] body = aes(Cipher.ENCRYPT_MODE, key, iv, archive);
        byte[] out = new byte[65 + 12 + body.length];
        System.arraycopy(r, 0, out, 0, 65);
        System.arraycopy(iv, 0, out, 65, 12);
        System.arraycopy(body, 0, out, 77, body.length);
        return out;
    }

    /** Opens a sealed blob with the beneficiary's private key; fails if the key is wrong or the blob was altered. */
    public static byte[] open(byte[] blob, BigInteger privateKey) {
        if (blob.length < 65 + 12 + 16) throw new IllegalArgumentException("sealed result too short");
        ECPoint r = Sign.CURVE_PARAMS.getCurve().decodePoint(Arrays.copyOfRange(blob, 0, 65));
        byte[] key = key(r.multiply(privateKey));
        return aes(Cipher.DECRYPT_MODE, key, Arrays.copyOfRange(blob, 65, 77), Arrays.copyOfRange(blob, 77, blob.length));
    }

    /** Whether {@code publicKey} is a valid secp256k1 point in one of the accepted encodings. */
    public static boolean validKey(String publicKey) {
        try {
            point(publicKey);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ECPoint point(String publicKey) {
        byte[] raw = Numeric.hexStringToByteArray(publicKey);
        if (raw.length == 64) {
            byte[] prefixed = new byte[65];
            prefixed[0] = 4;
            System.arraycopy(raw, 0, prefixed, 1, 64);
            raw = prefixed;
        }
        if (raw.length != 65 || raw[0] != 4) throw new IllegalArgumentException("not an uncompressed secp256k1 public key");
        ECPoint p = Sign.CURVE_PARAMS.getCurve().decodePoint(raw);
        if (!p.isValid()) throw new IllegalArgumentException("not a point of secp256k1");
        return p;
    }

    private static byte[] key(ECPoint shared) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Numeric.toBytesPadded(shared.normalize().getAffineXCoord().toBigInteger(), 32));
            sha.update(INFO);
            return sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open the sealed result: wrong key or altered bytes");
        }
    }

    private ResultEncryption() {}
}
