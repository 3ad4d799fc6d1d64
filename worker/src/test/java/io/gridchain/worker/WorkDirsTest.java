package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** What a killed worker leaves in its work directories is deleted when it starts again; the cache by sha256 stays. */
class WorkDirsTest {
    private static final Credentials KEY =
            Credentials.create("0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f");

    @TempDir Path cache;

    @Test
    void leftoversOfAKilledRunAreClearedAndOtherWorkersAreLeftAlone() throws Exception {
        WorkDirs dirs = new WorkDirs(cache.resolve("work").resolve("me"), 2);
        Path killed = dirs.take();
        Files.createDirectories(killed.resolve("out"));
        Files.writeString(killed.resolve("out").resolve("result.txt"), "of a deal on a chain that is gone");
        Path other = Files.createDirectories(cache.resolve("work").resolve("someone-else").resolve("r-1"));

        new WorkDirs(cache.resolve("work").resolve("me"), 2).clearLeftovers();

        assertThat(killed).doesNotExist();
        assertThat(cache.resolve("work").resolve("me")).isEmptyDirectory();
        assertThat(other).exists();
    }

    @Test
    void aStartingAgentClearsItsOwnLeftoversAndKeepsTheCache() throws Exception {
        String address = KEY.getAddress().toLowerCase();
        Path leftover = Files.createDirectories(cache.resolve("work").resolve(address).resolve("r-killed").resolve("in"));
        Files.writeString(leftover.resolve("input.txt"), "staged for a replicate that will never resume");
        Path cached = Files.createDirectories(cache.resolve("sha256")).resolve("ab".repeat(32));
        Files.writeString(cached, "an app, the same on every chain");

        // nothing answers at this URL: the agent only has to start
        WorkerConfig config = new WorkerConfig("http://127.0.0.1:9", KEY, 1, cache, Duration.ofMillis(50));
        WorkerAgent agent = new WorkerAgent(config).start();
        agent.close();

        assertThat(cache.resolve("work").resolve(address).resolve("r-killed")).doesNotExist();
        assertThat(cached).hasContent("an app, the same on every chain");
    }
}
