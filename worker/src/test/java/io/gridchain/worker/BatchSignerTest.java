package io.gridchain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.poco.Contributions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

class BatchSignerTest {

    private static final String T1 = "0x" + "1".repeat(64);
    private static final String T2 = "0x" + "2".repeat(64);
    private static final String D1 = "0x" + "a".repeat(64);
    private static final String D2 = "0x" + "b".repeat(64);

    private final FakeScheduler scheduler = new FakeScheduler();
    private final BatchSigner signer = new BatchSigner(scheduler, OutboxTest.KEY.getAddress(),
            OutboxTest.KEY.getEcKeyPair().getPrivateKey(), () -> OutboxTest.DOMAIN, Runnable::run);

    private static WorkerApi.SignRequest batch(String id, WorkerApi.Entry... entries) {
        return new WorkerApi.SignRequest(id, List.of(entries));
    }

    @Test
    void signsABatchOfItsOwnResultsWithItsKey() {
        signer.remember(T1.toUpperCase().replace("0X", "0x"), D1);
        signer.remember(T2, D2);

        signer.signNow(List.of(batch("b1", new WorkerApi.Entry(T1, D1.toUpperCase().replace("0X", "0x")),
                new WorkerApi.Entry(T2, D2))));

        assertThat(scheduler.signatures).hasSize(1);
        WorkerApi.SignResponse sent = scheduler.signatures.get(0);
        assertThat(sent.batchId()).isEqualTo("b1");
        String commitment = Contributions.commitment(OutboxTest.KEY.getAddress(),
                List.of(new Contributions.Entry(T1, D1), new Contributions.Entry(T2, D2)));
        assertThat(Contributions.signerOf(OutboxTest.DOMAIN, commitment, Numeric.hexStringToByteArray(
                sent.signature()))).isEqualToIgnoringCase(OutboxTest.KEY.getAddress());
        assertThat(signer.signatures()).isEqualTo(1);
    }

    @Test
    void refusesABatchWithAnEntryItDidNotReveal() {
        signer.remember(T1, D1);

        signer.signNow(List.of(
                batch("other-task", new WorkerApi.Entry(T1, D1), new WorkerApi.Entry(T2, D2)),
                batch("other-digest", new WorkerApi.Entry(T1, D2)),
                batch("empty")));

        assertThat(scheduler.signatures).isEmpty();
        assertThat(signer.signatures()).isZero();
    }

    @Test
    void signsEachBatchOnce() {
        signer.remember(T1, D1);
        signer.signNow(List.of(batch("b1", new WorkerApi.Entry(T1, D1))));
        signer.signLater(List.of(batch("b1", new WorkerApi.Entry(T1, D1))));
        signer.signNow(List.of(batch("b1", new WorkerApi.Entry(T1, D1))));

        assertThat(scheduler.signatures).extracting(WorkerApi.SignResponse::batchId).containsExactly("b1");
    }

    @Test
    void aSignatureThatCouldNotBeSentIsForgottenSoItCanBeAskedAgain() {
        signer.remember(T1, D1);
        scheduler.failNext(WorkerApi.SIGN, 503);

        signer.signLater(List.of(batch("b1", new WorkerApi.Entry(T1, D1))));
        signer.signLater(List.of(batch("b1", new WorkerApi.Entry(T1, D1))));

        assertThat(scheduler.signatures).extracting(WorkerApi.SignResponse::batchId).containsExactly("b1", "b1");
        assertThat(signer.signatures()).isEqualTo(1);
    }

    @Test
    void aCommitSignatureIsTheProtocolsSignature() {
        String commitment = Contributions.commitment(OutboxTest.KEY.getAddress(),
                List.of(new Contributions.Entry(T1, D1)));
        assertThat(signer.signCommitment(commitment))
                .isEqualTo(Contributions.signCommitment(OutboxTest.DOMAIN, commitment, OutboxTest.KEY));
    }
}
