package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.worker.SlotLedger.Phase;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** The outbox against a fake scheduler, driven one flush at a time on the test thread, with a hand-moved clock. */
class OutboxTest {

    static final Credentials KEY =
            Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    static final Eip712Domain DOMAIN = new Eip712Domain(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3");

    private final FakeScheduler scheduler = new FakeScheduler();
    private final SlotLedger ledger = new SlotLedger(4, () -> {});
    private final BatchSigner signer = new BatchSigner(scheduler, KEY.getAddress(),
            KEY.getEcKeyPair().getPrivateKey(), () -> DOMAIN, Runnable::run);
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final RecordingAnswers answers = new RecordingAnswers();
    private final Outbox outbox = new Outbox(scheduler, ledger, signer, answers, () -> false, now::get);

    private long inSeconds(long seconds) {
        return now.get() / 1000 + seconds;
    }

    /** A replicate whose job ran and left it to the outbox. */
    private void hold(String id) {
        assertThat(ledger.tryAcquire(1)).isTrue();
        ledger.detach(ledger.start(id, () -> {}));
    }

    private OutboxItem.Commit commit(String id, boolean withDigest, long deadline) {
        hold(id);
        WorkerApi.Assignment a = new WorkerApi.Assignment(id, "0xdeal", 0, "0xtask-" + id, null, null, null, null,
                null, 0, deadline, false, false);
        String digest = "0xdigest-" + id;
        return new OutboxItem.Commit(new Pending(a, digest, null),
                new WorkerApi.Commit(id, "0xcommitment", null, withDigest ? digest : null));
    }

    private OutboxItem.Failure failure(String id, long deadline) {
        hold(id);
        return new OutboxItem.Failure(new WorkerApi.Failure(id, "TRAP", "boom", "", "", null), deadline);
    }

    private List<List<String>> commitRequests() {
        return FakeScheduler.ids(scheduler.commits,
                r -> r.commits().stream().map(WorkerApi.Commit::replicateId).toList());
    }

    private List<List<String>> failRequests() {
        return FakeScheduler.ids(scheduler.fails,
                r -> r.failures().stream().map(WorkerApi.Failure::replicateId).toList());
    }

    @Test
    void queuedItemsGoInOneRequestPerKind() throws InterruptedException {
        outbox.add(commit("c1", true, inSeconds(60)));
        outbox.add(failure("f1", inSeconds(60)));
        outbox.add(commit("c2", true, inSeconds(60)));
        assertThat(ledger.inPhase(Phase.QUEUED_FAILURE)).containsExactly("f1");
        assertThat(ledger.inPhase(Phase.QUEUED_COMMIT)).containsExactlyInAnyOrder("c1", "c2");

        assertThat(outbox.flushOnce(0)).isTrue();

        assertThat(commitRequests()).containsExactly(List.of("c1", "c2"));
        assertThat(failRequests()).containsExactly(List.of("f1"));
        assertThat(outbox.flushOnce(0)).isFalse();
    }

    @Test
    void aRefusedBatchOfCommitsIsSplitAndEachCommitSentAlone() throws InterruptedException {
        scheduler.refuse(WorkerApi.COMMIT, "c2");
        outbox.add(commit("c1", true, inSeconds(60)));
        outbox.add(commit("c2", true, inSeconds(60)));
        outbox.add(commit("c3", true, inSeconds(60)));

        outbox.flushOnce(0);

        assertThat(commitRequests()).containsExactly(List.of("c1", "c2", "c3"), List.of("c1"), List.of("c2"),
                List.of("c3"));
        assertThat(outbox.commits()).isEqualTo(2);
        assertThat(outbox.revealed()).isEqualTo(2);
        assertThat(ledger.heldIds()).isEmpty(); // c2 is given up, c1 and c3 are done
        assertThat(ledger.free()).isEqualTo(4);
        assertThat(answers.startedOn).containsExactly(1, 1); // each accepted commit offered its slot for new work
    }

    @Test
    void aRefusedFailureReportDoesNotTakeTheOthers() throws InterruptedException {
        scheduler.refuse(WorkerApi.FAIL, "f2");
        outbox.add(failure("f1", inSeconds(60)));
        outbox.add(failure("f2", inSeconds(60)));
        outbox.add(failure("f3", inSeconds(60)));

        outbox.flushOnce(0);

        assertThat(failRequests()).containsExactly(List.of("f1", "f2", "f3"), List.of("f1"), List.of("f2"),
                List.of("f3"));
        assertThat(outbox.failures()).isEqualTo(2);
        assertThat(ledger.heldIds()).isEmpty();
        assertThat(ledger.free()).isEqualTo(4);
    }

    @Test
    void anUnreachableSchedulerIsTriedAgainWithAGrowingPause() throws InterruptedException {
        scheduler.failNext(WorkerApi.COMMIT, 503).failNext(WorkerApi.COMMIT, 503);
        outbox.add(commit("c1", false, inSeconds(60)));

        outbox.flushOnce(0);
        assertThat(commitRequests()).hasSize(1);
        assertThat(ledger.inPhase(Phase.RETRYING)).containsExactly("c1");

        now.addAndGet(Outbox.FIRST_RETRY_PAUSE_MILLIS - 1);
        assertThat(outbox.flushOnce(0)).isFalse();
        now.addAndGet(1);
        assertThat(outbox.flushOnce(0)).isTrue();
        assertThat(commitRequests()).hasSize(2);

        now.addAndGet(2 * Outbox.FIRST_RETRY_PAUSE_MILLIS - 1); // the pause doubled
        assertThat(outbox.flushOnce(0)).isFalse();
        now.addAndGet(1);
        assertThat(outbox.flushOnce(0)).isTrue();

        assertThat(commitRequests()).containsExactly(List.of("c1"), List.of("c1"), List.of("c1"));
        assertThat(ledger.inPhase(Phase.RETRYING)).isEmpty();
        assertThat(outbox.commits()).isEqualTo(1);
        // committed without its digest: it keeps its slot until the scheduler asks for the reveal
        assertThat(ledger.inPhase(Phase.COMMITTED_AWAITING_REVEAL)).containsExactly("c1");
        assertThat(ledger.free()).isEqualTo(3);
    }

    @Test
    void anUnreachableSchedulerIsGivenUpAfterTheDeadline() throws InterruptedException {
        scheduler.failNext(WorkerApi.FAIL, 503).failNext(WorkerApi.FAIL, 503);
        outbox.add(failure("f1", inSeconds(1)));

        outbox.flushOnce(0);
        assertThat(ledger.inPhase(Phase.RETRYING)).containsExactly("f1"); // holding its slot while it waits

        now.addAndGet(2_000);
        outbox.flushOnce(0);

        assertThat(failRequests()).containsExactly(List.of("f1"), List.of("f1"));
        assertThat(outbox.failures()).isZero();
        assertThat(ledger.holds("f1")).isFalse();
        assertThat(ledger.free()).isEqualTo(4);
    }

    @Test
    void anUnreachableSchedulerIsNotSplitFor() throws InterruptedException {
        scheduler.failNext(WorkerApi.COMMIT, 503);
        outbox.add(commit("c1", true, inSeconds(60)));
        outbox.add(commit("c2", true, inSeconds(60)));

        outbox.flushOnce(0);

        assertThat(commitRequests()).containsExactly(List.of("c1", "c2"));
        assertThat(ledger.inPhase(Phase.RETRYING)).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void aCommitAnswerStartsWorkOnTheSlotsItsRevealingCommitsFreedAndRevealsWhatItNames()
            throws InterruptedException {
        scheduler.commitAnswer = new WorkerApi.CommitResponse(List.of("c2"));
        outbox.add(commit("c1", true, inSeconds(60)));
        outbox.add(commit("c2", false, inSeconds(60)));

        outbox.flushOnce(0);

        assertThat(scheduler.commits.get(0).claim()).isEqualTo(1);
        assertThat(answers.startedOn).containsExactly(1);
        assertThat(answers.revealAsked).containsExactly(List.of("c2"));
        assertThat(ledger.holds("c1")).isFalse();
        assertThat(ledger.free()).isEqualTo(3); // the answer started nothing: c1's permit went back
        assertThat(ledger.inPhase(Phase.COMMITTED_AWAITING_REVEAL)).containsExactly("c2");
        // a revealed result may be signed in a batch; one only committed may not yet
        assertThat(signer.results()).containsOnlyKeys("0xtask-c1");
    }
}
