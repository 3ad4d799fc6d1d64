package io.gridchain.sms.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    static final String DATASET = "0x" + "da".repeat(20);
    static final String OWNER = "0x" + "1".repeat(40);

    @TempDir
    Path dir;

    @Test
    void secretsPoliciesNoncesAndLogOutliveTheProcessThatWroteThem() {
        Path file = dir.resolve("sms.db");
        try (SecretStore store = SecretStore.open(file)) {
            store.putSecret(Kind.DATASET, DATASET.toUpperCase().replace("0X", "0x"), "key", OWNER, "0xsealed", 1);
            store.putPolicy(Kind.DATASET, DATASET, OWNER, new SmsApi.Policy(List.of("0xpool"), List.of(), List.of(), true));
            assertThat(store.useNonce("n-1", 100, 1)).isTrue();
            store.log(new SmsApi.LogEntry(0, 5, OWNER, Kind.DATASET, DATASET, "0xdeal", 0, "0xw", false, "why"));
        }
        try (SecretStore store = SecretStore.open(file)) {
            assertThat(store.secret(Kind.DATASET, DATASET, "key")).hasValue(new SecretStore.Stored(OWNER, "0xsealed"));
            assertThat(store.secrets(Kind.DATASET, DATASET)).containsOnlyKeys("key");
            assertThat(store.policy(Kind.DATASET, DATASET).allowlistedWorkersOnly()).isTrue();
            assertThat(store.policy(Kind.APP, DATASET)).isEqualTo(SmsApi.Policy.OPEN);
            assertThat(store.useNonce("n-1", 100, 2)).as("a replay").isFalse();
            assertThat(store.log(OWNER, 0, 10)).singleElement().satisfies(e -> {
                assertThat(e.reason()).isEqualTo("why");
                assertThat(e.released()).isFalse();
            });
            assertThat(store.log("0x" + "2".repeat(40), 0, 10)).isEmpty();
            assertThat(store.log(OWNER, 1, 10)).as("after entry 1").isEmpty();
        }
    }

    @Test
    void aNonceIsForgottenOnlyOnceTheRequestsCarryingItHaveExpired() {
        try (SecretStore store = SecretStore.open(dir.resolve("sms.db"))) {
            assertThat(store.useNonce("n", 100, 50)).isTrue();
            assertThat(store.useNonce("n", 100, 100)).isFalse();
            assertThat(store.useNonce("n", 300, 101)).as("expired, pruned: the request's own time refuses it")
                    .isTrue();
        }
    }

    @Test
    void theStoreRemembersItsChainAndIsNeverWiped() {
        try (SecretStore store = SecretStore.open(dir.resolve("sms.db"))) {
            var binding = new io.gridchain.protocol.chain.ChainBinding(31337, "0x" + "a".repeat(64), "0x" + "b".repeat(40));
            assertThat(store.binding()).isEmpty();
            assertThat(store.hasState()).isFalse();
            store.bind(binding);
            store.putSecret(Kind.REQUESTER, OWNER, "API_KEY", OWNER, "0xs", 1);
            assertThat(store.binding()).hasValue(binding);
            assertThat(store.hasState()).isTrue();
            var other = new io.gridchain.protocol.chain.ChainBinding(31337, "0x" + "c".repeat(64), "0x" + "b".repeat(40));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.gridchain.protocol.chain.BoundState.ensure(
                    store, other, false, "the secret store", "http://node", "start with another --data directory"))
                    .isInstanceOf(io.gridchain.protocol.chain.ChainBinding.MismatchException.class)
                    .hasMessageContaining("start with another --data directory");
            assertThat(store.secret(Kind.REQUESTER, OWNER, "API_KEY")).isPresent();
        }
    }
}
