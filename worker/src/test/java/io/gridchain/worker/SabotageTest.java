package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.runtime.ResultArchive;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SabotageTest {
    static final String TASK = "0x" + "ab".repeat(32);
    static final String W1 = "0x" + "1".repeat(40);
    static final String W2 = "0x" + "2".repeat(40);

    private static final byte[] HONEST = ResultArchive.encode(List.of(new ResultArchive.ArchivedFile("result.txt",
            "primes below 1000: 168\n".getBytes(StandardCharsets.UTF_8))));

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
        byte[] a = colluding.corrupt(HONEST, TASK, W1);
        byte[] b = colluding.corrupt(HONEST, TASK, W2);
        assertThat(a).isEqualTo(b).isNotEqualTo(HONEST);
        assertThat(new String(ResultArchive.read(a).get(0).content(), StandardCharsets.UTF_8))
                .startsWith("primes below 1000: 168\nsabotage ");
    }

    @Test
    void loneSaboteursDisagreeWithEachOther() throws Exception {
        Sabotage lone = new Sabotage(1.0, false, 42, 0);
        assertThat(lone.lies(TASK, 0, new SplittableRandom(1))).isTrue();
        assertThat(lone.corrupt(HONEST, TASK, W1)).isNotEqualTo(lone.corrupt(HONEST, TASK, W2));
        byte[] empty = ResultArchive.encode(List.of());
        assertThat(ResultArchive.read(lone.corrupt(empty, TASK, W1))).extracting(ResultArchive.ArchivedFile::path)
                .containsExactly("result.txt");
    }

    @Test
    void aSleeperIsHonestForItsFirstReplicates() {
        Sabotage sleeper = new Sabotage(1.0, true, 42, 30);
        assertThat(sleeper.lies(TASK, 29, new SplittableRandom(1))).isFalse();
        assertThat(sleeper.lies(TASK, 30, new SplittableRandom(1))).isTrue();
        assertThatThrownBy(() -> new Sabotage(1.5, true, 0, 0)).hasMessageContaining("[0, 1]");
    }
}
