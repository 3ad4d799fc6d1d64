package io.gridchain.worker;

import io.gridchain.api.WorkerApi;

/**
 * The scheduler's worker API as the agent's parts see it. A seam so the session, outbox, reveals, uploads and batch
 * signing can be tested against a fake that records what it receives; {@link SchedulerClient} is the real one.
 */
interface SchedulerPort {

    WorkerApi.RegisterResponse register(WorkerApi.RegisterRequest request);

    /** True when the scheduler forgot this worker's session (it restarted): register again. */
    boolean sessionLost();

    WorkerApi.ClaimResponse claim(WorkerApi.ClaimRequest request);

    WorkerApi.HeartbeatResponse heartbeat(WorkerApi.Heartbeat request);

    WorkerApi.CommitResponse commit(WorkerApi.CommitRequest request);

    WorkerApi.Ack fail(WorkerApi.FailRequest request);

    WorkerApi.Ack reveal(WorkerApi.RevealRequest request);

    WorkerApi.Ack sign(WorkerApi.SignResponse response);

    boolean hasResult(String digest);

    void putResult(String digest, byte[] archive);
}
