package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryStoreTest {
    static final String DEAL = "0x" + "aa".repeat(32);
    static final String REQUESTER = "0x" + "11".repeat(20);

    @TempDir Path dir;

    @Test
    void aTargetSurvivesAReopenAndOnlyTheSchedulersUserCanReadIt() throws Exception {
        S3Target target = new S3Target("bucket", "p", null, "eu-west-1", "AK", "SECRET", false);
        new DeliveryStore(dir).saveTarget(DEAL, new DeliveryStore.Registration(REQUESTER, target, 42));
        DeliveryStore reopened = new DeliveryStore(dir);
        assertThat(reopened.deals()).containsExactly(DEAL);
        DeliveryStore.Registration r = reopened.target(DEAL).orElseThrow();
        assertThat(r.target()).isEqualTo(target);
        assertThat(r.requester()).isEqualTo(REQUESTER);
        Path file = dir.resolve(DEAL).resolve("target.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var parts = Files.list(dir.resolve(DEAL))) {
            assertThat(parts.map(p -> p.getFileName().toString())).containsExactly("target.json");
        }
    }

    @Test
    void deliveriesAreKeptPerTaskAndListedByIndex() {
        DeliveryStore store = new DeliveryStore(dir);
        TaskDelivery second = TaskDelivery.pending(DEAL, "0x" + "02".repeat(32), 2, "0x" + "cc".repeat(32), false, 1);
        TaskDelivery first = TaskDelivery.pending(DEAL, "0x" + "01".repeat(32), 1, "0x" + "dd".repeat(32), true, 1);
        store.save(second);
        store.save(first);
        TaskDelivery delivered = DeliveryMachine.DEFAULT.delivered(first, 9);
        store.save(delivered);
        assertThat(store.deliveries(DEAL)).containsExactly(delivered, second);
        assertThat(new DeliveryStore(dir).delivery(DEAL, first.taskId())).contains(delivered);
        assertThat(store.delivery(DEAL, "0x" + "03".repeat(32))).isEmpty();
        assertThat(store.deals()).as("no target, so no deal with one").isEmpty();
    }

    @Test
    void idsThatAreNotIdsAreRefused() {
        DeliveryStore store = new DeliveryStore(dir);
        assertThatThrownBy(() -> store.delivery("../../etc", "0x00")).isInstanceOf(IllegalArgumentException.class);
    }
}
