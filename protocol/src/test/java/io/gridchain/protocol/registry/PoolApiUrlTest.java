package io.gridchain.protocol.registry;

import static io.gridchain.protocol.market.MarketTestSupport.a;
import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.randomAddress;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.FixtureTest;
import io.gridchain.protocol.TxResult;
import org.junit.jupiter.api.Test;

/** A pool's owner publishes its scheduler's API URL on-chain; nobody else can, and the URL stays a URL's size. */
class PoolApiUrlTest extends FixtureTest {

    @Test
    void theOwnerPublishesTheUrlWhichAnyoneReadsAndAnEventAnnounces() {
        String pool = f.scheduler.createWorkerpool("api pool");
        assertThat(f.requester.poolApiUrl(pool)).isEmpty();

        TxResult r = f.scheduler.setPoolApiUrl(pool, "http://203.0.113.7:8082");

        assertThat(WorkerpoolRegistry.getWorkerpoolApiUrlSetEvents(r.receipt())).singleElement().satisfies(e -> {
            assertThat(a(e.pool)).isEqualTo(a(pool));
            assertThat(e.url).isEqualTo("http://203.0.113.7:8082");
        });
        assertThat(f.requester.poolApiUrl(pool)).contains("http://203.0.113.7:8082");
        f.scheduler.setPoolApiUrl(pool, "");
        assertThat(f.requester.poolApiUrl(pool)).isEmpty();
    }

    @Test
    void anotherAccountCannotRedirectThePoolsClients() {
        String pool = f.scheduler.createWorkerpool("hijacked pool");
        f.scheduler.setPoolApiUrl(pool, "http://203.0.113.7:8082");

        // an attacker pointing the pool's requesters and workers at its own server is refused
        assertRevert(() -> f.requester.setPoolApiUrl(pool, "http://198.51.100.66:8082"), "NotPoolOwner",
                "only the owner of workerpool " + a(pool) + " may change it, not " + a(f.requester.address()));
        String unknown = randomAddress();
        assertRevert(() -> f.requester.setPoolApiUrl(unknown, "http://198.51.100.66:8082"), "NotPoolOwner",
                "only the owner of workerpool " + a(unknown) + " may change it, not " + a(f.requester.address()));

        assertThat(f.requester.poolApiUrl(pool)).contains("http://203.0.113.7:8082");
    }

    @Test
    void aUrlLongerThan256BytesIsRefused() {
        String pool = f.scheduler.createWorkerpool("long url pool");
        String longest = "http://h/" + "a".repeat(256 - 9);
        f.scheduler.setPoolApiUrl(pool, longest);
        assertThat(f.requester.poolApiUrl(pool)).contains(longest);

        assertRevert(() -> f.scheduler.setPoolApiUrl(pool, longest + "a"), "ApiUrlTooLong",
                "the API URL is 257 bytes long: at most 256 are accepted");
        assertThat(f.requester.poolApiUrl(pool)).contains(longest);
    }
}
