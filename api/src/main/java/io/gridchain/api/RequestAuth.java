package io.gridchain.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Authentication of worker requests. Each request carries the worker's address, a timestamp, a
 * nonce and an EIP-191 signature by the worker's key over
 * {@code "gridchain-worker-request\n" + method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + sha256(body)}.
 * The scheduler accepts a request only if the signature recovers the claimed address, the
 * timestamp is within {@link #MAX_SKEW_MILLIS} of its clock, and the nonce is greater than every
 * nonce it accepted before from that worker: a captured request cannot be replayed or altered.
 */
public final class RequestAuth {
    public static final String WORKER = "X-Gridchain-Worker";
    public static final String TIMESTAMP = "X-Gridchain-Timestamp";
    public static final String NONCE = "X-Gridchain-Nonce";
    public static final String SIGNATURE = "X-Gridchain-Signature";
    public static final long MAX_SKEW_MILLIS = 60_000;

    /** A verified request's worker and nonce; the caller records the nonce as used. */
    public record Verified(String worker, long nonce) {}

    /** Why a request was refused; the message is one line for the worker's log. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Signs requests for one worker; nonces start at the current time in microseconds, so they grow across restarts. */
    public static final class Signer {
        private final Credentials key;
        private final AtomicLong nonce = new AtomicLong(System.currentTimeMillis() * 1000);

        public Signer(Credentials key) {
            this.key = key;
        }

        public String address() {
            return Keys.toChecksumAddress(key.getAddress()).toLowerCase();
        }

        public Map<String, String> headers(String method, String path, byte[] body) {
            long timestamp = System.currentTimeMillis();
            long n = nonce.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
            byte[] message = message(method, path, timestamp, n, body);
            Sign.SignatureData sig = Sign.signPrefixedMessage(message, key.getEcKeyPair());
            byte[] raw = new byte[65];
            System.arraycopy(sig.getR(), 0, raw, 0, 32);
            System.arraycopy(sig.getS(), 0, raw, 32, 32);
            raw[64] = sig.getV()[0];
            return Map.of(WORKER, address(), TIMESTAMP, Long.toString(timestamp), NONCE, Long.toString(n),
                    SIGNATURE, Numeric.toHexString(raw));
        }
    }

    /**
     * Checks a request's headers against its method, path and body at time {@code now}; the nonce
     * must exceed {@code lastNonce} (the highest accepted so far for that worker, or -1).
     */
    public static Verified verify(String method, String path, byte[] body, Map<String, String> headers, long now,
            java.util.function.ToLongFunction<String> lastNonce) throws Refused {
        String worker = header(headers, WORKER).toLowerCase();
        long timestamp = number(headers, TIMESTAMP);
        long nonce = number(headers, NONCE);
        String signature = header(headers, SIGNATURE);
        if (Math.abs(now - timestamp) > MAX_SKEW_MILLIS) {
            throw new Refused("request timestamp is " + Math.abs(now - timestamp) / 1000
                    + " s away from the scheduler's clock: synchronise the worker's clock");
        }
        byte[] raw = Numeric.hexStringToByteArray(signature);
        if (raw.length != 65) throw new Refused("the request signature must be 65 bytes");
        byte v = raw[64];
        byte[] r = java.util.Arrays.copyOfRange(raw, 0, 32);
        byte[] s = java.util.Arrays.copyOfRange(raw, 32, 64);
        String signer;
        try {
            var publicKey = Sign.signedPrefixedMessageToKey(message(method, path, timestamp, nonce, body),
                    new Sign.SignatureData(v, r, s));
            signer = "0x" + Keys.getAddress(publicKey);
        } catch (SignatureException | RuntimeException e) {
            throw new Refused("the request signature is invalid");
        }
        if (!signer.equalsIgnoreCase(worker)) {
            throw new Refused("the request is not signed by worker " + worker);
        }
        long last = lastNonce.applyAsLong(worker);
        if (nonce <= last) {
            throw new Refused("replayed request: nonce " + nonce + " is not above the last accepted " + last);
        }
        return new Verified(worker, nonce);
    }

    static byte[] message(String method, String path, long timestamp, long nonce, byte[] body) {
        String text = "gridchain-worker-request\n" + method.toUpperCase() + "\n" + path + "\n" + timestamp + "\n"
                + nonce + "\n" + sha256(body);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(Map<String, String> headers, String name) throws Refused {
        String value = headers.get(name);
        if (value == null) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) value = e.getValue();
        }
        if (value == null || value.isBlank()) throw new Refused("missing header " + name + ": sign every request");
        return value.trim();
    }

    private static long number(Map<String, String> headers, String name) throws Refused {
        String value = header(headers, name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Refused("header " + name + " must be a number, got " + value);
        }
    }

    private RequestAuth() {}
}
