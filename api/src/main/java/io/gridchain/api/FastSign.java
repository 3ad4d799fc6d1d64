package io.gridchain.api;

import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * secp256k1 ECDSA signatures of 32-byte hashes, byte for byte the ones web3j makes
 * ({@code Sign.signMessage(hash, key, false)}: RFC 6979 deterministic nonce, low s, {@code v = 27 + recId}),
 * at the cost of one point multiplication: the recovery id is read off the nonce point instead of being
 * found by trial recoveries (up to four, each dearer than the signature itself).
 */
public final class FastSign {
    private static final BigInteger N = Sign.CURVE_PARAMS.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final ECPoint G = Sign.CURVE_PARAMS.getG();
    private static final FixedPointCombMultiplier MULTIPLIER = new FixedPointCombMultiplier();

    /** {@code r || s || v}, 65 bytes. */
    public static byte[] sign(byte[] hash, BigInteger privateKey) {
        if (hash.length != 32) throw new IllegalArgumentException("sign a 32-byte hash");
        BigInteger e = new BigInteger(1, hash);
        HMacDSAKCalculator k = new HMacDSAKCalculator(new SHA256Digest());
        k.init(N, privateKey, hash);
        while (true) {
            BigInteger nonce = k.nextK();
            ECPoint p = MULTIPLIER.multiply(G, nonce).normalize();
            BigInteger x = p.getAffineXCoord().toBigInteger();
            BigInteger r = x.mod(N);
            if (r.signum() == 0) continue;
            BigInteger s = nonce.modInverse(N).multiply(e.add(privateKey.multiply(r))).mod(N);
            if (s.signum() == 0) continue;
            int recId = (p.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0) | (x.compareTo(N) >= 0 ? 2 : 0);
            if (s.compareTo(HALF_N) > 0) {
                s = N.subtract(s);
                recId ^= 1;
            }
            byte[] out = new byte[65];
            System.arraycopy(Numeric.toBytesPadded(r, 32), 0, out, 0, 32);
            System.arraycopy(Numeric.toBytesPadded(s, 32), 0, out, 32, 32);
            out[64] = (byte) (27 + recId);
            return out;
        }
    }

    private FastSign() {}
}
