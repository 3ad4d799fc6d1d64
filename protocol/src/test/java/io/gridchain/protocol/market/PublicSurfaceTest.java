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
}
