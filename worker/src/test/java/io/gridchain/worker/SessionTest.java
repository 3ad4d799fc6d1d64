package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import org.junit.jupiter.api.Test;

class SessionTest {

    @Test
    void theBackOffDoublesFromItsFirstPauseUpToItsCap() {
        long backoff = 0;
        StringBuilder pauses = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            backoff = Session.nextBackoff(backoff);
            pauses.append(backoff).append(' ');
        }
        assertThat(pauses.toString().strip()).isEqualTo("250 500 1000 2000 4000 5000 5000");
    }

    @Test
    void onlyAClientErrorAboutRegistrationMeansTheSchedulerForgotUs() {
        assertThat(Session.forgotUs(error(403, "worker is not registered"))).isTrue();
        assertThat(Session.forgotUs(error(401, "Unknown worker: register first"))).isTrue();
        assertThat(Session.forgotUs(error(503, "not registered"))).isFalse();
        assertThat(Session.forgotUs(error(400, "bad request"))).isFalse();
        assertThat(Session.forgotUs(new SchedulerException(404, "POST", WorkerApi.CLAIM, null, null))).isFalse();
    }

    private static SchedulerException error(int status, String message) {
        return new SchedulerException(status, "POST", WorkerApi.CLAIM, message, null);
    }
}
