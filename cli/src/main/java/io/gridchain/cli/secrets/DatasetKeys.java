package io.gridchain.cli.secrets;

import io.gridchain.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The owner's local keystore of dataset keys: {@code <config dir>/dataset-keys/<sha256 of the sealed file>.key}, one
 * hex key per file, readable by the owner only. Keyed by the ciphertext's checksum, which is what the dataset's
 * on-chain record holds, so `sms push-key DATASET` finds the key from the dataset's address alone.
 */
public final class DatasetKeys {
    private final Path dir;

    public DatasetKeys(Path configDir) {
        this.dir = configDir.resolve("dataset-keys");
    }

    public Path file(String checksum) {
        String hex = checksum.toLowerCase().replaceFirst("^0x", "");
        if (!hex.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a sha256: " + checksum);
        return dir.resolve(hex + ".key");
    }

    public Path save(String checksum, byte[] key) {
        Path file = file(checksum);
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // the config directory's own permissions protect it
            }
            Path tmp = Files.createTempFile(dir, "key", ".part");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // as above
            }
            Files.writeString(tmp, HexFormat.of().formatHex(key));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw UserError.failure("cannot keep the dataset key in " + file + ": " + e.getMessage());
        }
    }

    public Optional<byte[]> load(String checksum) {
        Path file = file(checksum);
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(HexFormat.of().parseHex(Files.readString(file).strip()));
        } catch (IOException | IllegalArgumentException e) {
            throw UserError.failure("cannot read the dataset key " + file + ": " + e.getMessage());
        }
    }
}
