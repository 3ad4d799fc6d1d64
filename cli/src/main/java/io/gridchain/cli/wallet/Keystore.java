package io.gridchain.cli.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.utils.Numeric;

/**
 * Wallets as standard encrypted Ethereum JSON keystores (version 3), one file per key named
 * {@code <address>.json}. New files use web3j's light scrypt parameters (n = 4096, p = 6): about
 * 60 times faster to unlock than the standard n = 262144, at the price of a weaker protection of
 * the file against brute force. Any standard keystore, light or not, can be read.
 */
public final class Keystore {
    private static final ObjectMapper JSON = org.web3j.protocol.ObjectMapperFactory.getObjectMapper();
    private static final Pattern ADDRESS = Pattern.compile("(0x)?[0-9a-fA-F]{40}");
    private static final Pattern PRIVATE_KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");

    private Keystore() {}

    /** Encrypts {@code key} with light scrypt into {@code dir}/{@code <address>.json}; refuses to overwrite. */
    public static Path write(Path dir, ECKeyPair key, String password) {
        String address = "0x" + Keys.getAddress(key);
        Path file = dir.resolve(address + ".json").toAbsolutePath();
        if (Files.exists(file)) {
            throw UserError.failure("wallet " + address + " already exists: " + file);
        }
        try {
            WalletFile wallet = Wallet.createLight(password, key);
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".wallet-", ".json.tmp"); // owner-only permissions
            try {
                Files.writeString(tmp, JSON.writeValueAsString(wallet), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (CipherException e) {
            throw new IllegalStateException("cannot encrypt the key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write wallet " + file + ": " + e.getMessage(), e);
        }
    }

    /** The address a keystore file holds, read without the password (0x, lower case). */
    public static String addressOf(Path file) {
        JsonNode address = read(file).get("address");
        if (address == null || !ADDRESS.matcher(address.asText()).matches()) {
            throw UserError.usage(file + " is not an Ethereum JSON keystore (no \"address\")");
        }
        return Numeric.prependHexPrefix(address.asText().toLowerCase());
    }

    /** Decrypts the key; a wrong password is a one-line error with exit code 4. */
    public static Credentials unlock(Path file, String password) {
        JsonNode node = read(file);
        WalletFile wallet;
        try {
            wallet = JSON.treeToValue(node, WalletFile.class);
        } catch (IOException e) {
            throw UserError.usage(file + " is not an Ethereum JSON keystore: " + e.getMessage());
        }
        String address = addressOf(file);
        try {
            Credentials c = Credentials.create(Wallet.decrypt(password, wallet));
            if (!c.getAddress().equalsIgnoreCase(address)) {
                throw UserError.usage(file + " holds the key of " + c.getAddress() + ", not of " + address);
            }
            return c;
        } catch (CipherException e) {
            if (String.valueOf(e.getMessage()).contains("Invalid password")) {
                throw new UserError("wrong password for wallet " + address, UserError.WRONG_PASSWORD);
            }
            throw UserError.usage("cannot decrypt " + file + ": " + e.getMessage());
        }
    }

    /** Parses a hex private key (64 hex digits, optional 0x); anything else is a one-line usage error. */
    public static ECKeyPair parsePrivateKey(String text, String origin) {
        String hex = text.strip();
        if (!PRIVATE_KEY.matcher(hex).matches()) {
            throw UserError.usage("malformed private key in " + origin
                    + ": expected 64 hex digits (32 bytes), optionally prefixed with 0x");
        }
        java.math.BigInteger k = Numeric.toBigInt(hex);
        if (k.signum() == 0 || k.compareTo(org.web3j.crypto.Sign.CURVE_PARAMS.getN()) >= 0) {
            throw UserError.usage("invalid private key in " + origin + ": it must be between 1 and the secp256k1 order - 1");
        }
        return ECKeyPair.create(k);
    }

    private static JsonNode read(Path file) {
        try {
            JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) throw new IOException("not a JSON object");
            return node;
        } catch (java.nio.file.NoSuchFileException e) {
            throw UserError.usage("no such wallet file: " + file);
        } catch (IOException e) {
            throw UserError.usage(file + " is not an Ethereum JSON keystore: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
