package io.gridchain.e2e.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import io.gridchain.api.sms.SmsClient;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.sms.SmsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * Attacks on a secret management service, each as its attacker would run it against a real service on a real chain:
 * a worker of another pool, a worker off the allowlist, a task of another deal, a deal past its deadline, a forged
 * authorization, a replayed request, an app or a requester the owner did not allow, a push by a stranger. Every one
 * must fail with one line naming the failed condition, and land in the owner's log. A pool without workers keeps the
 * deals' tasks active; the test signs what the pool's scheduler would (its key is account 3's).
 */
class SecretServiceAttackTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] DATASET_KEY = HexFormat.of().parseHex("11".repeat(32));

    static LocalPool pool;
    static SmsServer sms;
    static String smsUrl;
    static SmsClient client = new SmsClient(null);
    static Credentials ownerKey;
    static Credentials requesterKey;
    static Credentials schedulerKey;
    static Credentials allowlisted;
    static Credentials unlisted;
    static String app;
    static String otherApp;
    static String dataset;
    static DealRecord deal;

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(0);
        Path dir = Files.createTempDirectory("sms-attacks");
        sms = SmsServer.start(pool.net().protocol(), dir, "127.0.0.1", 0, null);
        smsUrl = "http://127.0.0.1:" + sms.port();
        ownerKey = pool.net().accounts().get(2);
        requesterKey = pool.net().accounts().get(4);
        schedulerKey = pool.net().accounts().get(3);
        allowlisted = pool.net().accounts().get(5);
        unlisted = pool.net().accounts().get(6);
        GridClient owner = pool.net().client(2);
        app = pool.publish("salestats");
        otherApp = pool.publish("wordfreq");
        dataset = Words.canonical(owner.createDataset("ledger", "file:///ledger.csv.gcds", "0x" + "ab".repeat(32)));
        owner.setSmsUrl(smsUrl);
        pool.requester().setSmsUrl(smsUrl);
        push(ownerKey, Kind.DATASET, dataset, SmsApi.DATASET_KEY, HexFormat.of().formatHex(DATASET_KEY));
        push(requesterKey, Kind.REQUESTER, requesterKey.getAddress(), "API_KEY", "sk-live-1234");
        client.post(smsUrl, SmsApi.POLICIES, new SmsApi.PolicyPush(info().address(), Kind.DATASET, dataset,
                new SmsApi.Policy(List.of(pool.workerpool()), List.of(app), List.of(requesterKey.getAddress()), true),
                now(), Signatures.nonce()), ownerKey, SmsApi.Ack.class);
        pool.schedulerOwner().setWorkerAllowed(pool.workerpool(), allowlisted.getAddress(), true);
        deal = deal(pool.requester(), app, 0);
    }

    @AfterAll
    static void stop() {
        if (sms != null) sms.close();
        if (pool != null) pool.close();
    }

    @Test
    void theDealsAllowlistedWorkerSentByItsSchedulerGetsTheKeyAndTheSecret() throws Exception {
        ECKeyPair ephemeral = Keys.createEcKeyPair();
        SmsApi.Released released = client.post(smsUrl, SmsApi.RELEASE, release(allowlisted, deal, 0,
                authorize(deal, 0, allowlisted, schedulerKey), ephemeral), allowlisted, SmsApi.Released.class);
        SmsApi.Secrets secrets = JSON.readValue(ResultEncryption.open(Numeric.hexStringToByteArray(released.sealed()),
                ephemeral.getPrivateKey()), SmsApi.Secrets.class);
        assertThat(secrets.datasetKey()).isEqualTo(HexFormat.of().formatHex(DATASET_KEY));
        assertThat(secrets.requester()).containsEntry("API_KEY", "sk-live-1234");
        assertThatThrownBy(() -> ResultEncryption.open(Numeric.hexStringToByteArray(released.sealed()),
                allowlisted.getEcKeyPair().getPrivateKey())).as("sealed to the run's key, not the worker's")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWorkerOfAnotherPoolIsRefused() {
        // The attacker runs pool B; its scheduler (account 0) signs for its own worker a task of the victim's deal.
        GridClient attacker = pool.net().client(0);
        attacker.createWorkerpool("pool B");
        Credentials poolB = pool.net().accounts().get(0);
        Credentials worker = pool.net().accounts().get(7);
        pool.schedulerOwner().setWorkerAllowed(pool.workerpool(), worker.getAddress(), false);
        refused(worker, deal, 0, authorize(deal, 0, worker, poolB), "is not signed by "
                + schedulerKey.getAddress() + ", the scheduler of the deal's pool " + pool.workerpool());
    }

    @Test
    void aWorkerNotOnThePoolsAllowlistIsRefused() {
        refused(unlisted, deal, 0, authorize(deal, 0, unlisted, schedulerKey), "worker " + unlisted.getAddress()
                + " is not on the allowlist of pool " + pool.workerpool());
    }

    @Test
    void aTaskOfAnotherDealIsRefusedTheDatasetKey() {
        DealRecord other = pool.request(app, "", 1, 1); // the same requester and app, no dataset
        refused(allowlisted, other, 0, authorize(other, 0, allowlisted, schedulerKey), "deal " + other.dealId()
                + " does not include dataset " + dataset);
    }

    @Test
    void aDealPastItsDeadlineIsRefused() {
        long shortCategory = pool.category("confidential-short", 2);
        DealRecord late = deal(pool.requester(), app, shortCategory);
        pool.net().advanceTime(30); // ten category times: the deal's final deadline
        refused(allowlisted, late, 0, authorize(late, 0, allowlisted, schedulerKey), "deal " + late.dealId()
                + " is past its deadline");
    }

    @Test
    void aForgedSchedulerAuthorizationIsRefused() {
        refused(allowlisted, deal, 1, authorize(deal, 1, allowlisted, allowlisted), "is not signed by "
                + schedulerKey.getAddress() + ", the scheduler of the deal's pool");
        refused(allowlisted, deal, 1, "0x" + "00".repeat(65), "(it is malformed)");
        // the scheduler's authorization of another worker does not carry over
        refused(allowlisted, deal, 1, authorize(deal, 1, unlisted, schedulerKey), "is not signed by");
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        ECKeyPair ephemeral = Keys.createEcKeyPair();
        SmsApi.Release r = release(allowlisted, deal, 1, authorize(deal, 1, allowlisted, schedulerKey), ephemeral);
        String payload = JSON.writeValueAsString(r);
        SmsApi.Signed signed = Signatures.sign(payload, allowlisted);
        assertThat(post(signed).statusCode()).isEqualTo(200);
        var replay = post(signed);
        assertThat(replay.statusCode()).isEqualTo(403);
        assertOneLine(replay.body(), "was already answered: a replayed request is refused");
    }

    @Test
    void aRequesterSecretTheDealDoesNotNameIsRefused() throws Exception {
        push(requesterKey, Kind.REQUESTER, requesterKey.getAddress(), "DB_PASSWORD", "hunter2");
        SmsApi.Release r = new SmsApi.Release(info().address(), deal.dealId(), 0, allowlisted.getAddress(),
                authorize(deal, 0, allowlisted, schedulerKey), Numeric.toHexStringWithPrefixZeroPadded(
                        Keys.createEcKeyPair().getPublicKey(), 128), null, null, requesterKey.getAddress(),
                List.of("API_KEY", "DB_PASSWORD"), now(), Signatures.nonce());
        var answer = post(Signatures.sign(JSON.writeValueAsString(r), allowlisted));
        assertThat(answer.statusCode()).isEqualTo(403);
        assertOneLine(answer.body(), "deal " + deal.dealId() + " does not name its requester's secret DB_PASSWORD");
    }

    @Test
    void anAppTheOwnerDidNotAllowIsRefused() {
        DealRecord wrongApp = deal(pool.requester(), otherApp, 0);
        refused(allowlisted, wrongApp, 0, authorize(wrongApp, 0, allowlisted, schedulerKey),
                "the owner of dataset " + dataset + " does not allow app " + otherApp);
    }

    @Test
    void aRequesterTheOwnerDidNotAllowIsRefused() {
        GridClient stranger = pool.net().client(8);
        stranger.deposit(java.math.BigInteger.TEN.pow(6));
        DealRecord theirs = deal(stranger, app, 0);
        refused(allowlisted, theirs, 0, authorize(theirs, 0, allowlisted, schedulerKey),
                "the owner of dataset " + dataset + " does not allow requester " + stranger.address().toLowerCase());
    }

    @Test
    void aSecretPushedBySomeoneWhoIsNotItsOwnerIsRefusedAndChangesNothing() throws Exception {
        Credentials stranger = pool.net().accounts().get(9);
        assertThatThrownBy(() -> push(stranger, Kind.DATASET, dataset, SmsApi.DATASET_KEY, "22".repeat(32)))
                .isInstanceOf(SmsClient.SmsException.class).hasMessage(stranger.getAddress() + " is not the owner of"
                        + " dataset " + dataset + " (" + ownerKey.getAddress() + " is): only an owner pushes its"
                        + " secrets and policies");
        assertThatThrownBy(() -> push(stranger, Kind.REQUESTER, requesterKey.getAddress(), "API_KEY", "mine"))
                .isInstanceOf(SmsClient.SmsException.class).hasMessageContaining("is not the owner of requester");
        theDealsAllowlistedWorkerSentByItsSchedulerGetsTheKeyAndTheSecret();
    }

    @Test
    void aRequestSignedByAnotherKeyThanTheWorkersIsRefused() throws Exception {
        SmsApi.Release r = release(allowlisted, deal, 0, authorize(deal, 0, allowlisted, schedulerKey),
                Keys.createEcKeyPair());
        var answer = post(Signatures.sign(JSON.writeValueAsString(r), unlisted));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertOneLine(answer.body(), "is signed by " + unlisted.getAddress() + ", not by the worker it names");
    }

    @Test
    void theOwnerReadsItsReleasesAndRefusalsAndNobodyElseDoes() {
        refused(unlisted, deal, 0, authorize(deal, 0, unlisted, schedulerKey), "is not on the allowlist");
        SmsApi.Log log = client.post(smsUrl, SmsApi.LOG, new SmsApi.LogQuery(info().address(), 0, now(),
                Signatures.nonce()), ownerKey, SmsApi.Log.class);
        assertThat(log.entries()).anySatisfy(e -> {
            assertThat(e.released()).isFalse();
            assertThat(e.subject()).isEqualTo(dataset);
            assertThat(e.worker()).isEqualTo(unlisted.getAddress().toLowerCase());
            assertThat(e.reason()).contains("is not on the allowlist");
        });
        assertThat(log.entries()).allSatisfy(e -> assertThat(e.owner()).isEqualTo(ownerKey.getAddress().toLowerCase()));
        SmsApi.Log strangers = client.post(smsUrl, SmsApi.LOG, new SmsApi.LogQuery(info().address(), 0, now(),
                Signatures.nonce()), pool.net().accounts().get(9), SmsApi.Log.class);
        assertThat(strangers.entries()).isEmpty();
    }

    @Test
    void aWorkerOffTheAllowlistCannotJoinAPoolThatRunsOnlyAllowlistedWorkers() {
        pool.schedulerOwner().setAllowlistOnly(pool.workerpool(), true);
        try {
            var intruder = new io.gridchain.worker.SchedulerClient(pool.schedulerUrl(), unlisted);
            assertThatThrownBy(() -> intruder.register(new io.gridchain.api.WorkerApi.RegisterRequest(1, "intruder")))
                    .isInstanceOf(io.gridchain.worker.SchedulerException.class)
                    .hasMessageContaining("worker " + unlisted.getAddress().toLowerCase() + " is not on the allowlist of"
                            + " pool " + pool.workerpool() + ", which runs only allowlisted workers");
            var member = new io.gridchain.worker.SchedulerClient(pool.schedulerUrl(), allowlisted);
            assertThat(member.register(new io.gridchain.api.WorkerApi.RegisterRequest(1, "member")).workerpool())
                    .isEqualToIgnoringCase(pool.workerpool());
        } finally {
            pool.schedulerOwner().setAllowlistOnly(pool.workerpool(), false);
        }
    }

    // ---------------------------------------------------------------- what the attackers use

    /** A deal of {@code requester} on the dataset with {@code app}, its dataset order restricted to this pool. */
    static DealRecord deal(GridClient requester, String app, long category) {
        GridClient owner = pool.net().client(2);
        DatasetOrder datasetOrder = DatasetOrder.of(dataset, 3, 1_000).withRestrictions(Words.ZERO_ADDRESS,
                pool.workerpool(), Words.ZERO_ADDRESS);
        RequestOrder request = RequestOrder.of(requester.address(), app, LocalPool.APP_PRICE, LocalPool.POOL_PRICE, 2,
                category, 1).withDataset(dataset, 3).withParams("{\"secrets\": [\"API_KEY\"]}");
        AppOrder appOrder = pool.appOrder(app);
        WorkerpoolOrder poolOrder = pool.poolOrder(category);
        return requester.matchOrders(appOrder, datasetOrder, poolOrder, request, pool.appOwner().sign(appOrder),
                owner.sign(datasetOrder), pool.schedulerOwner().sign(poolOrder), new byte[0]);
    }

    static String authorize(DealRecord d, long index, Credentials worker, Credentials signer) {
        return Signatures.authorize(pool.net().chain().chainId(), pool.net().protocol().addresses().hub(),
                d.taskId(index), worker.getAddress(), signer);
    }

    static SmsApi.Release release(Credentials worker, DealRecord d, long index, String authorization, ECKeyPair eph) {
        return new SmsApi.Release(info().address(), d.dealId(), index, worker.getAddress(), authorization,
                Numeric.toHexStringWithPrefixZeroPadded(eph.getPublicKey(), 128), dataset, null,
                requesterKey.getAddress(), List.of("API_KEY"), now(), Signatures.nonce());
    }

    static void refused(Credentials worker, DealRecord d, long index, String authorization, String reason) {
        try {
            SmsApi.Release r = release(worker, d, index, authorization, Keys.createEcKeyPair());
            var answer = post(Signatures.sign(JSON.writeValueAsString(r), worker));
            assertThat(answer.statusCode()).as("refused").isEqualTo(403);
            assertOneLine(answer.body(), reason);
        } catch (java.io.IOException | java.security.GeneralSecurityException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void assertOneLine(byte[] body, String reason) throws java.io.IOException {
        String error = JSON.readTree(body).get("error").asText();
        assertThat(error).contains(reason).doesNotContain("\n").doesNotContain("Exception");
    }

    static java.net.http.HttpResponse<byte[]> post(SmsApi.Signed signed) throws java.io.IOException,
            InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(smsUrl + SmsApi.RELEASE)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(signed))).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    static void push(Credentials signer, Kind kind, String subject, String name, String value) {
        SmsApi.Info info = info();
        String sealed = Numeric.toHexString(ResultEncryption.seal(value.getBytes(StandardCharsets.UTF_8),
                info.publicKey()));
        client.post(smsUrl, SmsApi.SECRETS, new SmsApi.Push(info.address(), kind, subject, name, sealed, now(),
                Signatures.nonce()), signer, SmsApi.Ack.class);
    }

    static SmsApi.Info info() {
        return client.info(smsUrl);
    }

    static long now() {
        // the chain's clock, which tests move forward; the service checks requests against its own (real) clock
        return System.currentTimeMillis() / 1000;
    }
}
