package io.gridchain.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads apps run on: daemon threads with a large stack (compiled wasm calls are JVM calls, so deep wasm
 * recursion needs a deep JVM stack). Idle threads are reused because starting a thread with such a stack costs
 * more than a tiny app's whole run.
 *
 * <p>The pool is unbounded, like the thread per run it replaces: a run never waits for a thread, and a thread that
 * ignores its interrupt (abandoned by the caller after {@link WasmRuntime#STOP_GRACE}) only keeps itself busy; the
 * next run gets another thread. An interrupt meant for one run never reaches the next run on the same thread: it is
 * delivered only while that run's body executes, and cleared before the thread goes back to the pool.
 *
 * <p>A caller that runs apps one at a time can have threads of its own with the app stack ({@link #callerThreads}):
 * on those, {@link #runHere} runs the app on the caller's thread under a deadline watchdog, which saves the two thread
 * hand-offs (start, then wake the waiting caller) that a pooled run costs. Compiled wasm checks its thread's
 * interrupt, so the deadline's interrupt stops it; a run that ignored it could not be abandoned, which is why only
 * callers that ask for it run this way.
 */
final class AppThreads {

    /** JVM stack of an app thread. */
    private static final long STACK_BYTES = 64L << 20;

    /** How long an idle thread waits for another run before it ends. */
    private static final long IDLE_SECONDS = 30;

    private static final String IDLE_NAME = "gridchain-app-idle";

    private static final AtomicInteger created = new AtomicInteger();

    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), AppThreads::newThread);

    /**
     * How often the deadline watchdog looks at the runs on caller threads. A timer per run woke a thread at nearly
     * every run (1,600 times a second in a throughput run), since each short run left the timer's queue empty.
     */
    private static final long WATCH_MILLIS = 20;

    /** The runs on caller threads and the thread that checks their deadlines, started at the first such run. */
    private static final class Watchdog {
        static final Set<Deadline> RUNNING = ConcurrentHashMap.newKeySet();

        static {
            Thread watchdog = new Thread(Watchdog::watch, "gridchain-app-deadline");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        private static void watch() {
            while (true) {
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                for (Deadline d : RUNNING) {
                    if (now - d.at >= 0) {
                        d.fire();
                    }
                }
            }
        }
    }

    /** A caller's thread with the app stack: {@link #runHere} runs apps on it. */
    static final class CallerThread extends Thread {
        CallerThread(Runnable body, String name) {
            super(null, body, name, STACK_BYTES);
            setDaemon(true);
        }
    }

    /** Daemon threads named {@code prefix-N} that run apps themselves. */
    static ThreadFactory callerThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return body -> new CallerThread(body, prefix + "-" + n.incrementAndGet());
    }

    /** Whether the current thread runs apps itself. */
    static boolean onCallerThread() {
        return Thread.currentThread() instanceof CallerThread;
    }

    /**
     * Runs {@code body} on the current thread; past {@code limit} (give or take {@link #WATCH_MILLIS}), calls
     * {@code onTimeout} and interrupts it. No interrupt from this deadline reaches the thread after this returns.
     */
    static void runHere(Runnable body, Duration limit, Runnable onTimeout) {
        Deadline deadline = new Deadline(Thread.currentThread(), System.nanoTime() + limit.toNanos(), onTimeout);
        Watchdog.RUNNING.add(deadline);
        try {
            body.run();
        } finally {
            Watchdog.RUNNING.remove(deadline);
            deadline.finish();
        }
    }

    private static final class Deadline {
        private final Thread runner;
        private final long at;
        private final Runnable onTimeout;
        private boolean finished; // guarded by this
        private boolean fired; // guarded by this

        Deadline(Thread runner, long at, Runnable onTimeout) {
            this.runner = runner;
            this.at = at;
            this.onTimeout = onTimeout;
        }

        synchronized void fire() {
            if (!finished && !fired) {
                fired = true;
                onTimeout.run();
                runner.interrupt();
            }
        }

        synchronized void finish() {
            finished = true;
            if (fired) {
                Thread.interrupted(); // the deadline's interrupt, not the caller's to keep
            }
        }
    }

    private AppThreads() {}

    private static Thread newThread(Runnable worker) {
        Thread thread = new Thread(null, worker, IDLE_NAME, STACK_BYTES);
        thread.setDaemon(true);
        created.incrementAndGet();
        return thread;
    }

    /** How many app threads were ever started (for tests: reuse keeps this below the number of runs). */
    static int threadsCreated() {
        return created.get();
    }

    /** Runs {@code body} on an app thread named {@code name}. */
    static AppTask start(String name, Runnable body) {
        AppTask task = new AppTask(name, body);
        POOL.execute(task);
        return task;
    }

    /** One run's body on a pooled thread: the handle to wait for it and interrupt it. */
    static final class AppTask implements Runnable {
        private final String name;
        private final Runnable body;
        private final CountDownLatch finished = new CountDownLatch(1);
        private Thread runner; // guarded by this: the thread while it executes body, else null
        private boolean interruptRequested; // guarded by this

        private AppTask(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public void run() {
            Thread self = Thread.currentThread();
            self.setName(name);
            synchronized (this) {
                runner = self;
                if (interruptRequested) {
                    // interrupted before it got a thread: like Thread.interrupt() on a thread not yet running
                    self.interrupt();
                }
            }
            try {
                body.run();
            } finally {
                synchronized (this) {
                    runner = null;
                }
                // after runner is cleared no interrupt for this run can arrive, so clearing now keeps it from the next
                Thread.interrupted();
                self.setName(IDLE_NAME);
                finished.countDown();
            }
        }

        /** Interrupts the body if it has not finished (and makes it start interrupted if it has not started). */
        synchronized void interrupt() {
            interruptRequested = true;
            if (runner != null) {
                runner.interrupt();
            }
        }

        /**
         * Waits up to {@code timeout} for the body to finish; true if it did. An interrupt of the waiting thread does
         * not cut the wait short (the run's limits decide when to stop waiting) and is restored afterwards.
         */
        boolean await(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return finished.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
