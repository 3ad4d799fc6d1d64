package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryMachineTest {
    static final String POOL = "0x" + "11".repeat(20);
    final DeliveryMachine machine = new DeliveryMachine(3, 1_000, 3_000);
    final TaskDelivery fresh = TaskDelivery.pending("0x" + "aa".repeat(32), "0x" + "bb".repeat(32), 2,
            "0x" + "cc".repeat(32), false, 100);

    @Test
    void aSuccessfulUploadIsDelivered() {
        TaskDelivery d = machine.delivered(fresh, 500);
        assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.cause()).isNull();
        assertThat(d.due(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void failuresRetryWithADoublingBackoffThenFailWithTheOneLineCause() {
        TaskDelivery once = machine.failed(fresh, "s3://b/p", "AccessDenied (403): Access Denied", POOL, 1_000);
        assertThat(once.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(once.nextAt()).isEqualTo(2_000);
        assertThat(once.cause()).isEqualTo("attempt 1 of 3 to deliver to s3://b/p failed: AccessDenied (403): Access "
                + "Denied; trying again");
        assertThat(once.due(1_999)).isFalse();
        assertThat(once.due(2_000)).isTrue();
        TaskDelivery twice = machine.failed(once, "s3://b/p", "AccessDenied (403): Access Denied", POOL, 2_000);
        assertThat(twice.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(twice.nextAt()).isEqualTo(4_000);
        TaskDelivery failed = machine.failed(twice, "s3://b/p", "AccessDenied (403): Access Denied", POOL, 4_000);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.cause()).isEqualTo("delivery to s3://b/p failed after 3 attempts: AccessDenied (403): Access"
                + " Denied; the result stays downloadable from pool " + POOL);
        assertThat(failed.due(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void theBackoffIsCapped() {
        assertThat(machine.backoff(1)).isEqualTo(1_000);
        assertThat(machine.backoff(2)).isEqualTo(2_000);
        assertThat(machine.backoff(3)).isEqualTo(3_000);
        assertThat(machine.backoff(30)).isEqualTo(3_000);
    }

    @Test
    void aResultNotInThePoolsStoreYetWaitsWithoutUsingAnAttempt() {
        TaskDelivery w = machine.waiting(fresh, 1_000);
        assertThat(w.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(w.attempts()).isZero();
        assertThat(w.nextAt()).isEqualTo(2_000);
        assertThat(w.cause()).contains("waiting for the result");
    }

    @Test
    void endedDeliveriesMoveNoMoreButANewTargetStartsThemAgain() {
        TaskDelivery done = machine.delivered(fresh, 1);
        assertThatThrownBy(() -> machine.failed(done, "x", "y", POOL, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> machine.delivered(done, 2)).isInstanceOf(IllegalStateException.class);
        TaskDelivery again = machine.retargeted(done, 5);
        assertThat(again.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(again.attempts()).isZero();
        assertThat(again.due(5)).isTrue();
    }

    @Test
    void aSingleAttemptPolicyFailsAtOnce() {
        TaskDelivery d = new DeliveryMachine(1, 0, 0).failed(fresh, "http://h/x", "HttpError (500)", POOL, 1);
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(d.cause()).startsWith("delivery to http://h/x failed after 1 attempt: HttpError (500)");
    }

    @Test
    void theAllowedMovesAreThoseOfTheStatusEnum() {
        for (DeliveryStatus s : DeliveryStatus.values()) {
            assertThat(s.canMoveTo(DeliveryStatus.DELIVERED)).isEqualTo(!s.terminal());
        }
    }
}
