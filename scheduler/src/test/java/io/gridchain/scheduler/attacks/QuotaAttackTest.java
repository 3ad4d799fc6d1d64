package io.gridchain.scheduler.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.scheduler.api.HttpLimits;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * Floods run the way an attacker would, each against a fresh scheduler: Sybil keys registering from one IP, one key
 * registering in a loop, sessions opened by many workers, a replay window filled with nonces, and unregistered keys
 * trying to make the scheduler store something. Each bound holds, with a one-line 429 (or 403), and an honest worker
 * registered before the flood is still served.
 */
class QuotaAttackTest {
    private static final HttpLimits LIMITS = HttpLimits.DEFAULT.withRegistrations(4, 3).withMaxSessions(2);

    static LocalProtocol net;
    static Credentials honest;
    static Credentials attacker;
    @TempDir
    Path dir;
    AttackedScheduler scheduler;

    @BeforeAll
    static void chain() {
        net = LocalProtocol.start();
        honest = net.accounts().get(5);
        attacker = net.accounts().get(6);
    }

    @AfterAll
    static void stopChain() {
        if (net != null) net.close();
    }

    @BeforeEach
    void start() throws Exception {
        scheduler = AttackedScheduler.start(net, 3, LIMITS, dir);
        assertThat(scheduler.register(honest).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void anHonestWorkerIsStillServed() throws Exception {
        var beat = scheduler.post(honest, WorkerApi.HEARTBEAT, "{\"running\":[]}");
        assertThat(beat.statusCode()).as(beat.body()).isEqualTo(200);
        scheduler.close();
    }

    private static List<Credentials> freshKeys(int n) throws Exception {
        List<Credentials> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) keys.add(Credentials.create(Keys.createEcKeyPair()));
        return keys;
    }

    private static void assertOneLine429(HttpResponse<String> r, String fragment) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.body()).contains(fragment).doesNotContain("\n");
    }

    @Test
    void sybilKeysRegisteringFromOneIpStopAtTheQuota() throws Exception {
        int registered = 0;
        List<Credentials> sybils = freshKeys(40);
        for (Credentials k : sybils) {
            HttpResponse<String> r = scheduler.register(k);
            if (r.statusCode() == 200) registered++;
            else assertOneLine429(r, "too many new workers registered from");
        }
        // the honest worker took one of the IP's four new registrations
        assertThat(registered).isEqualTo(LIMITS.newWorkersPerIp() - 1);
        long known = sybils.stream().filter(k -> scheduler.service.replay().registered(address(k))).count();
        assertThat(known).isEqualTo(registered);
        assertThat(scheduler.service.replay().windows()).isLessThanOrEqualTo(LIMITS.newWorkersPerIp());
    }

    @Test
    void oneKeyRegisteringInALoopIsCutOff() throws Exception {
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = scheduler.register(attacker);
            if (r.statusCode() == 200) ok++;
            else assertOneLine429(r, "registered too often");
        }
        assertThat(ok).isEqualTo(LIMITS.registrationsPerWorker());
    }

    @Test
    void sessionsStopAtTheirCap() throws Exception {
        int opened = 0;
        for (Credentials k : freshKeys(3)) {
            String json = "{\"slots\":1,\"agent\":\"test\",\"sessionKey\":\"" + new RequestAuth.Handshake().publicKey()
                    + "\"}";
            HttpResponse<String> r = scheduler.post(k, WorkerApi.REGISTER, json);
            if (r.statusCode() == 200) opened++;
            else assertOneLine429(r, "the scheduler holds its most sessions");
        }
        assertThat(opened).isEqualTo(LIMITS.maxSessions());
    }

    @Test
    void aFloodOfNoncesLeavesTheReplayWindowBoundedAndStillRefusesCopies() throws Exception {
        assertThat(scheduler.register(attacker).statusCode()).isEqualTo(200);
        RequestAuth.Signer signer = new RequestAuth.Signer(attacker, scheduler.scope());
        byte[] body = "{\"running\":[]}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> first = signer.headers("POST", WorkerApi.HEARTBEAT, body);
        assertThat(scheduler.send("POST", WorkerApi.HEARTBEAT, first, body).statusCode()).isEqualTo(200);
        for (int i = 0; i < RequestAuth.MAX_WINDOW_ENTRIES + 200; i++) {
            var r = scheduler.send("POST", WorkerApi.HEARTBEAT, signer.headers("POST", WorkerApi.HEARTBEAT, body), body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(scheduler.service.replay().windowSize(address(attacker)))
                .isLessThanOrEqualTo(RequestAuth.MAX_WINDOW_ENTRIES);
        HttpResponse<String> replay = scheduler.send("POST", WorkerApi.HEARTBEAT, first, body);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("replayed or stale request");
    }

    @Test
    void unregisteredKeysCannotMakeTheSchedulerStoreAnything() throws Exception {
        int windows = scheduler.service.replay().windows();
        for (Credentials k : freshKeys(20)) {
            assertThat(scheduler.post(k, WorkerApi.HEARTBEAT, "{\"running\":[]}").statusCode()).isEqualTo(403);
            assertThat(scheduler.post(k, WorkerApi.CLAIM, "{\"max\":8}").statusCode()).isEqualTo(403);
            byte[] result = new byte[4096];
            String path = WorkerApi.RESULTS + "0x" + "cd".repeat(32);
            HttpResponse<String> put = scheduler.send("PUT", path,
                    new RequestAuth.Signer(k, scheduler.scope()).headers("PUT", path, result), result);
            assertThat(put.statusCode()).isEqualTo(403);
            assertThat(scheduler.service.replay().registered(address(k))).isFalse();
        }
        assertThat(scheduler.service.replay().windows()).isEqualTo(windows);
        try (Stream<Path> stored = Files.list(scheduler.results)) {
            assertThat(stored).isEmpty();
        }
    }

    private static String address(Credentials k) {
        return k.getAddress().toLowerCase();
    }
}
