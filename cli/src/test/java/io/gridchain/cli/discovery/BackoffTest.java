package io.gridchain.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff B = Backoff.DEFAULT;
    private static final long DEADLINE = 1_000_000;

    @Test
    void pausesDoubleFromHalfASecondUpToTenSeconds() {
        assertThat(B.pause(1)).isEqualTo(500);
        assertThat(B.pause(2)).isEqualTo(1_000);
        assertThat(B.pause(3)).isEqualTo(2_000);
        assertThat(B.pause(5)).isEqualTo(8_000);
        assertThat(B.pause(6)).isEqualTo(10_000);
        assertThat(B.pause(1_000)).isEqualTo(10_000);
    }

    @Test
    void noAnswerATimeoutAndA5xxAreWaitedOutBeforeTheDeadline() {
        assertThat(B.decide(0, 1, DEADLINE - 100, DEADLINE)).isEqualTo(new Backoff.Retry(500));
        assertThat(B.decide(503, 3, DEADLINE - 100, DEADLINE)).isEqualTo(new Backoff.Retry(2_000));
        assertThat(B.decide(500, 9, DEADLINE - 100, DEADLINE)).isEqualTo(new Backoff.Retry(10_000));
        assertThat(B.decide(408, 1, DEADLINE - 100, DEADLINE)).isInstanceOf(Backoff.Retry.class);
        assertThat(B.decide(429, 1, DEADLINE - 100, DEADLINE)).isInstanceOf(Backoff.Retry.class);
    }

    @Test
    void aPauseEndsAtTheDeadlineSoThatTheClientGivesUpOnTime() {
        assertThat(B.decide(0, 9, DEADLINE - 3, DEADLINE)).isEqualTo(new Backoff.Retry(3_000));
    }

    @Test
    void atTheDeadlineTheClientGivesUp() {
        assertThat(B.decide(0, 1, DEADLINE, DEADLINE)).isEqualTo(new Backoff.GiveUp(true));
        assertThat(B.decide(503, 40, DEADLINE + 1, DEADLINE)).isEqualTo(new Backoff.GiveUp(true));
    }

    @Test
    void aRefusalIsFinalAtOnce() {
        for (int status : new int[] {400, 401, 403, 404, 409, 413}) {
            assertThat(B.decide(status, 1, DEADLINE - 100, DEADLINE)).isEqualTo(new Backoff.GiveUp(false));
            assertThat(Backoff.transientStatus(status)).isFalse();
        }
    }
}
