package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.Delivery;
import io.gridchain.api.sms.Signatures;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.results.FileResultStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** Only the deal's requester names its target, for this chain, recently, over exactly the body it signed. */
class DeliveryRequestsTest {
    static final long CHAIN = 31337;
    static final long NOW = 1_700_000_000;
    static final String DEAL = "0x" + "aa".repeat(32);
    static final Credentials REQUESTER = Credentials.create("0x" + "01".repeat(32));
    static final Credentials STRANGER = Credentials.create("0x" + "02".repeat(32));
    static final ObjectMapper JSON = new ObjectMapper();

    /** A resolver as the attacker's DNS answers: every name public, but "intranet" on the pool's LAN. */
    static final Destinations PUBLIC_ONLY = new Destinations(false, host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByName(host.equals("intranet") ? "10.0.0.5" : host.equals("localhost")
                    || host.matches("[0-9.:a-f]+") ? host : "93.184.216.34")});

    final DeliveryRequests requests = new DeliveryRequests(CHAIN,
            deal -> deal.equals(DEAL) ? Optional.of(REQUESTER.getAddress()) : Optional.empty(), PUBLIC_ONLY);

    static byte[] body(String url) throws Exception {
        return JSON.writeValueAsBytes(Delivery.Target.http(url));
    }

    static String sign(Credentials key, long chain, String deal, long time, byte[] body) {
        return Numeric.toHexString(Signatures.signBytes(Delivery.message(chain, deal, time,
                FileResultStore.sha256(body)), key));
    }

    @Test
    void theRequestersSignedRequestIsTaken() throws Exception {
        byte[] body = body("https://h/{task}");
        DeliveryRequests.Checked c = requests.check(DEAL, Long.toString(NOW - 10),
                sign(REQUESTER, CHAIN, DEAL, NOW - 10, body), body, NOW);
        assertThat(c.requester()).isEqualTo(REQUESTER.getAddress().toLowerCase());
        assertThat(c.target()).isEqualTo(new HttpPutTarget("https://h/{task}"));
    }

    @Test
    void anotherAccountIsRefusedWith403() throws Exception {
        byte[] body = body("https://evil/{task}");
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(STRANGER, CHAIN, DEAL, NOW, body), body, NOW),
                403, "is for its requester " + REQUESTER.getAddress().toLowerCase() + " to name, not for "
                        + STRANGER.getAddress().toLowerCase());
    }

    @Test
    void aTamperedBodyIsRefused() throws Exception {
        byte[] signed = body("https://h/{task}");
        byte[] sent = body("https://evil/{task}");
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, CHAIN, DEAL, NOW, signed), sent,
                NOW), 403, "not for ");
    }

    @Test
    void aSignatureForAnotherChainOrDealIsRefused() throws Exception {
        byte[] body = body("https://h/{task}");
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, 1, DEAL, NOW, body), body, NOW),
                403, "not for ");
        String other = "0x" + "bb".repeat(32);
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, CHAIN, other, NOW, body), body,
                NOW), 403, "not for ");
    }

    @Test
    void aStaleOrMissingTimestampOrSignatureIsRefusedWith401() throws Exception {
        byte[] body = body("https://h/{task}");
        long stale = NOW - 301;
        assertRefused(() -> requests.check(DEAL, Long.toString(stale), sign(REQUESTER, CHAIN, DEAL, stale, body), body,
                NOW), 401, "too far from this scheduler's clock");
        assertRefused(() -> requests.check(DEAL, null, "0x00", body, NOW), 401, "missing X-Gridchain-Time");
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), "0x1234", body, NOW), 401, "malformed");
    }

    @Test
    void anUnknownDealIs404AndABadTargetIs400() throws Exception {
        String other = "0x" + "bb".repeat(32);
        byte[] body = body("https://h/{task}");
        assertRefused(() -> requests.check(other, Long.toString(NOW), sign(REQUESTER, CHAIN, other, NOW, body), body,
                NOW), 404, "unknown to this scheduler");
        byte[] bad = body("https://h/same-for-all");
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, CHAIN, DEAL, NOW, bad), bad, NOW),
                400, "bad delivery target: the delivery URL must hold {task}");
        byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, CHAIN, DEAL, NOW, notJson),
                notJson, NOW), 400, "not the expected JSON");
    }

    @Test
    void aRequesterCannotMakeThePoolSendRequestsIntoItsOwnNetwork() throws Exception {
        for (String url : new String[] {"http://127.0.0.1:8082/admin/{task}", "http://169.254.169.254/latest/{task}",
                "http://intranet/{task}", "http://[::1]:9000/{task}", "http://192.168.1.1/{task}"}) {
            byte[] body = body(url);
            assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, CHAIN, DEAL, NOW, body), body,
                    NOW), 400, "is a private address");
        }
        byte[] s3 = JSON.writeValueAsBytes(Delivery.Target.s3("results", "p", "http://localhost:9000", "us-east-1", "k",
                "s"));
        assertRefused(() -> requests.check(DEAL, Long.toString(NOW), sign(REQUESTER, CHAIN, DEAL, NOW, s3), s3, NOW),
                400, "the delivery host localhost is a private address");
    }

    static void assertRefused(Runnable call, int status, String why) {
        assertThatThrownBy(call::run).isInstanceOf(Rejected.class).hasMessageContaining(why)
                .satisfies(e -> {
                    assertThat(((Rejected) e).status()).isEqualTo(status);
                    assertThat(e.getMessage()).doesNotContain("\n");
                });
    }
}
