package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import java.util.ArrayList;
import java.util.List;

/** What the outbox asked of the agent after commit answers; it starts no work. */
final class RecordingAnswers implements Outbox.CommitAnswers {

    /** The permits offered to each answer's assignments. */
    final List<Integer> startedOn = new ArrayList<>();
    final List<List<String>> revealAsked = new ArrayList<>();

    @Override
    public void start(List<WorkerApi.Assignment> assignments, int permits, int[] used) {
        startedOn.add(permits);
    }

    @Override
    public void sign(List<WorkerApi.SignRequest> requests) {}

    @Override
    public void reveal(List<String> replicateIds) {
        revealAsked.add(replicateIds);
    }
}
