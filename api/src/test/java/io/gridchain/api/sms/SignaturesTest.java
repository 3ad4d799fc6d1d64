package io.gridchain.api.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

class SignaturesTest {
    static final Credentials SCHEDULER = Credentials.create("0x" + "1".repeat(64));
    static final Credentials WORKER = Credentials.create("0x" + "2".repeat(64));
    static final String HUB = "0x" + "a".repeat(40);
    static final String TASK = "0x" + "b".repeat(64);

    @Test
    void aPayloadsSignerIsRecoveredAndAnyChangeChangesIt() {
        SmsApi.Signed signed = Signatures.sign("{\"a\":1}", WORKER);
        assertThat(Signatures.signer(signed)).hasValue(WORKER.getAddress().toLowerCase());
        assertThat(Signatures.signer(new SmsApi.Signed("{\"a\":2}", signed.signature())))
                .isNotEqualTo(Signatures.signer(signed));
        assertThat(Signatures.signer(new SmsApi.Signed("{}", "0x1234"))).isEmpty();
        assertThat(Signatures.signer(null)).isEmpty();
    }

    @Test
    void anAuthorizationNamesItsSchedulerForOneTaskOneWorkerOneChainOnly() {
        String auth = Signatures.authorize(31337, HUB, TASK, WORKER.getAddress(), SCHEDULER);
        String scheduler = SCHEDULER.getAddress().toLowerCase();
        assertThat(Signatures.authorizer(31337, HUB, TASK, WORKER.getAddress(), auth)).hasValue(scheduler);
        assertThat(Signatures.authorizer(1, HUB, TASK, WORKER.getAddress(), auth)).isNotEqualTo(java.util.Optional.of(scheduler));
        assertThat(Signatures.authorizer(31337, HUB, "0x" + "c".repeat(64), WORKER.getAddress(), auth))
                .isNotEqualTo(java.util.Optional.of(scheduler));
        assertThat(Signatures.authorizer(31337, HUB, TASK, SCHEDULER.getAddress(), auth))
                .isNotEqualTo(java.util.Optional.of(scheduler));
        assertThat(Signatures.authorizer(31337, HUB, TASK, WORKER.getAddress(), null)).isEmpty();
        assertThat(Signatures.nonce()).hasSize(34).isNotEqualTo(Signatures.nonce());
    }
}
