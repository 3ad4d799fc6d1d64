package io.gridchain.protocol.orders;

import java.io.ByteArrayOutputStream;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;

/** Signs raw 32-byte digests (no message prefix) into 65-byte r || s || v signatures. */
public final class Signing {
    public static byte[] sign(byte[] digest, Credentials signer) {
        Sign.SignatureData sig = Sign.signMessage(digest, signer.getEcKeyPair(), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream(65);
        out.writeBytes(sig.getR());
        out.writeBytes(sig.getS());
        out.writeBytes(sig.getV());
        return out.toByteArray();
    }

    private Signing() {}
}
