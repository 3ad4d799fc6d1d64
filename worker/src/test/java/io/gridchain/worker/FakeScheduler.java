package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scheduler that records every request it receives and answers as scripted: each call first takes the next
 * scripted failure for its path, if any, then asks the path's refusal rule (a bad item refuses any batch holding
 * it). Scripts are set before the parts run; only the register and claim logs are read while a loop writes them.
 */
final class FakeScheduler implements SchedulerPort {

    final List<WorkerApi.CommitRequest> commits = new ArrayList<>();
    final List<WorkerApi.FailRequest> fails = new ArrayList<>();
    final List<WorkerApi.RevealRequest> reveals = new ArrayList<>();
    final List<WorkerApi.SignResponse> signatures = new ArrayList<>();
    /** Written by a session's claim loop while the test reads them. */
    final List<WorkerApi.RegisterRequest> registers = new CopyOnWriteArrayList<>();
    final List<WorkerApi.ClaimRequest> claims = new CopyOnWriteArrayList<>();
    final List<WorkerApi.Heartbeat> heartbeats = new ArrayList<>();
    final Map<String, byte[]> store = new HashMap<>();
    final List<String> puts = new ArrayList<>();
    final List<String> heads = new ArrayList<>();

    private final Map<String, Deque<SchedulerException>> scripted = new HashMap<>();
    /** Per path: the replicate id that makes the scheduler refuse a request naming it. */
    private final Map<String, String> refuses = new HashMap<>();
    WorkerApi.RegisterResponse registerAnswer =
            new WorkerApi.RegisterResponse("0xpool", OutboxTest.DOMAIN.hub(), OutboxTest.DOMAIN.chainId(), "0", 7);
    WorkerApi.CommitResponse commitAnswer = new WorkerApi.CommitResponse(List.of(), List.of(), List.of());

    /** The next request to {@code path} fails with {@code status}. */
    FakeScheduler failNext(String path, int status) {
        return failNext(path, status, "scripted " + status);
    }

    FakeScheduler failNext(String path, int status, String message) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>())
                .add(new SchedulerException(status, "POST", path, message, null));
        return this;
    }

    /** Every request to {@code path} naming {@code replicateId} is refused (400). */
    FakeScheduler refuse(String path, String replicateId) {
        refuses.put(path, replicateId);
        return this;
    }

    /** Records the request, then fails it if scripted or if it names a refused item. */
    private <R, T> void receive(List<R> log, R request, String path, List<T> items, Function<T, String> id) {
        log.add(request);
        Deque<SchedulerException> next = scripted.get(path);
        if (next != null && !next.isEmpty()) {
            throw next.poll();
        }
        String bad = refuses.get(path);
        if (bad != null && items.stream().map(id).anyMatch(bad::equals)) {
            throw new SchedulerException(400, "POST", path, "refused " + bad, null);
        }
    }

    @Override
    public WorkerApi.CommitResponse commit(WorkerApi.CommitRequest request) {
        receive(commits, request, WorkerApi.COMMIT, request.commits(), WorkerApi.Commit::replicateId);
        return commitAnswer;
    }

    @Override
    public WorkerApi.Ack fail(WorkerApi.FailRequest request) {
        receive(fails, request, WorkerApi.FAIL, request.failures(), WorkerApi.Failure::replicateId);
        return null;
    }

    @Override
    public WorkerApi.Ack reveal(WorkerApi.RevealRequest request) {
        receive(reveals, request, WorkerApi.REVEAL, request.reveals(), WorkerApi.Reveal::replicateId);
        return null;
    }

    @Override
    public WorkerApi.Ack sign(WorkerApi.SignResponse response) {
        receive(signatures, response, WorkerApi.SIGN, List.of(response.batchId()), b -> b);
        return null;
    }

    @Override
    public boolean hasResult(String digest) {
        heads.add(digest);
        return store.containsKey(digest);
    }

    @Override
    public void putResult(String digest, byte[] archive) {
        receive(puts, digest, WorkerApi.RESULTS, List.of(digest), d -> d);
        store.put(digest, archive);
    }

    @Override
    public WorkerApi.RegisterResponse register(WorkerApi.RegisterRequest request) {
        receive(registers, request, WorkerApi.REGISTER, List.of(), x -> "");
        return registerAnswer;
    }

    @Override
    public boolean sessionLost() {
        return false;
    }

    @Override
    public WorkerApi.ClaimResponse claim(WorkerApi.ClaimRequest request) {
        receive(claims, request, WorkerApi.CLAIM, List.of(), x -> "");
        return null;
    }

    @Override
    public WorkerApi.HeartbeatResponse heartbeat(WorkerApi.Heartbeat request) {
        heartbeats.add(request);
        return null;
    }

    /** The replicate ids of each request, in order. */
    static <T> List<List<String>> ids(List<T> requests, Function<T, List<String>> of) {
        return requests.stream().map(of).toList();
    }
}
