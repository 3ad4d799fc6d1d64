package io.gridchain.protocol.poco;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.call;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.CallbackProbe;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertDecoder;
import io.gridchain.protocol.errors.RevertException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Deals with a callback: the certified digest is keccak256(callbackData), delivered to the callback contract. */
class CallbackTest extends FixtureTest {
    static final int RECORD = 0, REVERT = 1, BURN_GAS = 2, REENTER = 3;

    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    static byte[] data(String text) {
        return (text + "#" + PocoKit.digest(text)).getBytes(StandardCharsets.UTF_8);
    }

    static String hashOf(byte[] data) {
        return Words.hex(Hash.sha3(data));
    }

    static Batch batch(DealRecord deal, long index, List<GridClient> ws, String winner, byte[] callbackData) {
        List<Batch.Vote> votes = ws.stream().map(w -> new Batch.Vote(w.address(), winner)).toList();
        return new Batch().add(index, deal.taskId(index), votes, winner, callbackData);
    }

    static GridHub.CallbackDeliveredEventResponse delivered(TxResult r) {
        var events = GridHub.getCallbackDeliveredEvents(r.receipt());
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    // ---------------------------------------------------------------- data binding

    @Test
    void aDeterministicFailureIsCertifiedWithEmptyCallbackData() {
        // every worker reproduces the failure, so they vote the failure digest keccak256(""): certified like a result
        CallbackProbe probe = k.deployProbe(RECORD);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        String failure = hashOf(new byte[0]);
        assertThat(failure).isEqualTo(Contributions.callbackDigest(new byte[0]));
        List<GridClient> ws = k.freshWorkers(2);
        var before = k.stake(ws.get(0));
        var requester = k.bal(f.requester);
        TxResult r = k.finalize(deal, batch(deal, 0, ws, failure, new byte[0]));
        assertThat(delivered(r).success).isTrue();
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(failure);
        assertThat(f.owner.resultFor(deal.taskId(0))).isEmpty();
        assertThat(call(() -> probe.lastData().send())).isEmpty();
        assertThat(k.stake(ws.get(0)).earned().subtract(before.earned())).as("the workers did the work asked for")
                .isEqualTo(big(49));
        assertThat(requester.locked().subtract(k.bal(f.requester).locked())).as("the requester pays for it")
                .isEqualTo(PocoKit.TASK_PRICE);
        k.assertConserved();
    }

    @Test
    void callbackDataMustHashToTheDigest() {
        CallbackProbe probe = k.deployProbe(RECORD);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        assertThat(deal.deal().hasCallback()).isTrue();
        byte[] data = data("payload");
        String digest = hashOf(data);
        byte[] other = data("other");
        List<GridClient> ws = k.freshWorkers(1);
        reverts("CallbackDataMismatch", () -> k.finalize(deal, batch(deal, 0, ws, digest, other)),
                "callback data of task " + deal.taskId(0), "hashes to " + hashOf(other),
                "not to the consensus digest " + digest);
        reverts("CallbackDataMismatch", () -> k.finalize(deal, batch(deal, 0, ws, digest, null)),
                "hashes to " + hashOf(new byte[0]));
        // callback deals need one callbackData per task
        var v = new GridHub.Votes(List.of(PocoKit.packTask(0, 1)), List.of(Words.toBytes32(digest)), List.of(big(1)),
                List.of());
        reverts("MalformedBatch", () -> PocoKit.rawBatch(f.scheduler, deal, v, List.of(ws.get(0).address()),
                k.signatures(batch(deal, 0, ws, digest, data))), "do not fit together");
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
        assertThat(call(() -> probe.received().send())).isZero();
    }

    // ---------------------------------------------------------------- delivery

    @Test
    void recordingProbeReceivesTheResult() {
        CallbackProbe probe = k.deployProbe(RECORD);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        byte[] data = data("result");
        String digest = hashOf(data);
        TxResult r = k.finalize(deal, batch(deal, 0, k.freshWorkers(2), digest, data));
        var e = delivered(r);
        assertThat(e.success).isTrue();
        assertThat(Words.hex(e.taskId)).isEqualTo(deal.taskId(0));
        assertThat(Words.canonical(e.callback)).isEqualTo(Words.canonical(probe.getContractAddress()));
        assertThat(call(() -> probe.received().send())).isEqualTo(BigInteger.ONE);
        assertThat(Words.hex(call(() -> probe.lastTaskId().send()))).isEqualTo(deal.taskId(0));
        assertThat(call(() -> probe.lastData().send())).isEqualTo(data);
        assertThat(f.owner.resultFor(deal.taskId(0))).isEqualTo(data);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(digest);
        assertThat(GridHub.getTaskFinalizedEvents(r.receipt())).hasSize(1);
        k.assertConserved();
    }

    @Test
    void aBatchOfCallbackTasksDeliversEachOne() {
        CallbackProbe probe = k.deployProbe(RECORD);
        DealRecord deal = k.callbackDeal(3, 1, probe.getContractAddress());
        List<GridClient> ws = k.freshWorkers(1);
        byte[] d0 = data("zero");
        byte[] d2 = data("two");
        Batch b = new Batch()
                .add(0, deal.taskId(0), List.of(new Batch.Vote(ws.get(0).address(), hashOf(d0))), hashOf(d0), d0)
                .add(2, deal.taskId(2), List.of(new Batch.Vote(ws.get(0).address(), hashOf(d2))), hashOf(d2), d2);
        TxResult r = k.finalize(deal, b);
        var events = GridHub.getCallbackDeliveredEvents(r.receipt());
        assertThat(events).hasSize(2).allMatch(e -> e.success);
        assertThat(call(() -> probe.received().send())).isEqualTo(big(2));
        assertThat(Words.hex(call(() -> probe.lastTaskId().send()))).isEqualTo(deal.taskId(2));
        assertThat(f.owner.resultFor(deal.taskId(0))).isEqualTo(d0);
        assertThat(f.owner.resultFor(deal.taskId(2))).isEqualTo(d2);
        assertThat(f.owner.resultFor(deal.taskId(1))).isEmpty();
    }

    @Test
    void aRevertingCallbackDoesNotBlockFinalization() {
        assertFailingCallbackFinalizes(REVERT);
    }

    @Test
    void aGasBurningCallbackDoesNotBlockFinalization() {
        assertFailingCallbackFinalizes(BURN_GAS);
    }

    private void assertFailingCallbackFinalizes(int mode) {
        CallbackProbe probe = k.deployProbe(mode);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        byte[] data = data("mode" + mode);
        String digest = hashOf(data);
        List<GridClient> ws = k.freshWorkers(1);
        var before = k.stake(ws.get(0));
        TxResult r = k.finalize(deal, batch(deal, 0, ws, digest, data));
        assertThat(delivered(r).success).isFalse();
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(f.owner.resultDigest(deal.taskId(0))).isEqualTo(digest);
        assertThat(f.owner.resultFor(deal.taskId(0))).isEqualTo(data);
        assertThat(call(() -> probe.received().send())).isZero();
        assertThat(k.stake(ws.get(0)).earned().subtract(before.earned())).as("the worker is paid all the same")
                .isEqualTo(PocoKit.WORKERS_SHARE);
        k.assertConserved();
    }

    // ---------------------------------------------------------------- reentrancy

    private static String reentryErrorName(CallbackProbe probe) {
        byte[] err = call(() -> probe.reentryError().send());
        RevertException e = RevertDecoder.decode(Numeric.toHexString(err));
        if (e.errorName().equals("ReentrancyGuardReentrantCall")) assertThat(e.getMessage()).isEqualTo("reentrant call refused");
        return e.errorName();
    }

    /**
     * Finalizes a callback task whose probe re-enters the hub with {@code reentryCall}. The probe's storage is
     * first filled by a direct call (re-entering with a harmless failing call): from cold storage the probe's own
     * bookkeeping would not fit in the hub's CALLBACK_GAS budget and the callback would run out of gas.
     */
    private TxResult finalizeWithReentry(CallbackProbe probe, DealRecord deal, String reentryCall) {
        String hub = f.net.protocol().addresses().hub();
        byte[] data = data("reenter");
        String harmless = f.owner.hub().withdraw(BigInteger.ZERO, probe.getContractAddress()).encodeFunctionCall();
        call(() -> probe.setReentry(hub, Numeric.hexStringToByteArray(harmless)).send());
        call(() -> probe.receiveResult(Words.toBytes32(deal.taskId(0)), data).send());
        assertThat(reentryErrorName(probe)).isEqualTo("ZeroAmount");
        call(() -> probe.setReentry(hub, Numeric.hexStringToByteArray(reentryCall)).send());

        TxResult r = k.finalize(deal, batch(deal, 0, k.freshWorkers(1), hashOf(data), data));
        assertThat(delivered(r).success).isTrue();
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(call(() -> probe.received().send())).as("one direct call, one callback").isEqualTo(big(2));
        assertThat(f.owner.resultFor(deal.taskId(0))).isEqualTo(data);
        return r;
    }

    @Test
    void aCallbackCannotReenterClaim() {
        DealRecord expired = f.deal(1, 1);
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        CallbackProbe probe = k.deployProbe(REENTER);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        String claim = f.owner.extension().claim(PocoKit.id(expired), PocoKit.extStruct(expired.deal()),
                List.of(BigInteger.ZERO)).encodeFunctionCall();
        finalizeWithReentry(probe, deal, claim);
        assertThat(call(() -> probe.reentrySucceeded().send())).isFalse();
        assertThat(reentryErrorName(probe)).isEqualTo("ReentrancyGuardReentrantCall");
        // the claim itself was valid: outside the callback it goes through
        assertThat(f.owner.taskStatus(expired.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
        f.owner.claim(expired, List.of(0L));
        assertThat(f.owner.taskStatus(expired.taskId(0))).isEqualTo(GridClient.TaskStatus.CLAIMED);
        k.assertConserved();
    }

    @Test
    void aCallbackCannotReenterFinalizeBatch() {
        CallbackProbe probe = k.deployProbe(REENTER);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        DealRecord other = f.deal(1, 1);
        Batch b = PocoKit.agree(other, 0, k.freshWorkers(1), PocoKit.digest("o"));
        List<BigInteger> tasks = List.of(PocoKit.packTask(0, 1));
        var votes = new GridHub.Votes(tasks, List.of(Words.toBytes32(b.taskVotes().get(0).digests().get(0))),
                b.taskVotes().get(0).voterMasks(), List.of());
        String reentry = f.scheduler.hub().finalizeBatch(PocoKit.id(other), PocoKit.struct(other.deal()), votes,
                b.workers(), k.signatures(b)).encodeFunctionCall();
        finalizeWithReentry(probe, deal, reentry);
        assertThat(call(() -> probe.reentrySucceeded().send())).isFalse();
        assertThat(reentryErrorName(probe)).isEqualTo("ReentrancyGuardReentrantCall");
        assertThat(f.owner.taskStatus(other.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
        k.assertConserved();
    }

    @Test
    void aCallbackCannotReenterContribute() {
        CallbackProbe probe = k.deployProbe(REENTER);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        DealRecord classic = f.deal(1, 5);
        f.scheduler.initialize(classic, 0);
        String taskId = classic.taskId(0);
        String d = PocoKit.digest("c");
        String reentry = f.owner.extension().contribute(PocoKit.id(classic), PocoKit.extStruct(classic.deal()),
                BigInteger.ZERO, Words.toBytes32(Contributions.seal(probe.getContractAddress(), taskId, d,
                        Contributions.salt())),
                k.authorize(probe.getContractAddress(), taskId)).encodeFunctionCall();
        finalizeWithReentry(probe, deal, reentry);
        assertThat(call(() -> probe.reentrySucceeded().send())).isFalse();
        assertThat(reentryErrorName(probe)).isEqualTo("ReentrancyGuardReentrantCall");
    }

    @Test
    void aCallbackCannotReenterWithdraw() {
        // deposits and withdrawals are guarded too: a token with hooks could otherwise re-enter between balance reads
        CallbackProbe probe = k.deployProbe(REENTER);
        String probeAddress = probe.getContractAddress();
        k.extras.add(probeAddress);
        k.depositFor(probeAddress, big(50));
        DealRecord deal = k.callbackDeal(1, 1, probeAddress);
        String reentry = f.owner.hub().withdraw(big(50), probeAddress).encodeFunctionCall();
        finalizeWithReentry(probe, deal, reentry);
        assertThat(call(() -> probe.reentrySucceeded().send())).isFalse();
        assertThat(reentryErrorName(probe)).isEqualTo("ReentrancyGuardReentrantCall");
        assertThat(k.bal(probeAddress).free()).isEqualTo(big(50));
        assertThat(f.owner.tokenBalanceOf(probeAddress)).isZero();
        k.assertConserved();
    }

    // ---------------------------------------------------------------- per-worker path

    @Test
    void perWorkerFinalizeDeliversTheCallback() {
        CallbackProbe probe = k.deployProbe(RECORD);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        byte[] data = data("classic");
        String digest = hashOf(data);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        k.contribute(w, deal, 0, digest);
        f.scheduler.close(deal, 0);
        k.reveal(w, deal, 0, digest);
        byte[] wrong = data("wrong");
        reverts("CallbackDataMismatch", () -> f.scheduler.finalizeTask(deal, 0, wrong), "hashes to " + hashOf(wrong),
                "consensus digest " + digest);
        TxResult r = f.scheduler.finalizeTask(deal, 0, data);
        assertThat(delivered(r).success).isTrue();
        assertThat(call(() -> probe.received().send())).isEqualTo(BigInteger.ONE);
        assertThat(Words.hex(call(() -> probe.lastTaskId().send()))).isEqualTo(deal.taskId(0));
        assertThat(call(() -> probe.lastData().send())).isEqualTo(data);
        assertThat(f.owner.resultFor(deal.taskId(0))).isEqualTo(data);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        k.assertConserved();
    }

    @Test
    void perWorkerFinalizeSurvivesARevertingCallback() {
        CallbackProbe probe = k.deployProbe(REVERT);
        DealRecord deal = k.callbackDeal(1, 1, probe.getContractAddress());
        byte[] data = data("classic-revert");
        String digest = hashOf(data);
        f.scheduler.initialize(deal, 0);
        GridClient w = k.freshWorker();
        k.contribute(w, deal, 0, digest);
        f.scheduler.close(deal, 0);
        k.reveal(w, deal, 0, digest);
        TxResult r = f.scheduler.finalizeTask(deal, 0, data);
        assertThat(delivered(r).success).isFalse();
        assertThat(f.owner.resultFor(deal.taskId(0))).isEqualTo(data);
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
    }

    @Test
    void dealsWithoutCallbackKeepNoData() {
        DealRecord deal = f.deal(1, 1);
        TxResult r = k.finalize(deal, PocoKit.agree(deal, 0, k.freshWorkers(1), PocoKit.digest("n")));
        assertThat(f.owner.resultFor(deal.taskId(0))).isEmpty();
        assertThat(GridHub.getCallbackDeliveredEvents(r.receipt())).isEmpty();
    }
}
