package io.gridchain.scheduler.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheReportsTest {
    static final String W = "0x" + "a".repeat(40);
    static final String X = "ab".repeat(32);
    static final String Y = "cd".repeat(32);
    static final String Z = "ef".repeat(32);

    @Test
    void aReportReplacesTheLastButKeepsWhatTheWorkerHoldsAndWasGivenLately() {
        CacheReports caches = new CacheReports();
        caches.reported(W, List.of("0x" + Y.toUpperCase()), List.of(X), 0);
        assertThat(caches.of(W)).containsExactlyInAnyOrder(X, Y);
        // a task reading Z was given after the worker sent its report: Z stays through that report
        caches.given(W, List.of(Z), 1_000);
        caches.reported(W, List.of(), List.of(), 2_000);
        assertThat(caches.of(W)).containsExactly(Z);
        caches.reported(W, List.of(), List.of(), 1_000 + CacheReports.GIVEN_GRACE_MILLIS + 1);
        assertThat(caches.of(W)).isEmpty(); // evicted since, and nothing held
    }

    @Test
    void anInputsActivityIsItsLastGivingOutOrItsFirstReport() {
        CacheReports caches = new CacheReports();
        assertThat(caches.activity(X)).isZero();
        caches.reported(W, List.of(X), List.of(), 500);
        caches.reported(W, List.of(X), List.of(), 900); // reporting again is not activity
        assertThat(caches.activity(X)).isEqualTo(500);
        caches.given(W, List.of(X), 2_000);
        assertThat(caches.activity(X)).isEqualTo(2_000);
    }

    @Test
    void aWorkerCannotMakeTheSchedulerHoldAnUnboundedReportNorJunk() {
        CacheReports caches = new CacheReports();
        List<String> flood = new ArrayList<>();
        flood.add("not a checksum");
        for (int i = 0; i < 10_000; i++) flood.add(String.format("%064x", i));
        caches.reported(W, flood, List.of(), 0);
        assertThat(caches.of(W)).hasSize(WorkerApi.MAX_CACHED_REPORT - 1).doesNotContain("not a checksum");
    }
}
