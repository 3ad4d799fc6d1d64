package io.gridchain.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.protocol.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a running devnet publishes about itself in {@code <config dir>/devnet/state.json}: its process,
 * the chain, the contracts, the pool's services, the example apps and the dev accounts.
 */
public record DevnetState(long pid, String rpc, long chainId, Protocol.Addresses addresses, String workerpool,
        String scheduler, String market, String explorer, List<App> apps, List<Account> accounts,
        String walletPassword) {

    /** An example app published with an app order on the devnet. */
    public record App(String name, String address) {}

    /** A dev account: its role, address, and the keystore the CLI can use for it. */
    public record Account(String role, String address, String wallet) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Path dir(Path configFile) {
        return configFile.toAbsolutePath().getParent().resolve("devnet");
    }

    public static Path file(Path configFile) {
        return dir(configFile).resolve("state.json");
    }

    public static Optional<DevnetState> read(Path configFile) {
        Path f = file(configFile);
        if (!Files.exists(f)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(f.toFile(), DevnetState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void write(Path configFile) {
        Path f = file(configFile);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), "state", ".json");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
