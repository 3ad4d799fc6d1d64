package io.gridchain.protocol.registry;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.market.MarketTestSupport.a;
import static io.gridchain.protocol.market.MarketTestSupport.apps;
import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.call;
import static io.gridchain.protocol.market.MarketTestSupport.datasets;
import static io.gridchain.protocol.market.MarketTestSupport.randomAddress;
import static io.gridchain.protocol.market.MarketTestSupport.tokenId;
import static io.gridchain.protocol.market.MarketTestSupport.workerpools;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.market.MarketTestSupport;
import io.gridchain.protocol.market.MarketTestSupport.Match;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.utils.Numeric;

class RegistryTest extends FixtureTest {
    /** address(uint160(uint256(keccak256(abi.encode(block.chainid, registry, nonce))))). */
    private static String derivedAddress(String registry, BigInteger nonce) {
        byte[] h = Words.of().uint(f.net.chain().chainId()).address(registry).uint(nonce).keccak();
        return Numeric.toHexString(h).substring(0, 2) + Numeric.toHexString(h).substring(26);
    }

    @Test
    void createAppRegistersAnErc721OwnedByTheCaller() {
        AppRegistry registry = apps(f, f.appOwner);
        BigInteger count = call(() -> registry.assetCount().send());
        BigInteger held = call(() -> registry.balanceOf(f.appOwner.address()).send());

        String app = f.appOwner.createApp("sum", "wasm", "http://example/sum.wasm", Fixture.digest("sum"));

        assertThat(app).isNotEqualTo(Words.ZERO_ADDRESS).isNotEqualTo(f.app);
        assertThat(call(() -> registry.assetCount().send())).isEqualTo(count.add(BigInteger.ONE));
        assertThat(a(app)).isEqualTo(derivedAddress(f.net.protocol().addresses().apps(), count.add(BigInteger.ONE)));
        AppRegistry.App info = call(() -> registry.appOf(app).send());
        assertThat(info.name).isEqualTo("sum");
        assertThat(info.kind).isEqualTo("wasm");
        assertThat(info.uri).isEqualTo("http://example/sum.wasm");
        assertThat(Words.hex(info.checksum)).isEqualTo(Fixture.digest("sum"));
        assertThat(a(call(() -> registry.ownerOfAsset(app).send()))).isEqualTo(a(f.appOwner.address()));
        assertThat(a(call(() -> registry.ownerOf(tokenId(app)).send()))).isEqualTo(a(f.appOwner.address()));
        assertThat(call(() -> registry.balanceOf(f.appOwner.address()).send())).isEqualTo(held.add(BigInteger.ONE));
    }

    @Test
    void createAppEmitsAppCreatedAndAMintTransfer() {
        AppRegistry registry = apps(f, f.appOwner);
        TransactionReceipt r = call(() -> registry.createApp(f.appOwner.address(), "n", "wasm", "u",
                Words.toBytes32(Fixture.digest("n"))).send());

        AppRegistry.AppCreatedEventResponse e = AppRegistry.getAppCreatedEvents(r).get(0);
        assertThat(a(e.owner)).isEqualTo(a(f.appOwner.address()));
        assertThat(e.name).isEqualTo("n");
        assertThat(AppRegistry.getTransferEvents(r)).singleElement().satisfies(t -> {
            assertThat(a(t.from)).isEqualTo(Words.ZERO_ADDRESS);
            assertThat(a(t.to)).isEqualTo(a(f.appOwner.address()));
            assertThat(t.tokenId).isEqualTo(tokenId(e.app));
        });
    }

    @Test
    void createAppForAnotherOwnerMintsToThatOwner() {
        GridClient other = f.workers.get(0);
        TransactionReceipt r = call(() -> apps(f, f.appOwner).createApp(other.address(), "gift", "wasm", "u",
                Words.toBytes32(Fixture.digest("gift"))).send());
        String app = AppRegistry.getAppCreatedEvents(r).get(0).app;
        assertThat(a(call(() -> apps(f, f.appOwner).ownerOfAsset(app).send()))).isEqualTo(a(other.address()));
    }

    @Test
    void createDatasetRegistersItsFields() {
        DatasetRegistry registry = datasets(f, f.datasetOwner);
        BigInteger count = call(() -> registry.assetCount().send());

        String dataset = f.datasetOwner.createDataset("primes", "http://example/primes.csv", Fixture.digest("p"));

        assertThat(a(dataset)).isEqualTo(
                derivedAddress(f.net.protocol().addresses().datasets(), count.add(BigInteger.ONE)));
        DatasetRegistry.Dataset info = call(() -> registry.datasetOf(dataset).send());
        assertThat(info.name).isEqualTo("primes");
        assertThat(info.uri).isEqualTo("http://example/primes.csv");
        assertThat(Words.hex(info.checksum)).isEqualTo(Fixture.digest("p"));
        assertThat(a(call(() -> registry.ownerOfAsset(dataset).send()))).isEqualTo(a(f.datasetOwner.address()));
        assertThat(a(call(() -> registry.ownerOf(tokenId(dataset)).send()))).isEqualTo(a(f.datasetOwner.address()));
    }

    @Test
    void createWorkerpoolRegistersDefaultPolicy() {
        WorkerpoolRegistry registry = workerpools(f, f.scheduler);
        TransactionReceipt r = call(() -> registry.createWorkerpool(f.scheduler.address(), "gpu pool").send());
        String pool = WorkerpoolRegistry.getWorkerpoolCreatedEvents(r).get(0).pool;

        assertThat(WorkerpoolRegistry.getWorkerpoolPolicyUpdatedEvents(r)).singleElement().satisfies(e -> {
            assertThat(a(e.pool)).isEqualTo(a(pool));
            assertThat(e.workerStakeRatio).isEqualTo(30);
            assertThat(e.schedulerRewardRatio).isEqualTo(1);
        });
        WorkerpoolRegistry.Workerpool info = call(() -> registry.workerpoolOf(pool).send());
        assertThat(info.description).isEqualTo("gpu pool");
        assertThat(info.workerStakeRatio).isEqualTo(30);
        assertThat(info.schedulerRewardRatio).isEqualTo(1);
        Tuple3<String, BigInteger, BigInteger> policy = call(() -> registry.policyOf(pool).send());
        assertThat(a(policy.component1())).isEqualTo(a(f.scheduler.address()));
        assertThat(a(call(() -> registry.ownerOf(tokenId(pool)).send()))).isEqualTo(a(f.scheduler.address()));
    }

    @Test
    void ownerOfAssetIsZeroForUnknownAssets() {
        String unknown = randomAddress();
        assertThat(a(call(() -> apps(f, f.owner).ownerOfAsset(unknown).send()))).isEqualTo(Words.ZERO_ADDRESS);
        assertThat(a(call(() -> datasets(f, f.owner).ownerOfAsset(unknown).send()))).isEqualTo(Words.ZERO_ADDRESS);
        assertThat(a(call(() -> workerpools(f, f.owner).ownerOfAsset(unknown).send())))
                .isEqualTo(Words.ZERO_ADDRESS);
        // assets of one registry are unknown to the others
        assertThat(a(call(() -> datasets(f, f.owner).ownerOfAsset(f.app).send()))).isEqualTo(Words.ZERO_ADDRESS);
    }

    @Test
    void readingAnUnknownAssetRevertsWithNonexistentToken() {
        String unknown = randomAddress();
        String message = "asset " + a(unknown) + " does not exist";
        assertRevert(() -> apps(f, f.owner).appOf(unknown).send(), "ERC721NonexistentToken", message);
        assertRevert(() -> datasets(f, f.owner).datasetOf(unknown).send(), "ERC721NonexistentToken", message);
        assertRevert(() -> workerpools(f, f.owner).workerpoolOf(unknown).send(), "ERC721NonexistentToken", message);
        assertRevert(() -> apps(f, f.owner).ownerOf(tokenId(unknown)).send(), "ERC721NonexistentToken", message);
    }

    @Test
    void transferringAnAppChangesWhoMustSignItsOrders() {
        GridClient newOwner = f.workers.get(1);
        String app = f.appOwner.createApp("moving", "wasm", "u", Fixture.digest("moving"));
        TransactionReceipt r = call(() -> apps(f, f.appOwner)
                .transferFrom(f.appOwner.address(), newOwner.address(), tokenId(app)).send());
        assertThat(AppRegistry.getTransferEvents(r)).singleElement()
                .satisfies(t -> assertThat(a(t.to)).isEqualTo(a(newOwner.address())));
        assertThat(a(call(() -> apps(f, f.owner).ownerOfAsset(app).send()))).isEqualTo(a(newOwner.address()));
        assertThat(a(call(() -> apps(f, f.owner).ownerOf(tokenId(app)).send()))).isEqualTo(a(newOwner.address()));

        AppOrder appOrder = AppOrder.of(app, Fixture.APP_PRICE, 1);
        WorkerpoolOrder poolOrder = f.poolOrder(1, 0);
        var request = MarketTestSupport.withApp(f.request(1, 0), app);
        var before = f.requester.balance();

        assertRevert(() -> f.requester.matchOrders(appOrder, DatasetOrder.NONE, poolOrder, request,
                        f.appOwner.sign(appOrder), new byte[0], f.scheduler.sign(poolOrder), new byte[0]),
                "InvalidSignature",
                "app order " + appOrder.hash() + " is not signed by its signer " + a(newOwner.address()));
        assertThat(f.requester.balance()).isEqualTo(before);

        DealRecord deal = f.requester.matchOrders(appOrder, DatasetOrder.NONE, poolOrder, request,
                newOwner.sign(appOrder), new byte[0], f.scheduler.sign(poolOrder), new byte[0]);
        assertThat(a(deal.deal().appOwner())).isEqualTo(a(newOwner.address()));
        assertThat(deal.deal().volume()).isEqualTo(1);
    }

    @Test
    void aPresignByThePreviousOwnerNoLongerCountsAfterATransfer() {
        GridClient newOwner = f.workers.get(3);
        String app = f.appOwner.createApp("presigned", "wasm", "u", Fixture.digest("presigned"));
        AppOrder appOrder = AppOrder.of(app, Fixture.APP_PRICE, 2);
        f.appOwner.presign(appOrder);
        WorkerpoolOrder pool1 = f.poolOrder(1, 0);
        var request1 = MarketTestSupport.withApp(f.request(1, 0), app);
        DealRecord first = f.requester.matchOrders(appOrder, DatasetOrder.NONE, pool1, request1, new byte[0],
                new byte[0], f.scheduler.sign(pool1), new byte[0]);
        assertThat(a(first.deal().appOwner())).isEqualTo(a(f.appOwner.address()));

        call(() -> apps(f, f.appOwner).transferFrom(f.appOwner.address(), newOwner.address(), tokenId(app)).send());

        WorkerpoolOrder pool2 = f.poolOrder(1, 0);
        var request2 = MarketTestSupport.withApp(f.request(1, 0), app);
        assertRevert(() -> f.requester.matchOrders(appOrder, DatasetOrder.NONE, pool2, request2, new byte[0],
                        new byte[0], f.scheduler.sign(pool2), new byte[0]),
                "InvalidSignature",
                "app order " + appOrder.hash() + " is not signed by its signer " + a(newOwner.address()));
        newOwner.presign(appOrder);
        DealRecord second = f.requester.matchOrders(appOrder, DatasetOrder.NONE, pool2, request2, new byte[0],
                new byte[0], f.scheduler.sign(pool2), new byte[0]);
        assertThat(a(second.deal().appOwner())).isEqualTo(a(newOwner.address()));
    }

    @Test
    void transferringAPoolMakesTheNewOwnerTheScheduler() {
        GridClient newScheduler = f.workers.get(2);
        String pool = f.scheduler.createWorkerpool("moving pool");
        call(() -> workerpools(f, f.scheduler)
                .transferFrom(f.scheduler.address(), newScheduler.address(), tokenId(pool)).send());

        Match m = MarketTestSupport.orders(f, 1).pool(WorkerpoolOrder.of(pool, 10, 1, 0, 0));
        // the new owner serves only once it bonds in its own pool
        assertRevert(() -> f.requester.matchOrders(m.app(), m.dataset(), m.pool(), m.request(),
                f.appOwner.sign(m.app()), new byte[0], newScheduler.sign(m.pool()), new byte[0]), "PoolNotBonded",
                "workerpool " + a(pool) + " cannot serve: its owner " + a(newScheduler.address()) + " has 0 bonded in "
                        + "its own pool, less than 1, or asked to unbond: bond at least 1 there");
        newScheduler.bond(newScheduler.address(), BigInteger.ONE);
        assertRevert(() -> MarketTestSupport.matchAsRequester(f, m), "InvalidSignature",
                "workerpool order " + m.pool().hash() + " is not signed by its signer " + a(newScheduler.address()));

        var lockedBefore = newScheduler.balance().locked();
        DealRecord deal = f.requester.matchOrders(m.app(), m.dataset(), m.pool(), m.request(),
                f.appOwner.sign(m.app()), new byte[0], newScheduler.sign(m.pool()), new byte[0]);
        assertThat(a(deal.deal().scheduler())).isEqualTo(a(newScheduler.address()));
        assertThat(newScheduler.balance().locked()).isEqualTo(lockedBefore.add(BigInteger.valueOf(3))); // 10*30/100
    }

    @Test
    void setPolicyUpdatesTheRatiosAndLaterDealsUseThem() {
        String pool = f.scheduler.createWorkerpool("policy pool");

        TxResult r = f.scheduler.setWorkerpoolPolicy(pool, 40, 5);

        assertThat(WorkerpoolRegistry.getWorkerpoolPolicyUpdatedEvents(r.receipt())).singleElement().satisfies(e -> {
            assertThat(a(e.pool)).isEqualTo(a(pool));
            assertThat(e.workerStakeRatio).isEqualTo(40);
            assertThat(e.schedulerRewardRatio).isEqualTo(5);
        });
        WorkerpoolRegistry.Workerpool info = call(() -> workerpools(f, f.owner).workerpoolOf(pool).send());
        assertThat(info.workerStakeRatio).isEqualTo(40);
        assertThat(info.schedulerRewardRatio).isEqualTo(5);
        assertThat(info.description).isEqualTo("policy pool");

        Match m = MarketTestSupport.orders(f, 1).pool(WorkerpoolOrder.of(pool, 50, 1, 0, 0));
        DealRecord deal = MarketTestSupport.matchAsRequester(f, m);
        assertThat(deal.deal().workerStake()).isEqualTo(20); // 50 * 40 / 100
        assertThat(deal.deal().schedulerRewardRatio()).isEqualTo(5);
    }

    @Test
    void setPolicyAcceptsTheBounds() {
        String pool = f.scheduler.createWorkerpool("bounds pool");
        f.scheduler.setWorkerpoolPolicy(pool, 100, 0);
        WorkerpoolRegistry.Workerpool info = call(() -> workerpools(f, f.owner).workerpoolOf(pool).send());
        assertThat(info.workerStakeRatio).isEqualTo(100);
        assertThat(info.schedulerRewardRatio).isEqualTo(0);
    }

    @Test
    void setPolicyByAnotherAccountIsRefused() {
        assertRevert(() -> f.requester.setWorkerpoolPolicy(f.pool, 10, 10), "NotPoolOwner",
                "only the owner of workerpool " + a(f.pool) + " may change it, not " + a(f.requester.address()));
        WorkerpoolRegistry.Workerpool info = call(() -> workerpools(f, f.owner).workerpoolOf(f.pool).send());
        assertThat(info.workerStakeRatio).isEqualTo(30);
        assertThat(info.schedulerRewardRatio).isEqualTo(1);
    }

    @Test
    void setPolicyOnAnUnknownPoolIsRefused() {
        String unknown = randomAddress();
        assertRevert(() -> f.scheduler.setWorkerpoolPolicy(unknown, 10, 10), "NotPoolOwner",
                "only the owner of workerpool " + a(unknown) + " may change it, not " + a(f.scheduler.address()));
    }

    @Test
    void setPolicyRefusesRatiosAbove100() {
        String pool = f.scheduler.createWorkerpool("ratio pool");
        assertRevert(() -> f.scheduler.setWorkerpoolPolicy(pool, 101, 1), "RatioAbove100",
                "a ratio is a percentage: 101 is above 100");
        assertRevert(() -> f.scheduler.setWorkerpoolPolicy(pool, 30, 255), "RatioAbove100",
                "a ratio is a percentage: 255 is above 100");
        WorkerpoolRegistry.Workerpool info = call(() -> workerpools(f, f.owner).workerpoolOf(pool).send());
        assertThat(info.workerStakeRatio).isEqualTo(30);
        assertThat(info.schedulerRewardRatio).isEqualTo(1);
    }
}
