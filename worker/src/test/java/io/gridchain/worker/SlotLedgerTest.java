package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import io.gridchain.worker.SlotLedger.Phase;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlotLedgerTest {

    private final AtomicInteger wakes = new AtomicInteger();
    private final SlotLedger ledger = new SlotLedger(3, wakes::incrementAndGet);

    static WorkerApi.Assignment assignment(String id) {
        return new WorkerApi.Assignment(id, "0xdeal", 0, "0xtask-" + id, null, null, null, null, null, 0,
                Long.MAX_VALUE, false, false);
    }

    /** Takes a permit and starts the replicate on it, as the dispatcher does. */
    private SlotLedger.Held start(String id, SlotLedger.Cancellable job) {
        assertThat(ledger.tryAcquire(1)).isTrue();
        return ledger.start(id, job);
    }

    @Test
    void permitsAreAcquiredAndReleasedAndAReleaseWakesTheClaimLoop() {
        assertThat(ledger.tryAcquire(2)).isTrue();
        assertThat(ledger.free()).isEqualTo(1);
        assertThat(ledger.tryAcquire(2)).isFalse();
        ledger.release(2);
        assertThat(ledger.free()).isEqualTo(3);
        assertThat(wakes).hasValue(1);
        ledger.release(0);
        assertThat(wakes).hasValue(1);
    }

    @Test
    void aReplicateHoldsItsSlotThroughItsPhasesUntilFinished() {
        SlotLedger.Held held = start("r1", () -> {});
        assertThat(ledger.inPhase(Phase.RUNNING)).containsExactly("r1");
        assertThat(ledger.heldIds()).containsExactly("r1");
        assertThat(ledger.attachedIds()).containsExactly("r1");
        assertThat(ledger.anyAttached()).isTrue();

        ledger.to("r1", Phase.QUEUED_COMMIT);
        ledger.detach(held);
        assertThat(ledger.attachedIds()).isEmpty();
        assertThat(ledger.anyAttached()).isFalse();
        assertThat(ledger.heldIds()).containsExactly("r1"); // the heartbeat still lists it
        Pending pending = new Pending(assignment("r1"), "0xd1", null);
        ledger.awaitReveal(pending);
        assertThat(ledger.inPhase(Phase.COMMITTED_AWAITING_REVEAL)).containsExactly("r1");
        assertThat(ledger.free()).isEqualTo(2);

        assertThat(ledger.takeForReveal("r1")).isSameAs(pending);
        assertThat(ledger.takeForReveal("r1")).isNull(); // a second ask while revealing finds nothing
        ledger.revealLater(pending);
        assertThat(ledger.inPhase(Phase.COMMITTED_AWAITING_REVEAL)).containsExactly("r1");

        ledger.finish("r1");
        ledger.finish("r1");
        assertThat(ledger.free()).isEqualTo(3);
        assertThat(wakes).hasValue(1);
        assertThat(ledger.heldIds()).isEmpty();
    }

    @Test
    void aReplicateAlreadyHeldIsNotStartedTwice() {
        start("r1", () -> {});
        assertThat(ledger.start("r1", () -> {})).isNull();
        assertThat(ledger.holds("r1")).isTrue();
        assertThat(ledger.heldIds()).containsExactly("r1");
    }

    @Test
    void aJobThatCouldNotRunLeavesThePermitWithTheCaller() {
        start("r1", () -> {});
        ledger.unstart("r1");
        assertThat(ledger.holds("r1")).isFalse();
        assertThat(ledger.anyAttached()).isFalse();
        assertThat(ledger.free()).isEqualTo(2);
        ledger.release(1);
        assertThat(ledger.free()).isEqualTo(3);
    }

    @Test
    void cancellingARunningReplicateStopsItsJobAndItsSlotIsFreedWhenTheJobEnds() {
        AtomicInteger cancels = new AtomicInteger();
        SlotLedger.Held held = start("r1", cancels::incrementAndGet);
        SlotLedger.Cancelled c = ledger.cancel("r1");
        assertThat(c).isEqualTo(new SlotLedger.Cancelled(true, false));
        assertThat(cancels).hasValue(1);
        ledger.detach(held);
        ledger.finish("r1"); // the job handed nothing off
        assertThat(ledger.free()).isEqualTo(3);
        assertThat(ledger.cancel("r1")).isEqualTo(SlotLedger.Cancelled.NOTHING);
    }

    @Test
    void cancellingACommittedReplicateDropsItsResultAndFreesItsSlot() {
        SlotLedger.Held held = start("r1", () -> {});
        ledger.detach(held);
        ledger.awaitReveal(new Pending(assignment("r1"), "0xd1", null));
        assertThat(ledger.cancel("r1")).isEqualTo(new SlotLedger.Cancelled(false, true));
        assertThat(ledger.free()).isEqualTo(3);
        assertThat(ledger.takeForReveal("r1")).isNull();
    }

    @Test
    void aReplicateBeingRevealedIsNotDroppedByACancel() {
        SlotLedger.Held held = start("r1", () -> {});
        ledger.detach(held);
        ledger.awaitReveal(new Pending(assignment("r1"), "0xd1", null));
        assertThat(ledger.takeForReveal("r1")).isNotNull();
        assertThat(ledger.cancel("r1").dropped()).isFalse();
        assertThat(ledger.holds("r1")).isTrue();
    }

    @Test
    void aHandedOverSlotIsNotReleasedToTheSemaphore() {
        SlotLedger.Held held = start("r1", () -> {});
        ledger.detach(held);
        assertThat(ledger.handOver("r1")).isTrue();
        assertThat(ledger.handOver("r1")).isFalse();
        assertThat(ledger.free()).isEqualTo(2); // the caller now holds the permit
        assertThat(wakes).hasValue(0);
    }

    @Test
    void closingCancelsOnlyJobsStillAttached() {
        AtomicInteger cancels = new AtomicInteger();
        start("r1", cancels::incrementAndGet);
        SlotLedger.Held done = start("r2", cancels::incrementAndGet);
        ledger.detach(done);
        ledger.cancelAll();
        assertThat(cancels).hasValue(1);
    }
}
