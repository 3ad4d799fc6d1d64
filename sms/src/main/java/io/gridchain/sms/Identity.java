package io.gridchain.sms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * The service's own key, made at its first start and kept in its data directory (owner-only): pushed secrets are
 * sealed to it, and requests name its address so that one signed for another service is refused here.
 */
public final class Identity {
    private Identity() {}

    public static Credentials loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return Credentials.create(Files.readString(file).strip());
            Files.createDirectories(file.toAbsolutePath().getParent());
            String key = Numeric.toHexStringWithPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "sms", ".key");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the data directory's own permissions protect it
            }
            Files.writeString(tmp, key);
            Files.move(tmp, file);
            return Credentials.create(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the service key " + file + ": " + e.getMessage(), e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The uncompressed public key (x || y, 64 bytes) in hex, what pushers seal to. */
    public static String publicKey(Credentials key) {
        return Numeric.toHexStringWithPrefixZeroPadded(key.getEcKeyPair().getPublicKey(), 128);
    }
}
