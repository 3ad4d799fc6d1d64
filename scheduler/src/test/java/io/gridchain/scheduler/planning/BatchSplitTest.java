package io.gridchain.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.model.Task;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchSplitTest {
    private final List<Task> tasks = Fixtures.tasksOf(Fixtures.deal(Fixtures.dealId(1), 4, 1, 1));

    @Test
    void withoutSoloTasksTheBatchStaysWhole() {
        assertThat(BatchSplit.split(tasks, Set.of())).containsExactly(tasks);
    }

    @Test
    void eachSoloTaskGoesAloneAndTheOthersStayTogether() {
        Set<String> solo = Set.of(tasks.get(1).taskId(), tasks.get(3).taskId());

        assertThat(BatchSplit.split(tasks, solo)).containsExactly(List.of(tasks.get(1)), List.of(tasks.get(3)),
                List.of(tasks.get(0), tasks.get(2)));
    }

    @Test
    void aBatchOfSoloTasksOnlyIsAllSingles() {
        Set<String> solo = Set.of(tasks.get(0).taskId(), tasks.get(1).taskId());

        assertThat(BatchSplit.split(tasks.subList(0, 2), solo)).containsExactly(List.of(tasks.get(0)),
                List.of(tasks.get(1)));
    }
}
