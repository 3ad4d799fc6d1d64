package io.gridchain.protocol.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a deployment on one chain has done so far, written after each contract is confirmed so that a deployment cut
 * short resumes instead of starting a second set, and a finished one is recognised instead of repeated.
 *
 * @param chainId   the chain's id
 * @param genesis   the chain's genesis block hash: a devnet restarted with the same chain id is another chain
 * @param deployer  the account that deploys and owns the hub
 * @param devToken  whether the currency is a DevToken deployed here (else {@code contracts.token} was given)
 * @param contracts each deployed contract by step name ({@link Deployer#STEPS}): its address and code hash; an
 *                  existing token given as the currency is recorded under {@code token} as well
 * @param gasUsed   gas of the deployment's transactions so far
 * @param weiSpent  what those transactions cost, in wei
 */
public record Journal(long chainId, String genesis, String deployer, boolean devToken, Map<String, Entry> contracts,
        long gasUsed, BigInteger weiSpent) {
    /** A deployed contract: its address and the keccak-256 of its runtime code as verified when it was deployed. */
    public record Entry(String address, String codeHash) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Journal {
        contracts = Map.copyOf(new LinkedHashMap<>(contracts));
    }

    public static Journal start(long chainId, String genesis, String deployer, boolean devToken) {
        return new Journal(chainId, genesis, deployer, devToken, Map.of(), 0, BigInteger.ZERO);
    }

    public Optional<Entry> entry(String step) {
        return Optional.ofNullable(contracts.get(step));
    }

    /** Whether every step the deployment needs is recorded (the token too: deployed, or the one given). */
    public boolean complete() {
        return Deployer.STEPS.stream().allMatch(contracts::containsKey);
    }

    public Journal with(String step, Entry entry, long gas, BigInteger wei) {
        Map<String, Entry> next = new LinkedHashMap<>(contracts);
        next.put(step, entry);
        return new Journal(chainId, genesis, deployer, devToken, next, gasUsed + gas, weiSpent.add(wei));
    }

    /** The file for a chain: {@code DIR/<chainId>-<first 8 hex digits of the genesis hash>.json}. */
    public static Path file(Path dir, long chainId, String genesis) {
        return dir.resolve(chainId + "-" + genesis.substring(2, 10).toLowerCase() + ".json");
    }

    public static Optional<Journal> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(file.toFile(), Journal.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the deployment journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written to a temporary file then moved, so a crash never leaves half a journal. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the deployment journal " + file + ": " + e.getMessage(), e);
        }
    }
}
