package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    @Timeout(60) // the loop waits for the session's own progress, not for a time
    void theLoopBacksOffWhenUnreachableAndRegistersAgainWhenForgotten(@TempDir Path cache) throws Exception {
        FakeScheduler scheduler = new FakeScheduler()
                .failNext(WorkerApi.REGISTER, 503)
                .failNext(WorkerApi.CLAIM, 403, "worker not registered");
        WorkerConfig config = new WorkerConfig("http://unused", OutboxTest.KEY, 2, cache, Duration.ofMinutes(10));
        SlotLedger ledger = new SlotLedger(2, () -> {});
        List<Long> heartbeatPeriods = new CopyOnWriteArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        // an empty claim answer starts nothing: no dispatcher or signer is reached
        Session session = new Session(config, scheduler, ledger, null, null, heartbeatPeriods::add, closed);
        Thread loop = new Thread(session);
        loop.start();
        try {
            // register fails, register, claim fails (forgotten), register, claim: then it waits its poll interval
            while (scheduler.claims.size() < 2) {
                assertThat(loop.isAlive()).isTrue();
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } finally {
            closed.set(true);
            session.wakeUp();
            loop.join(10_000);
        }
        assertThat(loop.isAlive()).isFalse();
        assertThat(scheduler.registers).hasSize(3)
                .allSatisfy(r -> assertThat(r.slots()).isEqualTo(2));
        assertThat(scheduler.claims).extracting(WorkerApi.ClaimRequest::max).containsExactly(2, 2);
        assertThat(heartbeatPeriods).containsExactly(7L); // started once, with the scheduler's period
        assertThat(session.domain()).isEqualTo(OutboxTest.DOMAIN);
        assertThat(ledger.free()).isEqualTo(2); // the failed claim gave its permits back
    }

    private static SchedulerException error(int status, String message) {
        return new SchedulerException(status, "POST", WorkerApi.CLAIM, message, null);
    }
}
