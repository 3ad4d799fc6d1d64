package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.runtime.ResultDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SabotageTest {
    static final String TASK = "0x" + "ab".repeat(32);
    static final String W1 = "0x" + "1".repeat(40);
    static final String W2 = "0x" + "2".repeat(40);

    @TempDir Path tmp;

    private Path output(String name) throws Exception {
        Path out = Files.createDirectories(tmp.resolve(name));
        Files.writeString(out.resolve("result.txt"), "primes below 1000: 168\n");
        return out;
    }

    @Test
    void colludersLieOnTheSameTasksWithTheSameWrongResult() throws Exception {
        Sabotage colluding = new Sabotage(0.5, true, 42, 0);
        int lies = 0;
        for (int i = 0; i < 1_000; i++) {
            String task = "0x" + String.format("%064x", i);
            boolean a = colluding.lies(task, 5, new SplittableRandom(1));
            assertThat(colluding.lies(task, 9, new SplittableRandom(2))).isEqualTo(a);
            if (a) lies++;
        }
        assertThat(lies).isBetween(430, 570);
        Path honest = output("honest");
        Path a = output("a");
        Path b = output("b");
        colluding.corrupt(a, TASK, W1);
        colluding.corrupt(b, TASK, W2);
        assertThat(ResultDigest.of(a)).isEqualTo(ResultDigest.of(b)).isNotEqualTo(ResultDigest.of(honest));
    }

    @Test
    void loneSaboteursDisagreeWithEachOther() throws Exception {
        Sabotage lone = new Sabotage(1.0, false, 42, 0);
        assertThat(lone.lies(TASK, 0, new SplittableRandom(1))).isTrue();
        Path a = output("a");
        Path b = output("b");
        lone.corrupt(a, TASK, W1);
        lone.corrupt(b, TASK, W2);
        assertThat(ResultDigest.of(a)).isNotEqualTo(ResultDigest.of(b));
    }

    @Test
    void aSleeperIsHonestForItsFirstReplicates() {
        Sabotage sleeper = new Sabotage(1.0, true, 42, 30);
        assertThat(sleeper.lies(TASK, 29, new SplittableRandom(1))).isFalse();
        assertThat(sleeper.lies(TASK, 30, new SplittableRandom(1))).isTrue();
        assertThatThrownBy(() -> new Sabotage(1.5, true, 0, 0)).hasMessageContaining("[0, 1]");
    }
}
