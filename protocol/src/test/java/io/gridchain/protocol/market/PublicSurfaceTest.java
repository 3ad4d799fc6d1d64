package io.gridchain.protocol.market;

import static io.gridchain.protocol.market.MarketTestSupport.a;
import static io.gridchain.protocol.market.MarketTestSupport.apps;
import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.call;
import static io.gridchain.protocol.market.MarketTestSupport.matchAsRequester;
import static io.gridchain.protocol.market.MarketTestSupport.ordersWithDataset;
import static io.gridchain.protocol.market.MarketTestSupport.token;
import static io.gridchain.protocol.market.MarketTestSupport.tokenId;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DevToken;
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.market.MarketTestSupport.Match;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public functions not exercised elsewhere: cancellation of each order kind, ownership, ERC-721 and token basics. */
class PublicSurfaceTest extends FixtureTest {
    private static final BigInteger MAX_UINT = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Test
    void eachOrderKindCanBeCancelledByItsSignerOnly() {
        Match m = ordersWithDataset(f, 1);
        List<Object[]> cases = List.of(
                new Object[] {m.app(), f.appOwner, "app"},
                new Object[] {m.dataset(), f.datasetOwner, "dataset"},
                new Object[] {m.pool(), f.scheduler, "workerpool"},
                new Object[] {m.request(), f.requester, "request"});
        for (Object[] c : cases) {
            Order order = (Order) c[0];
            GridClient signer = (GridClient) c[1];
            assertRevert(() -> f.workers.get(0).cancel(order), "NotOrderSigner", "only " + a(signer.address())
                    + " may presign or cancel this " + c[2] + " order, not " + a(f.workers.get(0).address()));
            signer.cancel(order);
            assertThat(signer.consumed(order)).isEqualTo(MAX_UINT);
        }
        assertRevert(() -> matchAsRequester(f, m), "OrderIsCancelled", "app order " + m.app().hash() + " was cancelled");
    }

    @Test
    void hubOwnershipDecidesWhoCreatesCategories() {
        GridClient newOwner = f.workers.get(1);
        call(() -> f.owner.hub().transferOwnership(newOwner.address()).send());
        assertThat(a(call(() -> f.owner.hub().owner().send()))).isEqualTo(a(newOwner.address()));
        assertRevert(() -> call(() -> f.owner.hub().createCategory("XXL", "old owner", BigInteger.TEN).send()),
                "OwnableUnauthorizedAccount", "account " + a(f.owner.address()) + " is not the owner");
        call(() -> newOwner.hub().createCategory("XXL", "new owner", BigInteger.valueOf(80_000)).send());
        call(() -> newOwner.hub().renounceOwnership().send());
        assertRevert(() -> call(() -> newOwner.hub().createCategory("XXXL", "nobody", BigInteger.TEN).send()),
                "OwnableUnauthorizedAccount", "account " + a(newOwner.address()) + " is not the owner");
    }

    @Test
    void assetsAreStandardErc721Tokens() {
        AppRegistry asOwner = apps(f, f.appOwner);
        BigInteger id = tokenId(f.app);
        assertThat(call(() -> asOwner.supportsInterface(new byte[] {(byte) 0x80, (byte) 0xac, 0x58, (byte) 0xcd})
                .send())).isTrue();
        assertThat(call(() -> asOwner.symbol().send())).isEqualTo("GAPP");
        assertThat(call(() -> asOwner.tokenURI(id).send())).isEmpty();

        GridClient operator = f.workers.get(2);
        call(() -> asOwner.approve(operator.address(), id).send());
        assertThat(a(call(() -> asOwner.getApproved(id).send()))).isEqualTo(a(operator.address()));
        call(() -> asOwner.setApprovalForAll(operator.address(), true).send());
        assertThat(call(() -> asOwner.isApprovedForAll(f.appOwner.address(), operator.address()).send())).isTrue();

        AppRegistry asOperator = apps(f, operator);
        call(() -> asOperator.safeTransferFrom(f.appOwner.address(), operator.address(), id).send());
        assertThat(a(call(() -> asOperator.ownerOfAsset(f.app).send()))).isEqualTo(a(operator.address()));
        call(() -> asOperator.safeTransferFrom(operator.address(), f.appOwner.address(), id).send());
        assertThat(a(call(() -> asOwner.ownerOfAsset(f.app).send()))).isEqualTo(a(f.appOwner.address()));
    }

    @Test
    void onlyTheDevTokenOwnerMints() {
        DevToken asDeployer = token(f, f.owner);
        DevToken asOther = token(f, f.workers.get(3));
        BigInteger supply = call(() -> asDeployer.totalSupply().send());
        assertThat(call(() -> asDeployer.decimals().send())).isEqualTo(BigInteger.valueOf(18));
        assertThat(call(() -> asDeployer.symbol().send())).isEqualTo("GRID");
        call(() -> asDeployer.mint(f.workers.get(3).address(), BigInteger.valueOf(7)).send());
        assertThat(call(() -> asDeployer.totalSupply().send())).isEqualTo(supply.add(BigInteger.valueOf(7)));
        assertRevert(() -> call(() -> asOther.mint(f.workers.get(3).address(), BigInteger.ONE).send()),
                "OwnableUnauthorizedAccount", "account " + a(f.workers.get(3).address()) + " is not the owner");
    }

    /** The function names of a generated contract's ABI (io/gridchain/contracts/NAME.json). */
    private static java.util.Map<String, String> functions(String contract) throws java.io.IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (var in = PublicSurfaceTest.class.getResourceAsStream("/io/gridchain/contracts/" + contract + ".json")) {
            for (var item : new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).get("abi")) {
                if (!"function".equals(item.path("type").asText())) continue;
                List<String> types = new java.util.ArrayList<>();
                for (var input : item.get("inputs")) types.add(input.get("type").asText());
                out.put(item.get("name").asText() + "(" + String.join(",", types) + ")", item.path("stateMutability").asText());
            }
        }
        return out;
    }

    @Test
    void theHubAddressServesTheExtensionsFunctionsThroughItsFallback() throws Exception {
        var hub = functions("GridHub");
        var ext = functions("GridHubExtension");
        java.util.Set<String> extOnly = new java.util.TreeSet<>(ext.keySet());
        extOnly.removeAll(hub.keySet());
        // the extension's half of the public surface: bonds, refunds and the per-worker path
        assertThat(extOnly.stream().map(sig -> sig.substring(0, sig.indexOf('(')))).contains("bondFor",
                "requestUnbond", "unbond", "collect", "stakeOf", "claim", "initialize", "contribute", "close", "reveal",
                "finalize", "classicTaskOf", "contributionOf", "MAX_CONTRIBUTORS");
        // no hub function shadows one of the extension's with another meaning: shared ones come from the same bases
        for (String shared : hub.keySet()) {
            if (ext.containsKey(shared)) assertThat(ext.get(shared)).as(shared).isEqualTo(hub.get(shared));
        }
        // each of the extension's views answers at the hub's address, on the hub's storage
        GridClient c = f.owner;
        assertThat(call(() -> c.extension().UNBOND_DELAY().send())).isEqualTo(BigInteger.valueOf(11L * 24 * 3600));
        assertThat(a(call(() -> c.extension().BURN().send()))).isEqualTo(a("0x000000000000000000000000000000000000dEaD"));
        assertThat(call(() -> c.extension().MAX_CONTRIBUTORS().send())).isEqualTo(BigInteger.valueOf(32));
        assertThat(call(() -> c.extension().minPoolBond().send())).isEqualTo(io.gridchain.protocol.Protocol.MIN_POOL_BOND);
        assertThat(c.stakeOf(f.scheduler.address(), f.scheduler.address()).bond())
                .as("the scheduler's pool bond, made at the fixture's start").isEqualTo(io.gridchain.protocol.Fixture.POOL_BOND);
        // a selector neither half knows reverts without data
        var unknown = f.net.chain().web3j().ethCall(org.web3j.protocol.core.methods.request.Transaction
                .createEthCallTransaction(c.address(), f.net.protocol().addresses().hub(), "0xdeadbeef"),
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send();
        assertThat(unknown.isReverted() || unknown.hasError()).isTrue();
    }
}
