package io.gridchain.protocol.market;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.market.MarketTestSupport.a;
import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.call;
import static io.gridchain.protocol.market.MarketTestSupport.withCategory;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.market.MarketTestSupport.Match;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

class CategoryTest extends FixtureTest {
    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static BigInteger count() {
        return call(() -> f.owner.hub().categoryCount().send());
    }

    @ParameterizedTest(name = "category {0} is {1} with T = {2} s")
    @CsvSource({"0, XS, 300", "1, S, 1200", "2, M, 3600", "3, L, 10800", "4, XL, 36000"})
    void theFiveDefaultCategoriesExist(long id, String name, long seconds) {
        GridHub.Category c = call(() -> f.requester.hub().categoryOf(big(id)).send());
        assertThat(c.name).isEqualTo(name);
        assertThat(c.workClockTimeRef).isEqualTo(big(seconds));
        assertThat(c.description).isNotBlank();
    }

    @Test
    void thereAreAtLeastTheFiveDefaultsAndTheCountIsTheFirstUnknownId() {
        BigInteger n = count();
        assertThat(n).isGreaterThanOrEqualTo(big(5));
        assertRevert(() -> f.owner.hub().categoryOf(n).send(), "UnknownCategory", "category " + n + " does not exist");
    }

    @Test
    void theHubOwnerCreatesACategory() {
        BigInteger id = count();

        TransactionReceipt r = call(() -> f.owner.hub().createCategory("XXL", "up to a day", big(86_400)).send());

        assertThat(count()).isEqualTo(id.add(BigInteger.ONE));
        assertThat(GridHub.getCategoryCreatedEvents(r)).singleElement().satisfies(e -> {
            assertThat(e.category).isEqualTo(id);
            assertThat(e.name).isEqualTo("XXL");
            assertThat(e.description).isEqualTo("up to a day");
            assertThat(e.workClockTimeRef).isEqualTo(big(86_400));
        });
        GridHub.Category c = call(() -> f.requester.hub().categoryOf(id).send());
        assertThat(c.name).isEqualTo("XXL");
        assertThat(c.description).isEqualTo("up to a day");
        assertThat(c.workClockTimeRef).isEqualTo(big(86_400));
    }

    @Test
    void aDealInANewCategoryUsesItsReferenceTime() {
        TransactionReceipt r = call(() -> f.owner.hub().createCategory("odd", "42 seconds", big(42)).send());
        long id = GridHub.getCategoryCreatedEvents(r).get(0).category.longValueExact();

        Match m = MarketTestSupport.orders(f, 1);
        m = m.pool(WorkerpoolOrder.of(f.pool, Fixture.POOL_PRICE, 1, id, 0)).request(withCategory(m.request(), id));
        DealRecord deal = MarketTestSupport.matchAsRequester(f, m);

        assertThat(deal.deal().categoryTime()).isEqualTo(big(42));
        assertThat(deal.terms().category()).isEqualTo(big(id));
        assertThat(deal.deal().deadline()).isEqualTo(deal.deal().startTime().longValueExact() + 10 * 42);
    }

    @Test
    void othersCannotCreateCategories() {
        BigInteger before = count();
        for (GridClient c : new GridClient[] {f.requester, f.scheduler}) {
            assertRevert(() -> c.hub().createCategory("mine", "not allowed", big(60)).send(),
                    "OwnableUnauthorizedAccount", "account " + a(c.address()) + " is not the owner");
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aCategoryNeedsAPositiveTime() {
        BigInteger before = count();
        assertRevert(() -> f.owner.hub().createCategory("zero", "no time", BigInteger.ZERO).send(),
                "ZeroCategoryTime", "a category's reference time must be positive");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void unknownCategoriesAreRefused() {
        assertRevert(() -> f.owner.hub().categoryOf(big(999)).send(), "UnknownCategory",
                "category 999 does not exist");
        BigInteger huge = MarketTestSupport.MAX_UINT;
        assertRevert(() -> f.owner.hub().categoryOf(huge).send(), "UnknownCategory",
                "category " + huge + " does not exist");
    }

    @Test
    void matchingInAnUnknownCategoryIsRefused() {
        Match m = MarketTestSupport.orders(f, 1);
        Match unknown = m.pool(WorkerpoolOrder.of(f.pool, Fixture.POOL_PRICE, 1, 999, 0))
                .request(withCategory(m.request(), 999));
        var before = f.requester.balance();
        assertRevert(() -> MarketTestSupport.matchAsRequester(f, unknown), "UnknownCategory",
                "category 999 does not exist");
        assertThat(f.requester.balance()).isEqualTo(before);
    }
}
