package io.gridchain.protocol.market;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.market.MarketTestSupport.NO_SIG;
import static io.gridchain.protocol.market.MarketTestSupport.a;
import static io.gridchain.protocol.market.MarketTestSupport.apps;
import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.call;
import static io.gridchain.protocol.market.MarketTestSupport.matchAsRequester;
import static io.gridchain.protocol.market.MarketTestSupport.orders;
import static io.gridchain.protocol.market.MarketTestSupport.ordersWithDataset;
import static io.gridchain.protocol.market.MarketTestSupport.tag;
import static io.gridchain.protocol.market.MarketTestSupport.tokenId;
import static io.gridchain.protocol.market.MarketTestSupport.withTag;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.ContractAccount;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.market.MarketTestSupport.Match;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple7;
import org.web3j.tx.gas.DefaultGasProvider;

class MarketMatchTest extends FixtureTest {
    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static BigInteger consumed(Order o) {
        return f.owner.consumed(o);
    }

    private static long blockTime(long block) {
        return call(() -> f.net.chain().web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(big(block)), false)
                .send().getBlock().getTimestamp().longValueExact());
    }

    private static String storedDealHash(DealRecord deal) {
        return Words.hex(call(() -> f.owner.hub().dealHashOf(Words.toBytes32(deal.dealId())).send()));
    }

    /** keccak256(abi.encode(requestOrderHash, consumedBefore)), the contract's deal id. */
    private static String expectedDealId(RequestOrder r, long consumedBefore) {
        return Words.of().bytes32(r.structHash()).uint(consumedBefore).keccakHex();
    }

    @Test
    void matchWithoutDatasetCreatesTheDealAndLocksPaymentAndStake() {
        AppOrder app = AppOrder.of(f.app, Fixture.APP_PRICE, 5).withTag(tag(0x1));
        WorkerpoolOrder pool = WorkerpoolOrder.of(f.pool, 9, 3, 0, 0).withTag(tag(0x3));
        RequestOrder request = f.request(4, 0).withTag(tag(0x2)).withParams("--n 42");
        Balance requesterBefore = f.requester.balance();
        Balance schedulerBefore = f.scheduler.balance();
        assertThat(consumed(app)).isZero();

        DealRecord deal = f.requester.matchOrders(app, DatasetOrder.NONE, pool, request, f.appOwner.sign(app), NO_SIG,
                f.scheduler.sign(pool), NO_SIG);

        // volume = min(5, 3, 4), consumed from each order under the hash Java computes
        assertThat(deal.deal().volume()).isEqualTo(big(3));
        assertThat(consumed(app)).isEqualTo(big(3));
        assertThat(consumed(pool)).isEqualTo(big(3));
        assertThat(consumed(request)).isEqualTo(big(3));

        // payment (3 + 9) * 3 and scheduler stake (9 * 30 / 100) * 3 are locked
        Balance requesterAfter = f.requester.balance();
        assertThat(requesterAfter.locked()).isEqualTo(requesterBefore.locked().add(big(36)));
        assertThat(requesterAfter.free()).isEqualTo(requesterBefore.free().subtract(big(36)));
        Balance schedulerAfter = f.scheduler.balance();
        assertThat(schedulerAfter.locked()).isEqualTo(schedulerBefore.locked().add(big(6)));
        assertThat(schedulerAfter.free()).isEqualTo(schedulerBefore.free().subtract(big(6)));

        Deal d = deal.deal();
        assertThat(a(d.requester())).isEqualTo(a(f.requester.address()));
        assertThat(a(d.appOwner())).isEqualTo(a(f.appOwner.address()));
        assertThat(d.datasetOwner()).isEqualTo(Words.ZERO_ADDRESS);
        assertThat(a(d.scheduler())).isEqualTo(a(f.scheduler.address()));
        assertThat(d.callback()).isEqualTo(Words.ZERO_ADDRESS);
        assertThat(d.appPrice()).isEqualTo(big(3));
        assertThat(d.datasetPrice()).isZero();
        assertThat(d.workerpoolPrice()).isEqualTo(big(9));
        assertThat(d.trust()).as("trust 0 means 1").isEqualTo(big(1));
        assertThat(d.categoryTime()).isEqualTo(big(300));
        assertThat(d.startTime()).isEqualTo(big(blockTime(deal.blockNumber())));
        assertThat(d.workerStake()).isEqualTo(big(2)); // 9 * 30 / 100, the default worker stake ratio
        assertThat(d.schedulerRewardRatio()).isEqualTo(big(1));

        var t = deal.terms();
        assertThat(a(t.app())).isEqualTo(a(f.app));
        assertThat(t.dataset()).isEqualTo(Words.ZERO_ADDRESS);
        assertThat(a(t.workerpool())).isEqualTo(a(f.pool));
        assertThat(a(t.beneficiary())).as("beneficiary defaults to the requester").isEqualTo(a(f.requester.address()));
        assertThat(t.tag()).isEqualTo(tag(0x3)); // app 0x1 | request 0x2
        assertThat(t.category()).isZero();
        assertThat(t.params()).isEqualTo("--n 42");
        assertThat(t.appOrderHash()).isEqualTo(app.hash());
        assertThat(t.workerpoolOrderHash()).isEqualTo(pool.hash());
        assertThat(t.requestOrderHash()).isEqualTo(request.hash());
        assertThat(t.datasetOrderHash()).isEqualTo(Words.ZERO_BYTES32);

        assertThat(deal.dealId()).isEqualTo(expectedDealId(request, 0));
        assertThat(storedDealHash(deal)).isEqualTo(d.hash());
    }

    @Test
    void matchWithDatasetPaysTheDatasetAndRecordsItsOrder() {
        Match m = ordersWithDataset(f, 2);
        m = m.app(m.app().withTag(tag(0x1))).dataset(withTag(m.dataset(), tag(0x4)))
                .pool(m.pool().withTag(tag(0xF))).request(m.request().withTag(tag(0x2)));
        Balance before = f.requester.balance();
        Balance schedulerBefore = f.scheduler.balance();

        DealRecord deal = matchAsRequester(f, m);

        assertThat(deal.deal().volume()).isEqualTo(big(2));
        assertThat(a(deal.deal().datasetOwner())).isEqualTo(a(f.datasetOwner.address()));
        assertThat(deal.deal().datasetPrice()).isEqualTo(big(Fixture.DATASET_PRICE));
        assertThat(a(deal.terms().dataset())).isEqualTo(a(f.dataset));
        assertThat(deal.terms().datasetOrderHash()).isEqualTo(m.dataset().hash());
        assertThat(deal.terms().tag()).isEqualTo(tag(0x7)); // 0x1 | 0x4 | 0x2
        assertThat(consumed(m.dataset())).isEqualTo(big(2));
        assertThat(consumed(m.app())).isEqualTo(big(2));
        assertThat(consumed(m.pool())).isEqualTo(big(2));
        assertThat(consumed(m.request())).isEqualTo(big(2));
        long taskPrice = Fixture.APP_PRICE + Fixture.DATASET_PRICE + Fixture.POOL_PRICE;
        assertThat(f.requester.balance().locked()).isEqualTo(before.locked().add(big(taskPrice * 2)));
        assertThat(f.requester.balance().free()).isEqualTo(before.free().subtract(big(taskPrice * 2)));
        assertThat(f.scheduler.balance().locked()).isEqualTo(schedulerBefore.locked().add(big(30 * 2)));
        assertThat(deal.deal().taskPrice()).isEqualTo(big(taskPrice));
        assertThat(storedDealHash(deal)).isEqualTo(deal.deal().hash());
    }

    @Test
    void anExplicitBeneficiaryIsPublished() {
        Match m = orders(f, 1);
        String beneficiary = f.workers.get(3).address();
        DealRecord deal = matchAsRequester(f, m.request(m.request().withBeneficiary(beneficiary)));
        assertThat(a(deal.terms().beneficiary())).isEqualTo(a(beneficiary));
        assertThat(a(deal.deal().requester())).isEqualTo(a(f.requester.address()));
    }

    @Test
    void thePlaceholderDatasetOrderOfADatasetlessRequestAddsNoTag() {
        Match m = orders(f, 1);
        DatasetOrder placeholder = withTag(DatasetOrder.NONE, tag(0x4));
        DealRecord deal = f.requester.matchOrders(m.app(), placeholder, m.pool(), m.request(),
                f.appOwner.sign(m.app()), NO_SIG, f.scheduler.sign(m.pool()), NO_SIG);
        assertThat(deal.terms().tag()).isEqualTo(tag(0));
        assertThat(deal.terms().datasetOrderHash()).isEqualTo(Words.ZERO_BYTES32);
        assertThat(deal.deal().datasetPrice()).isZero();
    }

    @Test
    void dealVolumeIsTheMinimumOfTheRemainingVolumes() {
        AppOrder app = f.appOrder(5);
        RequestOrder request = f.request(4, 0);
        WorkerpoolOrder pool1 = f.poolOrder(3, 0);

        DealRecord first = f.requester.matchOrders(app, DatasetOrder.NONE, pool1, request, f.appOwner.sign(app),
                NO_SIG, f.scheduler.sign(pool1), NO_SIG);
        assertThat(first.deal().volume()).isEqualTo(big(3));

        // remaining: app 2, new pool 10, request 1
        WorkerpoolOrder pool2 = f.poolOrder(10, 0);
        DealRecord second = f.requester.matchOrders(app, DatasetOrder.NONE, pool2, request, f.appOwner.sign(app),
                NO_SIG, f.scheduler.sign(pool2), NO_SIG);
        assertThat(second.deal().volume()).isEqualTo(big(1));
        assertThat(second.dealId()).isNotEqualTo(first.dealId()).isEqualTo(expectedDealId(request, 3));
        assertThat(consumed(app)).isEqualTo(big(4));
        assertThat(consumed(pool1)).isEqualTo(big(3));
        assertThat(consumed(pool2)).isEqualTo(big(1));
        assertThat(consumed(request)).isEqualTo(big(4));
        assertThat(storedDealHash(first)).isEqualTo(first.deal().hash());
        assertThat(storedDealHash(second)).isEqualTo(second.deal().hash());

        // the dataset order's remaining volume counts too: min(10, 2, 10, 10)
        Match m = ordersWithDataset(f, 10).dataset(DatasetOrder.of(f.dataset, Fixture.DATASET_PRICE, 2));
        assertThat(matchAsRequester(f, m).deal().volume()).isEqualTo(big(2));
        assertThat(consumed(m.dataset())).isEqualTo(big(2));
        assertThat(consumed(m.request())).isEqualTo(big(2));
    }

    @Test
    void contractDigestsEqualTheJavaEip712Digests() {
        Match m = ordersWithDataset(f, 1);
        Eip712Domain domain = f.net.protocol().domain();
        for (Order o : List.<Order>of(m.app(), m.dataset(), m.pool(), m.request().withParams("with params"))) {
            byte[] onChain = call(() -> f.owner.hub().typedDataDigest(o.structHash()).send());
            assertThat(Words.hex(onChain)).as(o.kind().label()).isEqualTo(Words.hex(domain.digest(o.structHash())));
        }
        Tuple7<byte[], String, String, BigInteger, String, byte[], List<BigInteger>> d =
                call(() -> f.owner.hub().eip712Domain().send());
        assertThat(d.component2()).isEqualTo(Eip712Domain.NAME);
        assertThat(d.component3()).isEqualTo(Eip712Domain.VERSION);
        assertThat(d.component4()).isEqualTo(big(domain.chainId()));
        assertThat(a(d.component5())).isEqualTo(a(domain.hub()));
    }

    @Test
    void aThirdPartyMatchesWithAllFourSignatures() {
        GridClient relayer = f.workers.get(0);
        Balance relayerBefore = relayer.balance();
        Balance requesterBefore = f.requester.balance();
        Match m = ordersWithDataset(f, 2);

        DealRecord deal = relayer.matchOrders(m.app(), m.dataset(), m.pool(), m.request(), f.appOwner.sign(m.app()),
                f.datasetOwner.sign(m.dataset()), f.scheduler.sign(m.pool()), f.requester.sign(m.request()));

        assertThat(a(deal.deal().requester())).isEqualTo(a(f.requester.address()));
        assertThat(deal.deal().volume()).isEqualTo(big(2));
        assertThat(relayer.balance()).isEqualTo(relayerBefore);
        assertThat(f.requester.balance().locked()).isEqualTo(requesterBefore.locked().add(big(105 * 2)));
        assertThat(consumed(m.request())).isEqualTo(big(2));
    }

    @Test
    void aSignerSendingTheMatchNeedsNoSignature() {
        Match m = orders(f, 1);
        DealRecord deal = f.scheduler.matchOrders(m.app(), m.dataset(), m.pool(), m.request(),
                f.appOwner.sign(m.app()), NO_SIG, NO_SIG, f.requester.sign(m.request()));
        assertThat(deal.deal().volume()).isEqualTo(big(1));
        assertThat(consumed(m.pool())).isEqualTo(big(1));
    }

    @Test
    void presignedOrdersMatchWithEmptySignatures() {
        GridClient relayer = f.workers.get(1);
        Match m = ordersWithDataset(f, 1);
        // nothing presigned yet: empty signatures are refused
        assertRevert(() -> relayer.matchOrders(m.app(), m.dataset(), m.pool(), m.request(), NO_SIG, NO_SIG, NO_SIG,
                NO_SIG), "InvalidSignature",
                "app order " + m.app().hash() + " is not signed by its signer " + a(f.appOwner.address()));

        record Presign(GridClient signer, Order order, int kind) {}
        for (Presign p : List.of(new Presign(f.appOwner, m.app(), 0), new Presign(f.datasetOwner, m.dataset(), 1),
                new Presign(f.scheduler, m.pool(), 2), new Presign(f.requester, m.request(), 3))) {
            TxResult r = p.signer().presign(p.order());
            assertThat(GridHub.getOrderPresignedEvents(r.receipt())).singleElement().satisfies(e -> {
                assertThat(e.kind).isEqualTo(big(p.kind()));
                assertThat(Words.hex(e.orderHash)).isEqualTo(p.order().hash());
                assertThat(a(e.signer)).isEqualTo(a(p.signer().address()));
            });
            assertThat(a(call(() -> f.owner.hub().presignerOf(p.order().structHash()).send())))
                    .isEqualTo(a(p.signer().address()));
        }

        DealRecord deal = relayer.matchOrders(m.app(), m.dataset(), m.pool(), m.request(), NO_SIG, NO_SIG, NO_SIG,
                NO_SIG);
        assertThat(deal.deal().volume()).isEqualTo(big(1));
        assertThat(a(deal.deal().requester())).isEqualTo(a(f.requester.address()));
        assertThat(consumed(m.dataset())).isEqualTo(big(1));
    }

    @Test
    void presigningSomeoneElsesOrderIsRefused() {
        Match m = ordersWithDataset(f, 1);
        record Case(GridClient caller, Order order, String kind, GridClient signer) {}
        for (Case c : List.of(new Case(f.requester, m.app(), "app", f.appOwner),
                new Case(f.appOwner, m.dataset(), "dataset", f.datasetOwner),
                new Case(f.requester, m.pool(), "workerpool", f.scheduler),
                new Case(f.scheduler, m.request(), "request", f.requester))) {
            assertRevert(() -> c.caller().presign(c.order()), "NotOrderSigner",
                    "only " + a(c.signer().address()) + " may presign or cancel this " + c.kind() + " order, not "
                            + a(c.caller().address()));
            assertThat(a(call(() -> f.owner.hub().presignerOf(c.order().structHash()).send())))
                    .isEqualTo(Words.ZERO_ADDRESS);
        }
    }

    // ---------------------------------------------------------------- ERC-1271

    private static ContractAccount deployContractAccount(GridClient eoa) {
        var chain = f.net.protocol().chain();
        return call(() -> ContractAccount.deploy(chain.web3j(), chain.sender(f.credentials(eoa)),
                new DefaultGasProvider(), eoa.address()).send());
    }

    /** An app owned by a contract account: registered by the EOA, then transferred (transferFrom skips the receiver hook). */
    private static String appOwnedBy(String contractAccount, GridClient registrant) {
        String app = registrant.createApp("erc1271", "wasm", "u", Fixture.digest("erc1271"));
        call(() -> apps(f, registrant).transferFrom(registrant.address(), contractAccount, tokenId(app)).send());
        return app;
    }

    @Test
    void anAppOwnedByAContractAccountIsAuthorizedThroughErc1271() {
        GridClient eoa = f.workers.get(2);
        ContractAccount account = deployContractAccount(eoa);
        String ca = account.getContractAddress();
        assertThat(a(call(() -> account.owner().send()))).isEqualTo(a(eoa.address()));
        String app = appOwnedBy(ca, eoa);
        assertThat(a(call(() -> apps(f, f.owner).ownerOfAsset(app).send()))).isEqualTo(a(ca));

        AppOrder appOrder = AppOrder.of(app, Fixture.APP_PRICE, 2);
        WorkerpoolOrder pool = f.poolOrder(2, 0);
        RequestOrder request = MarketTestSupport.withApp(f.request(2, 0), app);
        Balance before = f.requester.balance();

        // signed by another key: the contract account says no
        assertRevert(() -> f.requester.matchOrders(appOrder, DatasetOrder.NONE, pool, request,
                        f.appOwner.sign(appOrder), NO_SIG, f.scheduler.sign(pool), NO_SIG),
                "InvalidSignature", "app order " + appOrder.hash() + " is not signed by its signer " + a(ca));
        assertThat(f.requester.balance()).isEqualTo(before);

        // signed by the contract account's owner key: ERC-1271 approves
        DealRecord deal = f.requester.matchOrders(appOrder, DatasetOrder.NONE, pool, request, eoa.sign(appOrder),
                NO_SIG, f.scheduler.sign(pool), NO_SIG);
        assertThat(a(deal.deal().appOwner())).isEqualTo(a(ca));
        assertThat(deal.deal().volume()).isEqualTo(big(2));
        assertThat(f.requester.balance().locked())
                .isEqualTo(before.locked().add(big((Fixture.APP_PRICE + Fixture.POOL_PRICE) * 2)));
        assertThat(consumed(appOrder)).isEqualTo(big(2));
    }

    @Test
    void createAppWithAContractAccountAsOwner() {
        GridClient eoa = f.workers.get(3);
        String ca = deployContractAccount(eoa).getContractAddress();

        TransactionReceipt r = call(() -> apps(f, eoa).createApp(ca, "erc1271", "wasm", "u",
                Words.toBytes32(Fixture.digest("erc1271"))).send());
        String app = AppRegistry.getAppCreatedEvents(r).get(0).app;
        assertThat(a(call(() -> apps(f, f.owner).ownerOfAsset(app).send()))).isEqualTo(a(ca));

        AppOrder appOrder = AppOrder.of(app, Fixture.APP_PRICE, 1);
        WorkerpoolOrder pool = f.poolOrder(1, 0);
        RequestOrder request = MarketTestSupport.withApp(f.request(1, 0), app);
        DealRecord deal = f.requester.matchOrders(appOrder, DatasetOrder.NONE, pool, request, eoa.sign(appOrder),
                NO_SIG, f.scheduler.sign(pool), NO_SIG);
        assertThat(a(deal.deal().appOwner())).isEqualTo(a(ca));
    }

    @Test
    void matchWithDatasetSentByTheDatasetOwnerNeedsNoDatasetSignature() {
        Match m = ordersWithDataset(f, 1);
        DealRecord deal = f.datasetOwner.matchOrders(m.app(), m.dataset(), m.pool(), m.request(),
                f.appOwner.sign(m.app()), NO_SIG, f.scheduler.sign(m.pool()), f.requester.sign(m.request()));
        assertThat(deal.terms().datasetOrderHash()).isEqualTo(m.dataset().hash());
        assertThat(consumed(m.dataset())).isEqualTo(big(1));
    }
}
