package io.gridchain.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Authentication of worker requests, in two modes over the same canonical message
 * {@code "gridchain-worker-request\n" + workerpool + "\n" + chainId + "\n" + method + "\n" + path + "\n" + timestamp
 * + "\n" + nonce + "\n" + sha256(body)}.
 *
 * <p>The message names the one scheduler the request is for ({@link Scope}: its workerpool and chain), so a request
 * captured on its way to one scheduler is refused by every other. The body's hash travels in a header ({@link #BODY})
 * and the signature covers it: the scheduler authenticates a request from its headers alone, refuses a forged one
 * without reading its body, and only then reads the body (bounded) and checks it against the signed hash
 * ({@link Verified#checkBody}).
 *
 * <p><b>Key-signed</b> ({@link Signer}, {@link #verify}): the request carries the worker's address, a
 * timestamp, a nonce and an EIP-191 signature of the message by the worker's key. The scheduler accepts
 * it only if the signature recovers the claimed address, the timestamp is within {@link #MAX_SKEW_MILLIS}
 * of its clock, and the nonce is greater than every nonce it accepted before from that worker.
 *
 * <p><b>Session</b> ({@link Handshake}, {@link Session}, {@link Sessions}): registration, itself
 * key-signed, carries an ephemeral secp256k1 public key of the worker; the scheduler answers with its
 * own ephemeral public key and a session id. Both sides derive the session key from their ECDH shared
 * secret ({@link #sessionKey}), which never travels. Later requests carry the session id, a timestamp,
 * a nonce strictly increasing within the session, and HMAC-SHA256(session key, message). Sessions live
 * in the scheduler's memory only: they die with a restart, and the worker then registers again.
 *
 * <p>In both modes a captured request cannot be replayed or altered, and nobody but the worker (who
 * alone knows its key, and its ephemeral key) can produce one.
 *
 * <p>Over 500 lines, as nested types: the worker's side ({@link Signer}, {@link Handshake}) and the scheduler's
 * ({@link #verify}, {@link ReplayWindow}, {@link Sessions}) must build the same canonical message byte for byte,
 * and keeping both in one file is what keeps them in step. The nested types are the seams to split along if it
 * grows again.
 */
public final class RequestAuth {
    public static final String WORKER = "X-Gridchain-Worker";
    public static final String TIMESTAMP = "X-Gridchain-Timestamp";
    public static final String NONCE = "X-Gridchain-Nonce";
    public static final String SIGNATURE = "X-Gridchain-Signature";
    public static final String SESSION = "X-Gridchain-Session";
    public static final String MAC = "X-Gridchain-Mac";
    public static final String POOL = "X-Gridchain-Pool";
    public static final String CHAIN = "X-Gridchain-Chain";
    /** sha256 of the body, lower-case hex: signed with the rest, checked once the body is read. */
    public static final String BODY = "X-Gridchain-Body";
    public static final long MAX_SKEW_MILLIS = 60_000;

    /** How far behind a session's newest nonce a late request may be (requests in flight at once). */
    static final long SESSION_WINDOW = 4096;

    /**
     * How far behind a worker's newest key-signed nonce (microseconds) a late request may be: the clock
     * skew allowed, so a request is refused for its timestamp before it could slip under the window.
     */
    public static final long KEY_NONCE_WINDOW = MAX_SKEW_MILLIS * 1000;

    /**
     * Most nonces a replay window remembers: past it the oldest is forgotten and becomes the floor, so a worker
     * (or a flood of its requests) cannot make the window grow without bound.
     */
    public static final int MAX_WINDOW_ENTRIES = 1024;

    /**
     * The one scheduler a request is meant for: the workerpool it serves and the chain it is on. Part of every
     * signed message, so a request cannot be replayed to another scheduler.
     */
    public record Scope(String workerpool, long chainId) {
        public Scope {
            workerpool = workerpool.toLowerCase();
        }

        /** Refuses headers naming another pool or chain, before any signature work. */
        void check(Map<String, String> headers) throws Refused {
            String pool = header(headers, POOL).toLowerCase();
            long chain = number(headers, CHAIN);
            if (!pool.equals(workerpool) || chain != chainId) {
                throw new Refused("the request is signed for workerpool " + pool + " on chain " + chain
                        + ", but this scheduler serves workerpool " + workerpool + " on chain " + chainId
                        + ": it was meant for another scheduler");
            }
        }
    }

    /**
     * A request whose headers verified: its worker, nonce and the body hash they signed. The caller records the
     * nonce as used, reads the body and checks it with {@link #checkBody}.
     */
    public record Verified(String worker, long nonce, String bodyHash) {
        /** Refuses a body other than the one the headers signed (altered, or cut short). */
        public void checkBody(byte[] body) throws Refused {
            if (!sha256(body).equals(bodyHash)) {
                throw new Refused("the body does not hash to the signed " + BODY + ": it was altered or cut short");
            }
        }
    }

    /** Why a request was refused; the message is one line for the worker's log. */
    public static class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** Refused for want of room (a quota), not for what the request says: the client may try again later. */
    public static final class Busy extends Refused {
        public Busy(String message) {
            super(message);
        }
    }

    /** Signs requests for one worker; nonces start at the current time in microseconds, so they grow across restarts. */
    public static final class Signer {
        private final Credentials key;
        private final Scope scope;
        private final AtomicLong nonce;

        public Signer(Credentials key, Scope scope) {
            this(key, scope, new AtomicLong(System.currentTimeMillis() * 1000));
        }

        private Signer(Credentials key, Scope scope, AtomicLong nonce) {
            this.key = key;
            this.scope = scope;
            this.nonce = nonce;
        }

        /** The same key and nonce sequence, signing for another scheduler. */
        public Signer to(Scope other) {
            return new Signer(key, other, nonce);
        }

        public Scope scope() {
            return scope;
        }

        public String address() {
            return Keys.toChecksumAddress(key.getAddress()).toLowerCase();
        }

        public Map<String, String> headers(String method, String path, byte[] body) {
            long timestamp = System.currentTimeMillis();
            long n = nonce.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
            String hash = sha256(body);
            byte[] message = message(scope, method, path, timestamp, n, hash);
            byte[] raw = FastSign.sign(Sign.getEthereumMessageHash(message), key.getEcKeyPair().getPrivateKey());
            return Map.of(WORKER, address(), TIMESTAMP, Long.toString(timestamp), NONCE, Long.toString(n),
                    SIGNATURE, Numeric.toHexString(raw), POOL, scope.workerpool(), CHAIN, Long.toString(scope.chainId()),
                    BODY, hash);
        }
    }

    /** {@link #verify(Scope, String, String, Map, long, java.util.function.ToLongFunction)}, then the body. */
    public static Verified verify(Scope scope, String method, String path, byte[] body, Map<String, String> headers,
            long now, java.util.function.ToLongFunction<String> nonceFloor) throws Refused {
        Verified v = verify(scope, method, path, headers, now, nonceFloor);
        v.checkBody(body);
        return v;
    }

    /**
     * Checks a request's headers, without its body, against this scheduler's {@code scope}, its method and path at
     * time {@code now}; the nonce must exceed {@code nonceFloor} (that worker's {@link ReplayWindow#floor()}). The
     * cheap checks come first, so a stale or misdirected request costs no key recovery. The caller then records
     * the nonce in the worker's window, which refuses a second copy, and checks the body with
     * {@link Verified#checkBody}.
     */
    public static Verified verify(Scope scope, String method, String path, Map<String, String> headers, long now,
            java.util.function.ToLongFunction<String> nonceFloor) throws Refused {
        String worker = header(headers, WORKER).toLowerCase();
        scope.check(headers);
        long timestamp = timestamp(headers, now);
        long nonce = number(headers, NONCE);
        String bodyHash = bodyHash(headers);
        byte[] raw;
        try {
            raw = Numeric.hexStringToByteArray(header(headers, SIGNATURE));
        } catch (RuntimeException e) {
            raw = new byte[0];
        }
        if (raw.length != 65) throw new Refused("the request signature must be 65 bytes of hex");
        long floor = nonceFloor.applyAsLong(worker);
        if (nonce <= floor) {
            throw new Refused("replayed or stale request: nonce " + nonce + " is not above " + floor);
        }
        byte v = raw[64];
        byte[] r = java.util.Arrays.copyOfRange(raw, 0, 32);
        byte[] s = java.util.Arrays.copyOfRange(raw, 32, 64);
        String signer;
        try {
            var publicKey = Sign.signedPrefixedMessageToKey(message(scope, method, path, timestamp, nonce, bodyHash),
                    new Sign.SignatureData(v, r, s));
            signer = "0x" + Keys.getAddress(publicKey);
        } catch (SignatureException | RuntimeException e) {
            throw new Refused("the request signature is invalid");
        }
        if (!signer.equalsIgnoreCase(worker)) {
            throw new Refused("the request is not signed by worker " + worker);
        }
        return new Verified(worker, nonce, bodyHash);
    }

    private static String bodyHash(Map<String, String> headers) throws Refused {
        String hash = header(headers, BODY).toLowerCase();
        if (!hash.matches("[0-9a-f]{64}")) throw new Refused("header " + BODY + " must be the body's sha256 in hex");
        return hash;
    }

    /**
     * Anti-replay over a sliding window of nonces (as IPsec's): a nonce is accepted once, if it is above the
     * floor, which trails the highest accepted nonce by {@code width}. Requests from one worker travel on
     * several connections and may arrive out of order; a window accepts the late ones a strict "above the
     * last" rule would refuse, and still refuses every copy.
     */
    public static final class ReplayWindow {
        private final long width;
        private final int maxEntries;
        private final java.util.TreeSet<Long> accepted = new java.util.TreeSet<>();
        private long floor;
        private long highest;

        /** A window {@code width} nonces wide that refuses every nonce up to {@code floor}. */
        public ReplayWindow(long width, long floor) {
            this(width, floor, MAX_WINDOW_ENTRIES);
        }

        /** ... remembering at most {@code maxEntries} nonces: the oldest forgotten becomes the floor. */
        public ReplayWindow(long width, long floor, int maxEntries) {
            this.width = width;
            this.floor = floor;
            this.highest = floor;
            this.maxEntries = maxEntries;
        }

        /** Records {@code nonce}; false if it is at or below the floor, or was accepted before. */
        public synchronized boolean accept(long nonce) {
            if (nonce <= floor || !accepted.add(nonce)) return false;
            if (nonce > highest) {
                highest = nonce;
                if (highest - width > floor) {
                    floor = highest - width;
                    accepted.headSet(floor, true).clear();
                }
            }
            // Raising the floor to a forgotten nonce only refuses more, so forgetting never lets a copy in.
            while (accepted.size() > maxEntries) floor = accepted.pollFirst();
            return true;
        }

        /** How many nonces the window remembers. */
        public synchronized int size() {
            return accepted.size();
        }

        /** Nonces at or below this are refused. */
        public synchronized long floor() {
            return floor;
        }
    }

    /** The request's timestamp, refused when it is further than {@link #MAX_SKEW_MILLIS} from {@code now}. */
    private static long timestamp(Map<String, String> headers, long now) throws Refused {
        long timestamp = number(headers, TIMESTAMP);
        if (Math.abs(now - timestamp) > MAX_SKEW_MILLIS) {
            throw new Refused("request timestamp is " + Math.abs(now - timestamp) / 1000
                    + " s away from the scheduler's clock: synchronise the worker's clock");
        }
        return timestamp;
    }

    // ------------------------------------------------------------------------------------------ sessions

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SESSION_INFO = "gridchain-session-v1".getBytes(StandardCharsets.US_ASCII);

    /** Whether the headers use session authentication (they name a session). */
    public static boolean isSession(Map<String, String> headers) {
        return find(headers, SESSION) != null;
    }

    /**
     * The worker's half of a session handshake: an ephemeral key pair, whose public key goes into the
     * key-signed registration request ({@link WorkerApi.RegisterRequest#sessionKey()}).
     */
    public static final class Handshake {
        private final BigInteger secret;
        private final String publicKey;

        public Handshake() {
            this.secret = randomScalar();
            this.publicKey = encode(Sign.CURVE_PARAMS.getG().multiply(secret));
        }

        /** The ephemeral public key: {@code 0x} + 33 bytes, compressed SEC1, lower-case hex. */
        public String publicKey() {
            return publicKey;
        }

        /** The session, once the scheduler answered with its session id and ephemeral public key. */
        public Session complete(Scope scope, String worker, String sessionId, String schedulerKey) throws Refused {
            if (sessionId == null || sessionId.isBlank()) throw new Refused("the scheduler named no session id");
            ECPoint theirs = point(schedulerKey);
            return new Session(scope, sessionId, worker.toLowerCase(),
                    sessionKey(theirs.multiply(secret), sessionId, worker, publicKey, encode(theirs)));
        }
    }

    /** The worker's side of an open session: authenticates requests with HMAC-SHA256 under the session key. */
    public static final class Session {
        private final Scope scope;
        private final String id;
        private final String worker;
        private final byte[] key;
        private final AtomicLong nonce = new AtomicLong();

        Session(Scope scope, String id, String worker, byte[] key) {
            this.scope = scope;
            this.id = id;
            this.worker = worker;
            this.key = key;
        }

        public String id() {
            return id;
        }

        public String worker() {
            return worker;
        }

        /** Headers for one request; nonces count up from 1 within the session. */
        public Map<String, String> headers(String method, String path, byte[] body) {
            long timestamp = System.currentTimeMillis();
            long n = nonce.incrementAndGet();
            String hash = sha256(body);
            return Map.of(WORKER, worker, SESSION, id, TIMESTAMP, Long.toString(timestamp), NONCE, Long.toString(n),
                    MAC, HexFormat.of().formatHex(hmac(key, message(scope, method, path, timestamp, n, hash))),
                    POOL, scope.workerpool(), CHAIN, Long.toString(scope.chainId()), BODY, hash);
        }
    }

    /**
     * The scheduler's open sessions, in memory only: at most one per worker (registering again replaces
     * it), at most {@code max} in all, all gone when the scheduler restarts.
     */
    public static final class Sessions {
        private static final class Open {
            final String worker;
            final byte[] key;
            final ReplayWindow nonces = new ReplayWindow(SESSION_WINDOW, 0);

            Open(String worker, byte[] key) {
                this.worker = worker;
                this.key = key;
            }
        }

        /** The scheduler's answer to a handshake. */
        public record Opened(String sessionId, String publicKey) {}

        private final Scope scope;
        private final int max;
        private final Map<String, Open> byId = new ConcurrentHashMap<>();
        private final Map<String, String> byWorker = new ConcurrentHashMap<>();

        public Sessions(Scope scope, int max) {
            this.scope = scope;
            this.max = max;
        }

        /**
         * Opens a session for {@code worker}, whose key-signed registration carried {@code workerKey}
         * (its ephemeral public key); replaces the worker's previous session.
         */
        public synchronized Opened open(String worker, String workerKey) throws Refused {
            ECPoint theirs = point(workerKey);
            if (byId.size() >= max && !byWorker.containsKey(worker.toLowerCase())) {
                throw new Busy("the scheduler holds its most sessions (" + max + "): sign requests with the key");
            }
            BigInteger secret = randomScalar();
            String mine = encode(Sign.CURVE_PARAMS.getG().multiply(secret));
            byte[] raw = new byte[16];
            RANDOM.nextBytes(raw);
            String id = HexFormat.of().formatHex(raw);
            String w = worker.toLowerCase();
            byte[] key = sessionKey(theirs.multiply(secret), id, w, encode(theirs), mine);
            byId.put(id, new Open(w, key));
            String previous = byWorker.put(w, id);
            if (previous != null) byId.remove(previous);
            return new Opened(id, mine);
        }

        /** How many sessions are open. */
        public int size() {
            return byId.size();
        }

        /**
         * Checks a session-authenticated request: a known session, of the worker it names (if it names
         * one), a MAC that verifies under the session key, a timestamp within the skew, and a nonce the
         * session's {@link ReplayWindow} accepts (recorded at once: two copies of a request never both pass).
         */
        public Verified verify(String method, String path, byte[] body, Map<String, String> headers, long now)
                throws Refused {
            Verified v = verify(method, path, headers, now);
            v.checkBody(body);
            return v;
        }

        /** {@link #verify(String, String, byte[], Map, long)} from the headers alone; the caller checks the body. */
        public Verified verify(String method, String path, Map<String, String> headers, long now) throws Refused {
            String id = header(headers, SESSION);
            Open s = byId.get(id);
            if (s == null) {
                throw new Refused("unknown session " + id + " (the scheduler may have restarted): register again");
            }
            String claimed = find(headers, WORKER);
            if (claimed != null && !claimed.trim().equalsIgnoreCase(s.worker)) {
                throw new Refused("session " + id + " is not worker " + claimed.trim().toLowerCase() + "'s");
            }
            scope.check(headers);
            long timestamp = timestamp(headers, now);
            long nonce = number(headers, NONCE);
            String bodyHash = bodyHash(headers);
            String mac = header(headers, MAC);
            byte[] given;
            try {
                given = HexFormat.of().parseHex(mac.startsWith("0x") ? mac.substring(2) : mac);
            } catch (IllegalArgumentException e) {
                given = new byte[0];
            }
            if (!MessageDigest.isEqual(given, hmac(s.key, message(scope, method, path, timestamp, nonce, bodyHash)))) {
                throw new Refused("the request MAC does not verify under session " + id
                        + ": the request was forged or altered");
            }
            if (!s.nonces.accept(nonce)) {
                throw new Refused("replayed request: nonce " + nonce + " of session " + id
                        + " was used before or is too old");
            }
            return new Verified(s.worker, nonce, bodyHash);
        }
    }

    /**
     * The session key both sides derive: {@code HMAC-SHA256(key = x(ECDH), "gridchain-session-v1\n" +
     * sessionId + "\n" + worker + "\n" + workerKey + "\n" + schedulerKey)}, public keys as compressed hex.
     */
    static byte[] sessionKey(ECPoint shared, String sessionId, String worker, String workerKey, String schedulerKey) {
        ECPoint p = shared.normalize();
        if (p.isInfinity()) throw new IllegalArgumentException("degenerate session key");
        byte[] x = Numeric.toBytesPadded(p.getAffineXCoord().toBigInteger(), 32);
        String context = new String(SESSION_INFO, StandardCharsets.US_ASCII) + "\n" + sessionId + "\n"
                + worker.toLowerCase() + "\n" + workerKey.toLowerCase() + "\n" + schedulerKey.toLowerCase();
        return hmac(x, context.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger randomScalar() {
        BigInteger k;
        do {
            k = new BigInteger(256, RANDOM);
        } while (k.signum() == 0 || k.compareTo(Sign.CURVE_PARAMS.getN()) >= 0);
        return k;
    }

    private static String encode(ECPoint p) {
        return Numeric.toHexString(p.normalize().getEncoded(true));
    }

    /** A secp256k1 public key in hex, SEC1 compressed (33 bytes) or uncompressed (65). */
    private static ECPoint point(String hex) throws Refused {
        try {
            byte[] raw = Numeric.hexStringToByteArray(hex);
            if (raw.length != 33 && raw.length != 65) throw new IllegalArgumentException();
            ECPoint p = Sign.CURVE_PARAMS.getCurve().decodePoint(raw);
            if (p.isInfinity() || !p.isValid()) throw new IllegalArgumentException();
            return p;
        } catch (RuntimeException e) {
            throw new Refused("the session key is not a secp256k1 public key (0x + 33 bytes compressed)");
        }
    }

    static byte[] message(Scope scope, String method, String path, long timestamp, long nonce, String bodyHash) {
        String text = "gridchain-worker-request\n" + scope.workerpool() + "\n" + scope.chainId() + "\n"
                + method.toUpperCase() + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + bodyHash;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(Map<String, String> headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) value = e.getValue();
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String header(Map<String, String> headers, String name) throws Refused {
        String value = find(headers, name);
        if (value == null) throw new Refused("missing header " + name + ": sign every request");
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
