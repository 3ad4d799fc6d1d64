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
    static final int UNKNOWN = 0, PENDING = 1, DONE = 2, REFUNDED = 3;
    static PocoKit k;

    @BeforeAll
    static void kit() {
        k = new PocoKit(f);
    }

    /** A consumer pinned to the fixture's app, pool (owner: account 0) and prices, at minimum trust {@code minTrust}. */
    EchoConsumer deploy(long minTrust) {
        var sender = f.net.chain().sender(f.net.accounts().get(0));
        EchoConsumer c = call(() -> EchoConsumer.deploy(f.net.chain().web3j(), sender, new DefaultGasProvider(),
                f.net.protocol().addresses().hub(), PocoKit.pins(f.app, minTrust), List.of(f.pool),
                f.owner.address()).send());
        k.extras.add(c.getContractAddress());
        return c;
    }

    EchoConsumer deploy() {
        return deploy(1);
    }

    BigInteger budget(EchoConsumer c, GridClient account) {
        return k.budgetOf(c.getContractAddress(), account.address());
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

    /** The consumer requests one task as requester, paid by f.requester's budget; returns the deal it matched. */
    DealRecord request(EchoConsumer c) {
        TxResult r = TxResult.of(call(() -> as(c, f.requester).request(offer(), "--n 7", BigInteger.ONE).send()));
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
    void aConsumerPaysForARequestFromTheCallersBudgetAndReceivesTheCertifiedResult() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
        DealRecord deal = request(c);
        assertThat(deal.deal().requester()).isEqualToIgnoringCase(c.getContractAddress());
        assertThat(deal.deal().callback()).isEqualToIgnoringCase(c.getContractAddress());
        assertThat(deal.terms().params()).isEqualTo("--n 7");
        assertThat(state(c, deal.taskId(0))).isEqualTo(PENDING);
        assertThat(f.owner.balanceOf(c.getContractAddress()).locked()).isEqualTo(PocoKit.TASK_PRICE);
        assertThat(budget(c, f.requester)).isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE));

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
    void aRequestTheCallerCannotPayForFailsWithAClearErrorWhateverTheConsumerHolds() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(10));
        k.budget(c.getContractAddress(), f.workers.get(0), big(1_000));
        k.depositFor(c.getContractAddress(), big(500)); // straight into the hub: a surplus, nobody's budget
        reverts("InsufficientBudget", () -> call(() -> as(c, f.requester).request(offer(), "", BigInteger.ONE)
                .send()), "has 10 tokens in its budget", "needs " + PocoKit.TASK_PRICE, "deposit into its own budget");
        reverts("InsufficientBudget", () -> call(() -> as(c, f.scheduler).request(offer(), "", BigInteger.ONE)
                .send()), "has 0 tokens");
        assertThat(budget(c, f.requester)).isEqualTo(big(10));
        assertThat(budget(c, f.workers.get(0))).isEqualTo(big(1_000));
        assertThat(call(() -> c.surplus().send())).isEqualTo(big(500));
        assertThat(f.owner.balanceOf(c.getContractAddress()).free()).isEqualTo(big(1_510));
    }

    @Test
    void eachAccountWithdrawsItsOwnBudgetAndOnlyTheOwnerAssignsTheSurplus() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(300));
        k.budget(c.getContractAddress(), f.workers.get(0), big(200));
        k.depositFor(c.getContractAddress(), big(50));
        reverts("InsufficientBudget", () -> call(() -> as(c, f.requester).withdraw(big(301), f.requester.address())
                .send()), "has 300 tokens");
        BigInteger wallet = f.owner.tokenBalanceOf(f.requester.address());
        TxResult w = TxResult.of(call(() -> as(c, f.requester).withdraw(big(300), f.requester.address()).send()));
        assertThat(EchoConsumer.getBudgetWithdrawnEvents(w.receipt())).hasSize(1);
        assertThat(f.owner.tokenBalanceOf(f.requester.address())).isEqualTo(wallet.add(big(300)));
        assertThat(budget(c, f.requester)).isZero();
        assertThat(budget(c, f.workers.get(0))).isEqualTo(big(200));

        reverts("OwnableUnauthorizedAccount", () -> call(() -> as(c, f.requester).assignSurplus(f.requester.address(),
                big(50)).send()), "is not the owner");
        reverts("InsufficientSurplus", () -> call(() -> c.assignSurplus(f.requester.address(), big(51)).send()),
                "holds 50 tokens");
        call(() -> c.assignSurplus(f.requester.address(), big(50)).send());
        assertThat(budget(c, f.requester)).isEqualTo(big(50));
        assertThat(call(() -> c.surplus().send())).isZero();
        k.assertConserved();
    }

    @Test
    void anOfferOutsideThePinsIsRefusedBeforeMatching() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
        String otherApp = f.appOwner.createApp("other", "wasm", "http://127.0.0.1/other.wasm", Fixture.digest("o"));
        AppOrder wrongApp = AppOrder.of(otherApp, Fixture.APP_PRICE, 10);
        reverts("AppNotPinned", () -> call(() -> as(c, f.requester).request(offer(wrongApp, f.poolOrder(10, 1)), "",
                BigInteger.ONE).send()), "runs app " + otherApp.toLowerCase(), "only runs its pinned app");
        reverts("AppPriceAboveMax", () -> call(() -> as(c, f.requester).request(offer(AppOrder.of(f.app,
                Fixture.APP_PRICE + 1, 10), f.poolOrder(10, 1)), "", BigInteger.ONE).send()), "price 4", "maximum 3");
        WorkerpoolOrder pricey = WorkerpoolOrder.of(f.pool, Fixture.POOL_PRICE + 1, 10, 0, 1);
        reverts("WorkerpoolPriceAboveMax", () -> call(() -> as(c, f.requester).request(offer(f.appOrder(10), pricey),
                "", BigInteger.ONE).send()), "price 101", "maximum 100");
        WorkerpoolOrder otherCategory = WorkerpoolOrder.of(f.pool, Fixture.POOL_PRICE, 10, 1, 1);
        reverts("CategoryNotPinned", () -> call(() -> as(c, f.requester).request(offer(f.appOrder(10), otherCategory),
                "", BigInteger.ONE).send()), "category 1", "category is 0");
        assertThat(budget(c, f.requester)).isEqualTo(big(1_000));
        assertThat(f.owner.balanceOf(c.getContractAddress()).locked()).isZero();
    }

    @Test
    void onlyTheOwnerChangesTheAcceptedPoolsAndAConsumerWithoutOwnerIsFrozen() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
        assertThat(call(() -> c.isPoolListed(f.pool).send())).isTrue();
        reverts("OwnableUnauthorizedAccount", () -> call(() -> as(c, f.scheduler).setPoolAccepted(f.pool, false)
                .send()), "is not the owner");
        TxResult off = TxResult.of(call(() -> c.setPoolAccepted(f.pool, false).send()));
        assertThat(EchoConsumer.getPoolAcceptanceChangedEvents(off.receipt()).get(0).accepted).isFalse();
        reverts("PoolNotAccepted", () -> call(() -> as(c, f.requester).request(offer(), "", BigInteger.ONE).send()),
                "workerpool " + f.pool.toLowerCase(), "scheduler " + f.scheduler.address().toLowerCase(), "not accepted");
        call(() -> c.setPoolAccepted(f.pool, true).send());
        request(c);

        var sender = f.net.chain().sender(f.net.accounts().get(0));
        EchoConsumer frozen = call(() -> EchoConsumer.deploy(f.net.chain().web3j(), sender, new DefaultGasProvider(),
                f.net.protocol().addresses().hub(), PocoKit.pins(f.app, 1), List.of(f.pool), Words.ZERO_ADDRESS).send());
        assertThat(call(() -> frozen.owner().send())).isEqualTo(Words.ZERO_ADDRESS);
        reverts("OwnableUnauthorizedAccount", () -> call(() -> frozen.setPoolAccepted(f.workers.get(0).address(), true)
                .send()), "is not the owner");
    }

    @Test
    void aRequestBelowTheMinimumTrustIsRefused() {
        EchoConsumer c = deploy(3);
        k.budget(c.getContractAddress(), f.requester, big(1_000));
        for (long trust : new long[] {0, 1, 2}) {
            reverts("TrustBelowMinimum", () -> call(() -> as(c, f.requester).request(offer(f.appOrder(10),
                    f.poolOrder(10, 3)), "", BigInteger.valueOf(trust)).send()), "trust " + trust,
                    "minimum trust 3");
        }
        TxResult r = TxResult.of(call(() -> as(c, f.requester).request(offer(f.appOrder(10), f.poolOrder(10, 3)), "",
                BigInteger.valueOf(3)).send()));
        assertThat(GridClient.dealOf(r.receipt()).deal().trust()).isEqualTo(big(3));
        assertThat(budget(c, f.requester)).isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE));
    }

    @Test
    void aTaskRefundedByTheHubGoesBackToWhoPaidForIt() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
        k.budget(c.getContractAddress(), f.workers.get(0), big(1_000));
        DealRecord deal = request(c);
        byte[] id = Words.toBytes32(deal.taskId(0));
        reverts("NotRefundable", () -> call(() -> c.reclaim(id).send()), "was not refunded");
        f.net.advanceTime(PocoKit.DEAL_DURATION + 1);
        f.owner.claim(deal, List.of(0L));
        TxResult r = TxResult.of(call(() -> as(c, f.workers.get(1)).reclaim(id).send()));
        var refunded = EchoConsumer.getTaskRefundedEvents(r.receipt()).get(0);
        assertThat(refunded.payer).isEqualToIgnoringCase(f.requester.address());
        assertThat(refunded.amount).as("the price only: the scheduler's stake is burned").isEqualTo(PocoKit.TASK_PRICE);
        assertThat(budget(c, f.requester)).isEqualTo(big(1_000));
        assertThat(budget(c, f.workers.get(0))).isEqualTo(big(1_000));
        assertThat(state(c, deal.taskId(0))).isEqualTo(REFUNDED);
        reverts("NotRefundable", () -> call(() -> c.reclaim(id).send()));
        assertThat(call(() -> c.surplus().send())).isZero();
        k.assertConserved();
    }

    // ---------------------------------------------------------------- who may deliver what

    @Test
    void nobodyButTheHubCanDeliverAResult() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
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
    void aDealSomeoneElseRequestedIsRefusedByDefaultAndRegisteredOnlyIfTheConsumerOptsIn() {
        EchoConsumer c = deploy();
        DealRecord deal = k.callbackDeal(2, 1, c.getContractAddress());
        EchoConsumer.Deal struct = deal(deal);
        byte[] id = PocoKit.id(deal);
        reverts("DealRefused", () -> call(() -> as(c, f.requester).registerDeal(id, struct).send()),
                "refuses deal");
        reverts("OwnableUnauthorizedAccount", () -> call(() -> as(c, f.requester).setAcceptForeignDeals(true).send()),
                "is not the owner");
        call(() -> c.setAcceptForeignDeals(true).send());
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

    static EchoConsumer.RequestOrder struct(RequestOrder o) {
        return new EchoConsumer.RequestOrder(o.app(), o.appMaxPrice(), o.dataset(), o.datasetMaxPrice(), o.workerpool(),
                o.workerpoolMaxPrice(), o.requester(), o.volume(), Words.toBytes32(o.tag()), o.category(), o.trust(),
                o.beneficiary(), o.callback(), o.params(), o.expiry(), Words.toBytes32(o.salt()));
    }

    @Test
    void aRequestOrderTheConsumerApprovedIsMatchedByAnyoneAndPaidFromTheApproversReservation() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
        k.budget(c.getContractAddress(), f.workers.get(0), big(1_000));
        RequestOrder order = RequestOrder.of(c.getContractAddress(), f.app, Fixture.APP_PRICE, Fixture.POOL_PRICE, 3,
                0, 1).withCallback(c.getContractAddress()).withWorkerpool(f.pool);
        AppOrder a = f.appOrder(1);
        WorkerpoolOrder w = f.poolOrder(1, 1);
        byte[] notASignature = {1};
        var unapproved = org.assertj.core.api.Assertions.catchThrowable(() -> f.requester.matchOrders(a,
                DatasetOrder.NONE, w, order, f.appOwner.sign(a), new byte[0], f.scheduler.sign(w), notASignature));
        assertThat(unapproved).hasMessageContaining("is not signed by its signer");
        // an order for any pool, or outside the pins, is not approved
        reverts("NotOwnRequest", () -> call(() -> as(c, f.requester).approveRequest(struct(order.withWorkerpool(
                Words.ZERO_ADDRESS))).send()), "name one workerpool");
        RequestOrder otherPool = RequestOrder.of(c.getContractAddress(), f.app, Fixture.APP_PRICE, Fixture.POOL_PRICE,
                3, 0, 1).withCallback(c.getContractAddress()).withWorkerpool(f.workers.get(1).address());
        reverts("PoolNotAccepted", () -> call(() -> as(c, f.requester).approveRequest(struct(otherPool)).send()));

        TxResult approved = TxResult.of(call(() -> as(c, f.requester).approveRequest(struct(order)).send()));
        assertThat(EchoConsumer.getRequestApprovedEvents(approved.receipt()).get(0).reserved)
                .isEqualTo(PocoKit.TASK_PRICE.multiply(big(3)));
        assertThat(budget(c, f.requester)).isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE.multiply(big(3))));
        DealRecord deal = f.requester.matchOrders(a, DatasetOrder.NONE, w, order, f.appOwner.sign(a), new byte[0],
                f.scheduler.sign(w), notASignature);
        assertThat(deal.deal().requester()).isEqualToIgnoringCase(c.getContractAddress());
        // the consumer paid: anyone may register its deal
        call(() -> as(c, f.workers.get(0)).registerDeal(PocoKit.id(deal), deal(deal)).send());
        assertThat(delivered(certify(deal, 0, data("approved")))).isTrue();
        assertThat(call(() -> c.lastData().send())).isEqualTo(data("approved"));

        // only the approver revokes; the two tasks not matched go back to its budget
        reverts("NotApprover", () -> call(() -> as(c, f.workers.get(0)).revokeRequest(struct(order)).send()),
                "may revoke it");
        call(() -> as(c, f.requester).revokeRequest(struct(order)).send());
        assertThat(budget(c, f.requester)).isEqualTo(big(1_000).subtract(PocoKit.TASK_PRICE));
        assertThat(budget(c, f.workers.get(0))).isEqualTo(big(1_000));
        AppOrder a2 = f.appOrder(1);
        WorkerpoolOrder w2 = f.poolOrder(1, 1);
        var revoked = org.assertj.core.api.Assertions.catchThrowable(() -> f.requester.matchOrders(a2,
                DatasetOrder.NONE, w2, order, f.appOwner.sign(a2), new byte[0], f.scheduler.sign(w2), notASignature));
        assertThat(revoked).isNotNull();
        k.assertConserved();
    }

    // ---------------------------------------------------------------- pull path

    @Test
    void aResultWhoseCallbackFailedIsReadableAndCanBeSettledOnce() {
        EchoConsumer c = deploy();
        k.budget(c.getContractAddress(), f.requester, big(1_000));
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
