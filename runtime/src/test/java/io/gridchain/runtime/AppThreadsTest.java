package io.gridchain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AppThreadsTest {

    @Test
    void aTaskThatIgnoresItsInterruptNeitherBlocksNorInterruptsLaterTasks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stuckSawInterrupt = new AtomicBoolean();
        AtomicReference<Thread> stuckThread = new AtomicReference<>();
        AppThreads.AppTask stuck = AppThreads.start("stuck", () -> {
            stuckThread.set(Thread.currentThread());
            // like host code that does not check the interrupt: keeps going until released
            while (release.getCount() > 0) {
                try {
                    release.await(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    stuckSawInterrupt.set(true);
                }
            }
            Thread.currentThread().interrupt(); // and ends with its interrupt flag set
        });
        stuck.interrupt();
        assertThat(stuck.await(Duration.ofMillis(100))).isFalse();

        // the stuck thread is busy, so this one runs on another thread, uninterrupted
        AtomicReference<Boolean> nextInterrupted = new AtomicReference<>();
        AppThreads.AppTask next = AppThreads.start("next", () ->
                nextInterrupted.set(Thread.currentThread().isInterrupted()));
        assertThat(next.await(Duration.ofSeconds(10))).isTrue();
        assertThat(nextInterrupted.get()).isFalse();

        release.countDown();
        assertThat(stuck.await(Duration.ofSeconds(10))).isTrue();
        assertThat(stuckSawInterrupt).isTrue();

        // once back in the pool, the stuck task's thread runs later tasks with a clear interrupt flag. Idle threads
        // take work last-in first-out, so run as many tasks at once as there are pooled threads to reach them all.
        boolean reused = false;
        for (int attempt = 0; attempt < 10 && !reused; attempt++) {
            Thread.sleep(20); // let the stuck task's thread go back to waiting for work
            int count = AppThreads.threadsCreated() + 1;
            CountDownLatch allRunning = new CountDownLatch(count);
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            AtomicBoolean anyInterrupted = new AtomicBoolean();
            List<AppThreads.AppTask> later = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                later.add(AppThreads.start("later", () -> {
                    ranOn.add(Thread.currentThread());
                    if (Thread.currentThread().isInterrupted()) {
                        anyInterrupted.set(true);
                    }
                    allRunning.countDown();
                    try {
                        allRunning.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        anyInterrupted.set(true);
                    }
                }));
            }
            for (AppThreads.AppTask task : later) {
                assertThat(task.await(Duration.ofSeconds(20))).isTrue();
            }
            assertThat(anyInterrupted).isFalse();
            reused = ranOn.contains(stuckThread.get());
        }
        assertThat(reused).isTrue();
    }

    @Test
    void aTaskInterruptedBeforeItFinishesStopsAtItsNextCheck() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        AppThreads.AppTask task = AppThreads.start("spin", () -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            stopped.set(true);
        });
        assertThat(task.await(Duration.ofMillis(50))).isFalse();

        task.interrupt();

        assertThat(task.await(Duration.ofSeconds(10))).isTrue();
        assertThat(stopped).isTrue();
        assertThat(started.getCount()).isZero();
    }

    @Test
    void aRunOnACallerThreadIsInterruptedAtItsDeadlineAndLeavesNoInterruptBehind() throws Exception {
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread caller = AppThreads.callerThreads("caller").newThread(() -> {
            seen.add(AppThreads.onCallerThread());
            AtomicBoolean timedOut = new AtomicBoolean();
            AppThreads.runHere(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
            }, Duration.ofMillis(50), () -> timedOut.set(true));
            seen.add(timedOut.get());
            seen.add(Thread.currentThread().isInterrupted());

            AtomicBoolean late = new AtomicBoolean();
            AppThreads.runHere(() -> { }, Duration.ofMillis(20), () -> late.set(true));
            try {
                Thread.sleep(100); // past the finished run's deadline: its alarm was cancelled
                seen.add(late.get());
            } catch (InterruptedException e) {
                seen.add("interrupted after the run");
            }
        });
        caller.start();
        caller.join(10_000);

        assertThat(seen).containsExactly(true, true, false, false);
        assertThat(AppThreads.onCallerThread()).isFalse();
    }
}
