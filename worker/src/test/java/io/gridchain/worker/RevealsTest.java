package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.worker.SlotLedger.Phase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reveals and uploads against a fake scheduler. */
class RevealsTest {

    private final FakeScheduler scheduler = new FakeScheduler();
    private final SlotLedger ledger = new SlotLedger(4, () -> {});
    private final BatchSigner signer = new BatchSigner(scheduler, OutboxTest.KEY.getAddress(),
            OutboxTest.KEY.getEcKeyPair().getPrivateKey(), () -> OutboxTest.DOMAIN, Runnable::run);
    private final Uploader uploader = new Uploader(scheduler);
    private final Reveals reveals = new Reveals(scheduler, ledger, uploader, signer, () -> false);

    /** A replicate committed without its digest, waiting for the scheduler to ask for the reveal. */
    private Pending committed(String id, String digest, byte[] unstored) {
        assertThat(ledger.tryAcquire(1)).isTrue();
        ledger.detach(ledger.start(id, () -> {}));
        Pending p = new Pending(SlotLedgerTest.assignment(id), digest, unstored);
        ledger.awaitReveal(p);
        return p;
    }

    private static byte[] archive(String result) {
        return ResultArchive.encode(List.of(
                new ResultArchive.ArchivedFile("result.txt", result.getBytes(StandardCharsets.UTF_8))));
    }

    private List<List<String>> revealRequests() {
        return FakeScheduler.ids(scheduler.reveals,
                r -> r.reveals().stream().map(WorkerApi.Reveal::replicateId).toList());
    }

    @Test
    void aRefusedRevealIsSplitAndDoesNotTakeTheOthers() {
        scheduler.refuse(WorkerApi.REVEAL, "r2");
        committed("r1", "0xd1", null);
        committed("r2", "0xd2", null);
        committed("r3", "0xd3", null);

        reveals.reveal(List.of("r1", "r2", "r3", "unknown"));

        assertThat(revealRequests()).containsExactly(List.of("r1", "r2", "r3"), List.of("r1"), List.of("r2"),
                List.of("r3"));
        assertThat(reveals.revealed()).isEqualTo(2);
        assertThat(ledger.heldIds()).isEmpty();
        assertThat(ledger.free()).isEqualTo(4);
    }

    @Test
    void anUnreachableSchedulerLeavesTheResultsForTheNextAsk() {
        scheduler.failNext(WorkerApi.REVEAL, 503);
        committed("r1", "0xd1", null);
        committed("r2", "0xd2", null);

        reveals.reveal(List.of("r1", "r2"));
        assertThat(revealRequests()).containsExactly(List.of("r1", "r2"));
        assertThat(ledger.inPhase(Phase.COMMITTED_AWAITING_REVEAL)).containsExactlyInAnyOrder("r1", "r2");

        reveals.reveal(List.of("r1", "r2"));
        assertThat(revealRequests()).containsExactly(List.of("r1", "r2"), List.of("r1", "r2"));
        assertThat(reveals.revealed()).isEqualTo(2);
        assertThat(ledger.heldIds()).isEmpty();
    }

    @Test
    void aResultTheStoreLacksIsUploadedOnceBeforeItsReveal() {
        byte[] archive = archive("42");
        String digest = ResultArchive.digest(archive);
        committed("r1", digest, archive);
        committed("r2", digest, archive); // the same result from another replicate

        reveals.reveal(List.of("r1", "r2"));

        assertThat(scheduler.puts).containsExactly(digest);
        assertThat(scheduler.store).containsKey(digest);
        assertThat(revealRequests()).containsExactly(List.of("r1", "r2"));
        assertThat(signer.results()).containsEntry("0xtask-r1", digest);
    }

    @Test
    void aKeptResultThatDoesNotMatchItsCommitIsDroppedUnrevealed() {
        byte[] archive = archive("42");
        committed("r1", "0x" + "0".repeat(64), archive);

        reveals.reveal(List.of("r1"));

        assertThat(scheduler.puts).isEmpty();
        assertThat(scheduler.reveals).isEmpty();
        assertThat(ledger.holds("r1")).isFalse();
    }

    @Test
    void aFailedUploadIsTriedAgainWhenAskedAgain() {
        byte[] archive = archive("7");
        String digest = ResultArchive.digest(archive);
        scheduler.failNext(WorkerApi.RESULTS, 503);
        committed("r1", digest, archive);

        reveals.reveal(List.of("r1"));
        assertThat(scheduler.reveals).isEmpty();
        assertThat(ledger.inPhase(Phase.COMMITTED_AWAITING_REVEAL)).containsExactly("r1");

        reveals.reveal(List.of("r1"));
        assertThat(scheduler.puts).containsExactly(digest, digest);
        assertThat(revealRequests()).containsExactly(List.of("r1"));
    }
}
