package io.gridchain.protocol.poco;

import static io.gridchain.protocol.poco.PocoKit.big;
import static io.gridchain.protocol.poco.PocoKit.call;
import static io.gridchain.protocol.poco.PocoKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.EchoConsumer;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The consumer kit (GridConsumer, through its smallest subclass EchoConsumer): a contract that requests as
 * requester or is named as callback, accepts results only from the hub and only for tasks it expects, and can
 * apply a result later when its callback failed. Hub-side delivery faults (reverting, gas-burning, re-entering
 * callbacks) are covered by {@link CallbackTest}.
 */
class GridConsumerTest extends FixtureTest {
    static final int UNKNOWN = 0, PENDING = 1, DONE = 2;
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    EchoConsumer deploy() {
        var sender = f.net.chain().sender(f.net.accounts().get(0));
        EchoConsumer c = call(() -> EchoConsumer.deploy(f.net.chain().web3j(), sender, new DefaultGasProvider(),
                f.net.protocol().addresses().hub()).send());
        k.extras.add(c.getContractAddress());
        return c;
    }

    /** The same consumer, its transactions sent by {@code client}. */
    EchoConsumer as(EchoConsumer c, GridClient client) {
        return EchoConsumer.load(c.getContractAddress(), f.net.chain().web3j(), f.net.chain().sender(f.credentials(client)),
                new DefaultGasProvider());
    }

    EchoConsumer.Offer offer(AppOrder a, WorkerpoolOrder w) {
        return new EchoConsumer.Offer(
                new EchoConsumer.AppOrder(a.app(), a.price(), a.volume(), Words.toBytes32(a.tag()), a.datasetRestrict(),
                        a.workerpoolRestrict(), a.requesterRestrict(), a.expiry(), Words.toBytes32(a.salt())),
                new EchoConsumer.WorkerpoolOrder(w.workerpool(), w.price(), w.volume(), Words.toBytes32(w.tag()),
                        w.category(), w.trust(), w.appRestrict(), w.datasetRestrict(), w.requesterRestrict(),
                        w.expiry(), Words.toBytes32(w.salt())),
                f.appOwner.sign(a), f.scheduler.sign(w));
    }

    EchoConsumer.Offer offer() {
        return offer(f.appOrder(10), f.poolOrder(10, 1));
    }

    static final BigInteger BUDGET = PocoKit.TASK_PRICE;

    /** The consumer requests one task as requester (anyone may trigger it); returns the deal it matched. */
    DealRecord request(EchoConsumer c) {
        TxResult r = TxResult.of(call(() -> as(c, f.requester).request(offer(), "--n 7", BigInteger.ZERO,
                BigInteger.ONE, BUDGET).send()));
        DealRecord deal = GridClient.dealOf(r.receipt());
        var requested = EchoConsumer.getComputationRequestedEvents(r.receipt());
        assertThat(requested).hasSize(1);
        assertThat(Words.hex(requested.get(0).taskId)).isEqualTo(deal.taskId(0));
        assertThat(Words.hex(requested.get(0).dealId)).isEqualTo(deal.dealId());
        return deal;
    }

    static EchoConsumer.Deal deal(DealRecord r) {
        var d = r.deal();
        return new EchoConsumer.Deal(d.requester(), d.appOwner(), d.datasetOwner(), d.scheduler(), d.callback(),
                d.appPrice(), d.datasetPrice(), d.workerpoolPrice(), d.volume(), d.trust(), d.categoryTime(),
                d.startTime(), d.workerStake(), d.schedulerRewardRatio());
    }

    static byte[] data(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    TxResult certify(DealRecord deal, long index, byte[] data) {
        String digest = Words.hex(Hash.sha3(data));
        List<GridClient> ws = k.freshWorkers(1);
        return k.finalize(deal, CallbackTest.batch(deal, index, ws, digest, data));
    }

    static int state(EchoConsumer c, String taskId) {
        return call(() -> c.taskState(Words.toBytes32(taskId)).send()).intValueExact();
    }

    static boolean delivered(TxResult r) {
        return CallbackTest.delivered(r).success;
    }

    // ---------------------------------------------------------------- as requester

    @Test
    void aConsumerPaysForItsRequestAndReceivesTheCertifiedResult() {
        EchoConsumer c = deploy();
        k.depositFor(c.getContractAddress(), big(1_000));
        DealRecord deal = request(c);
        assertThat(deal.deal().requester()).isEqualToIgnoringCase(c.getContractAddress());
        assertThat(deal.deal().callback()).isEqualToIgnoringCase(c.getContractAddress());
        assertThat(deal.terms().params()).isEqualTo("--n 7");
        assertThat(state(c, deal.taskId(0))).isEqualTo(PENDING);
        assertThat(f.owner.balanceOf(c.getContractAddress()).locked()).isEqualTo(PocoKit.TASK_PRICE);

        TxResult r = certify(deal, 0, data("42"));
        assertThat(delivered(r)).isTrue();
        var applied = EchoConsumer.getResultAppliedEvents(r.receipt());
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0).viaCallback).isTrue();
        assertThat(call(() -> c.received().send())).isEqualTo(BigInteger.ONE);
        assertThat(call(() -> c.lastData().send())).isEqualTo(data("42"));
        assertThat(state(c, deal.taskId(0))).isEqualTo(DONE);
        assertThat(call(() -> c.resultOf(Words.toBytes32(deal.taskId(0))).send())).isEqualTo(data("42"));
        assertThat(f.owner.balanceOf(c.getContractAddress()).total()).isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE));
        k.assertConserved();
    }

    @Test
    void aRequestTheConsumerCannotPayForFailsWithAClearError() {
        EchoConsumer c = deploy();
        k.depositFor(c.getContractAddress(), big(10));
        reverts("InsufficientEscrow", () -> call(() -> c.request(offer(), "", BigInteger.ZERO, BigInteger.ONE, BUDGET)
                .send()), "has 10 free tokens", "costs " + PocoKit.TASK_PRICE, "deposit for it first");
        reverts("OverBudget", () -> call(() -> c.request(offer(), "", BigInteger.ZERO, BigInteger.ONE, big(50))
                .send()), "costs " + PocoKit.TASK_PRICE, "budget 50");
        assertThat(f.owner.balanceOf(c.getContractAddress()).free()).isEqualTo(big(10));
    }

    // ---------------------------------------------------------------- who may deliver what

    @Test
    void nobodyButTheHubCanDeliverAResult() {
        EchoConsumer c = deploy();
        k.depositFor(c.getContractAddress(), big(1_000));
        DealRecord deal = request(c);
        for (GridClient caller : List.of(f.requester, f.scheduler, f.owner)) {
            reverts("NotHub", () -> call(() -> as(c, caller).receiveResult(Words.toBytes32(deal.taskId(0)),
                    data("forged")).send()), "only the hub may deliver", caller.address().substring(2));
        }
        assertThat(state(c, deal.taskId(0))).isEqualTo(PENDING);
        assertThat(call(() -> c.received().send())).isZero();
    }

    @Test
    void aResultForATaskTheConsumerDidNotAskForIsRefusedButStaysCertified() {
        EchoConsumer c = deploy();
        // someone else's deal names the consumer as callback without registering it
        DealRecord deal = k.callbackDeal(1, 1, c.getContractAddress());
        TxResult r = certify(deal, 0, data("unsolicited"));
        assertThat(delivered(r)).as("the consumer refused the callback").isFalse();
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(call(() -> c.received().send())).isZero();
        assertThat(state(c, deal.taskId(0))).isEqualTo(UNKNOWN);
        reverts("UnexpectedTask", () -> call(() -> c.settle(Words.toBytes32(deal.taskId(0))).send()),
                "was not requested by this consumer");
        k.assertConserved();
    }

    // ---------------------------------------------------------------- named as callback

    @Test
    void aRequesterNamingTheConsumerAsCallbackRegistersItsDeal() {
        EchoConsumer c = deploy();
        DealRecord deal = k.callbackDeal(2, 1, c.getContractAddress());
        EchoConsumer.Deal struct = deal(deal);
        byte[] id = PocoKit.id(deal);
        reverts("NotDealRequester", () -> call(() -> as(c, f.scheduler).registerDeal(id, struct).send()),
                "only the deal's requester");
        DealRecord other = f.deal(1, 1);
        reverts("NotACallbackDeal", () -> call(() -> as(c, f.requester).registerDeal(PocoKit.id(other),
                deal(other)).send()), "does not name this consumer");
        TxResult reg = TxResult.of(call(() -> as(c, f.requester).registerDeal(id, struct).send()));
        assertThat(EchoConsumer.getDealRegisteredEvents(reg.receipt())).hasSize(1);
        assertThat(state(c, deal.taskId(0))).isEqualTo(PENDING);
        assertThat(state(c, deal.taskId(1))).isEqualTo(PENDING);

        assertThat(delivered(certify(deal, 1, data("one")))).isTrue();
        assertThat(call(() -> c.lastData().send())).isEqualTo(data("one"));
        assertThat(Words.hex(call(() -> c.lastTaskId().send()))).isEqualTo(deal.taskId(1));
        assertThat(state(c, deal.taskId(0))).isEqualTo(PENDING);
    }

    @Test
    void aRequestOrderTheConsumerApprovedIsMatchedByAnyoneThroughErc1271() {
        EchoConsumer c = deploy();
        k.depositFor(c.getContractAddress(), big(1_000));
        RequestOrder order = RequestOrder.of(c.getContractAddress(), f.app, Fixture.APP_PRICE, Fixture.POOL_PRICE, 1,
                0, 1).withCallback(c.getContractAddress());
        AppOrder a = f.appOrder(1);
        WorkerpoolOrder w = f.poolOrder(1, 1);
        byte[] notASignature = {1};
        var unapproved = org.assertj.core.api.Assertions.catchThrowable(() -> f.requester.matchOrders(a,
                DatasetOrder.NONE, w, order, f.appOwner.sign(a), new byte[0], f.scheduler.sign(w), notASignature));
        assertThat(unapproved).hasMessageContaining("is not signed by its signer");
        call(() -> c.approveRequest(new EchoConsumer.RequestOrder(order.app(), order.appMaxPrice(), order.dataset(),
                order.datasetMaxPrice(), order.workerpool(), order.workerpoolMaxPrice(), order.requester(),
                order.volume(), Words.toBytes32(order.tag()), order.category(), order.trust(), order.beneficiary(),
                order.callback(), order.params(), order.expiry(), Words.toBytes32(order.salt()))).send());
        DealRecord deal = f.requester.matchOrders(a, DatasetOrder.NONE, w, order, f.appOwner.sign(a), new byte[0],
                f.scheduler.sign(w), notASignature);
        assertThat(deal.deal().requester()).isEqualToIgnoringCase(c.getContractAddress());
        // the consumer paid: anyone may register its deal
        call(() -> as(c, f.workers.get(0)).registerDeal(PocoKit.id(deal), deal(deal)).send());
        assertThat(delivered(certify(deal, 0, data("approved")))).isTrue();
        assertThat(call(() -> c.lastData().send())).isEqualTo(data("approved"));
        k.assertConserved();
    }

    // ---------------------------------------------------------------- pull path

    @Test
    void aResultWhoseCallbackFailedIsReadableAndCanBeSettledOnce() {
        EchoConsumer c = deploy();
        k.depositFor(c.getContractAddress(), big(1_000));
        DealRecord deal = request(c);
        byte[] id = Words.toBytes32(deal.taskId(0));
        reverts("TaskNotFinalized", () -> call(() -> c.settle(id).send()), "is not finalized yet");
        call(() -> c.setFailing(true).send());
        TxResult r = certify(deal, 0, data("late"));
        assertThat(delivered(r)).isFalse();
        assertThat(f.owner.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        assertThat(call(() -> c.resultOf(id).send())).isEqualTo(data("late"));
        assertThat(state(c, deal.taskId(0))).isEqualTo(PENDING);

        call(() -> c.setFailing(false).send());
        TxResult settled = TxResult.of(call(() -> as(c, f.workers.get(1)).settle(id).send()));
        var applied = EchoConsumer.getResultAppliedEvents(settled.receipt());
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0).viaCallback).isFalse();
        assertThat(call(() -> c.lastData().send())).isEqualTo(data("late"));
        assertThat(state(c, deal.taskId(0))).isEqualTo(DONE);
        reverts("TaskAlreadyDone", () -> call(() -> c.settle(id).send()), "already applied");
        k.assertConserved();
    }
}
