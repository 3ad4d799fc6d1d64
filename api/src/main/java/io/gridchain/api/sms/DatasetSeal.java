package io.gridchain.api.sms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed dataset format (docs/CONFIDENTIALITY.md): {@code "GCDS" (4 bytes) || version (1 byte, 1) || iv (12) ||
 * AES-256-GCM(key, plaintext)} with the 5 header bytes as associated data, so that neither the version nor a byte of
 * the ciphertext can be changed unnoticed. The key is 32 random bytes that only the owner and the services it pushes
 * the key to hold.
 */
public final class DatasetSeal {
    private static final byte[] MAGIC = "GCDS".getBytes(StandardCharsets.US_ASCII);
    public static final byte VERSION = 1;
    private static final int HEADER = MAGIC.length + 1;
    private static final int IV = 12;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh 256-bit key. */
    public static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public static byte[] seal(byte[] plaintext, byte[] key) {
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        byte[] header = header();
        byte[] body = aes(Cipher.ENCRYPT_MODE, key, iv, header, plaintext);
        byte[] out = new byte[HEADER + IV + body.length];
        System.arraycopy(header, 0, out, 0, HEADER);
        System.arraycopy(iv, 0, out, HEADER, IV);
        System.arraycopy(body, 0, out, HEADER + IV, body.length);
        return out;
    }

    /** Opens a sealed dataset; fails with one line if it is not one, has another version, or the key is wrong. */
    public static byte[] open(byte[] sealed, byte[] key) {
        if (!isSealed(sealed)) throw new IllegalArgumentException("not a sealed dataset (no GCDS header)");
        if (sealed[MAGIC.length] != VERSION) {
            throw new IllegalArgumentException("sealed dataset version " + sealed[MAGIC.length] + " is unknown (this"
                    + " gridchain reads version " + VERSION + "): upgrade gridchain");
        }
        if (sealed.length < HEADER + IV + TAG) throw new IllegalArgumentException("sealed dataset too short");
        return aes(Cipher.DECRYPT_MODE, key, Arrays.copyOfRange(sealed, HEADER, HEADER + IV),
                Arrays.copyOfRange(sealed, 0, HEADER), Arrays.copyOfRange(sealed, HEADER + IV, sealed.length));
    }

    /** Whether {@code bytes} start like a sealed dataset (of any version). */
    public static boolean isSealed(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static byte[] header() {
        byte[] h = Arrays.copyOf(MAGIC, HEADER);
        h[MAGIC.length] = VERSION;
        return h;
    }

    private static byte[] aes(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) {
        if (key == null || key.length != 32) throw new IllegalArgumentException("a dataset key is 32 bytes");
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG * 8, iv));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open the sealed dataset: wrong key or altered bytes");
        }
    }

    private DatasetSeal() {}
}
