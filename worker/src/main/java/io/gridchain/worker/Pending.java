package io.gridchain.worker;

import io.gridchain.api.WorkerApi;

/**
 * A result on its way to the scheduler: committed or to be committed, waiting for its reveal. {@code unstored}
 * holds the bytes for the scheduler's store when the upload before the commit failed, null when the store already
 * holds them.
 */
record Pending(WorkerApi.Assignment assignment, String digest, byte[] unstored) {

    String replicateId() {
        return assignment.replicateId();
    }
}
