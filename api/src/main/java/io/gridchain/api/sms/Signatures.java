package io.gridchain.api.sms;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** EIP-191 signatures of SMS payloads and scheduler authorizations, and the nonces that make requests single-use. */
public final class Signatures {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Signs {@code payload} (its UTF-8 bytes, EIP-191 prefixed) with {@code key}. */
    public static SmsApi.Signed sign(String payload, Credentials key) {
        return new SmsApi.Signed(payload, Numeric.toHexString(signBytes(payload.getBytes(StandardCharsets.UTF_8), key)));
    }

    /** The signer of {@code signed}, lower-case 0x-hex; empty if the signature is malformed. */
    public static java.util.Optional<String> signer(SmsApi.Signed signed) {
        if (signed == null || signed.payload() == null || signed.signature() == null) return java.util.Optional.empty();
        return recover(signed.payload().getBytes(StandardCharsets.UTF_8), signed.signature());
    }

    /** The 32 bytes a scheduler signs to let {@code worker} receive the secrets of {@code taskId} on this chain. */
    public static byte[] authorizationDigest(long chainId, String hub, String taskId, String worker) {
        String text = "gridchain-authorization-v1:" + chainId + ":" + hub.toLowerCase() + ":" + taskId.toLowerCase()
                + ":" + worker.toLowerCase();
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The scheduler's authorization of {@code worker} for {@code taskId}, hex. */
    public static String authorize(long chainId, String hub, String taskId, String worker, Credentials scheduler) {
        return Numeric.toHexString(signBytes(authorizationDigest(chainId, hub, taskId, worker), scheduler));
    }

    /** Who signed an authorization; empty if it is malformed. */
    public static java.util.Optional<String> authorizer(long chainId, String hub, String taskId, String worker,
            String authorization) {
        if (authorization == null) return java.util.Optional.empty();
        return recover(authorizationDigest(chainId, hub, taskId, worker), authorization);
    }

    /** 16 random bytes, hex: a request's nonce. */
    public static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Numeric.toHexString(b);
    }

    /** An EIP-191 signature of {@code message}, 65 bytes. */
    public static byte[] signBytes(byte[] message, Credentials key) {
        Sign.SignatureData s = Sign.signPrefixedMessage(message, key.getEcKeyPair());
        byte[] out = new byte[65];
        System.arraycopy(s.getR(), 0, out, 0, 32);
        System.arraycopy(s.getS(), 0, out, 32, 32);
        out[64] = s.getV()[0];
        return out;
    }

    /** Who signed {@code message} (EIP-191), lower-case 0x-hex; empty if the signature is malformed. */
    public static java.util.Optional<String> recover(byte[] message, String signature) {
        try {
            byte[] sig = Numeric.hexStringToByteArray(signature);
            if (sig.length != 65) return java.util.Optional.empty();
            Sign.SignatureData data = new Sign.SignatureData(sig[64], Arrays.copyOfRange(sig, 0, 32),
                    Arrays.copyOfRange(sig, 32, 64));
            BigInteger key = Sign.signedPrefixedMessageToKey(message, data);
            return java.util.Optional.of("0x" + Keys.getAddress(key).toLowerCase());
        } catch (SignatureException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private Signatures() {}
}
