package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner of deliveries, with an uploader in memory: when it delivers, retries, catches up and resumes. */
class DeliveriesTest {
    static final String DEAL = "0x" + "aa".repeat(32);
    static final String POOL = "0x" + "99".repeat(20);
    static final DeliveryStore.Registration TARGET = new DeliveryStore.Registration("0x" + "11".repeat(20),
            new HttpPutTarget("http://h/{task}"), 1);
    static final DeliveryMachine FAST = new DeliveryMachine(3, 0, 0);

    @TempDir Path dir;
    final List<String> uploaded = new CopyOnWriteArrayList<>();
    final List<TaskDelivery> certified = new CopyOnWriteArrayList<>();
    volatile boolean refuse;

    static TaskDelivery task(int i) {
        return TaskDelivery.pending(DEAL, String.format("0x%064x", i), i, String.format("0x%064x", 1000 + i), false, 0);
    }

    Deliveries owner(DeliveryStore store) {
        Uploader uploader = (target, p) -> {
            if (refuse) throw new UploadFailure("AccessDenied", 403, "Access Denied");
            uploaded.add(p.taskId());
        };
        return new Deliveries(store, uploader, d -> Optional.of(new Payload(d.taskId(), d.index(), d.digest(),
                Payload.ARCHIVE, new byte[] {1})), FAST, (deal, now) -> List.copyOf(certified), POOL, 60_000);
    }

    @Test
    void aTaskCertifiedAfterTheTargetIsDelivered() {
        DeliveryStore store = new DeliveryStore(dir);
        try (Deliveries d = owner(store).start()) {
            assertThat(d.register(DEAL, TARGET, 1)).isZero();
            d.certified(task(0));
            await(() -> status(store, task(0)) == DeliveryStatus.DELIVERED);
            assertThat(uploaded).containsExactly(task(0).taskId());
            assertThat(d.status(DEAL, task(0).taskId()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
        }
    }

    @Test
    void aDealWithoutATargetDeliversNothing() {
        DeliveryStore store = new DeliveryStore(dir);
        try (Deliveries d = owner(store).start()) {
            d.certified(task(0));
            assertThat(d.wanted(DEAL)).isFalse();
            assertThat(d.status(DEAL, task(0).taskId())).isEmpty();
        }
        assertThat(store.deliveries(DEAL)).isEmpty();
    }

    @Test
    void aTargetNamedLateGetsTheTasksCertifiedBefore() {
        certified.addAll(List.of(task(0), task(1)));
        DeliveryStore store = new DeliveryStore(dir);
        try (Deliveries d = owner(store).start()) {
            assertThat(d.register(DEAL, TARGET, 1)).isEqualTo(2);
            await(() -> uploaded.size() == 2);
            assertThat(uploaded).containsExactlyInAnyOrder(task(0).taskId(), task(1).taskId());
        }
    }

    @Test
    void aRefusingTargetFailsAfterTheAttemptsWithTheCause() {
        refuse = true;
        DeliveryStore store = new DeliveryStore(dir);
        try (Deliveries d = owner(store).start()) {
            d.register(DEAL, TARGET, 1);
            d.certified(task(3));
            await(() -> status(store, task(3)) == DeliveryStatus.FAILED);
        }
        TaskDelivery failed = store.delivery(DEAL, task(3).taskId()).orElseThrow();
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.cause()).isEqualTo("delivery to http://h/{task} failed after 3 attempts: AccessDenied (403): "
                + "Access Denied; the result stays downloadable from pool " + POOL);
    }

    @Test
    void pendingDeliveriesResumeAfterARestart() {
        DeliveryStore store = new DeliveryStore(dir);
        store.saveTarget(DEAL, TARGET);
        store.save(task(5)); // saved by a scheduler that stopped before uploading it
        try (Deliveries d = owner(new DeliveryStore(dir)).start()) {
            await(() -> status(store, task(5)) == DeliveryStatus.DELIVERED);
        }
        assertThat(uploaded).containsExactly(task(5).taskId());
    }

    @Test
    void aNewTargetSendsEverythingAgain() {
        DeliveryStore store = new DeliveryStore(dir);
        try (Deliveries d = owner(store).start()) {
            d.register(DEAL, TARGET, 1);
            d.certified(task(0));
            await(() -> uploaded.size() == 1);
            d.register(DEAL, new DeliveryStore.Registration(TARGET.requester(), new HttpPutTarget("http://other/{task}"),
                    2), 2);
            await(() -> uploaded.size() == 2);
            assertThat(store.target(DEAL).orElseThrow().target().describe()).isEqualTo("http://other/{task}");
        }
    }

    static DeliveryStatus status(DeliveryStore store, TaskDelivery t) {
        return store.delivery(DEAL, t.taskId()).map(TaskDelivery::status).orElse(null);
    }

    /** Waits for what a background thread does (bounded, so a broken owner fails the test instead of hanging it). */
    static void await(BooleanSupplier done) {
        long until = System.currentTimeMillis() + 20_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > until) throw new AssertionError("not done within 20 s");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
