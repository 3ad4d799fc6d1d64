package io.gridchain.scheduler.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.RequestAuth;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.scheduler.api.HttpLimits;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * A worker registered with two schedulers (two pools on one chain). An attacker who captured its request to
 * scheduler A, valid signature and all, sends it to scheduler B: refused, because the signed message names A's
 * pool; and rewriting the pool header breaks the signature.
 */
class ReplayToAnotherSchedulerAttackTest {
    static LocalProtocol net;
    static AttackedScheduler a;
    static AttackedScheduler b;
    static Credentials worker;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        net = LocalProtocol.start();
        a = AttackedScheduler.start(net, 3, HttpLimits.DEFAULT, dir.resolve("a"));
        b = AttackedScheduler.start(net, 4, HttpLimits.DEFAULT, dir.resolve("b"));
        worker = net.accounts().get(5);
        assertThat(a.register(worker).statusCode()).isEqualTo(200);
        assertThat(b.register(worker).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (net != null) net.close();
    }

    @Test
    void aRequestCapturedOnItsWayToOneSchedulerIsRefusedByAnother() throws Exception {
        assertThat(a.scope().workerpool()).isNotEqualTo(b.scope().workerpool());
        byte[] body = "{\"max\":4}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> captured = new RequestAuth.Signer(worker, a.scope()).headers("POST", WorkerApi.CLAIM, body);

        HttpResponse<String> replayed = b.send("POST", WorkerApi.CLAIM, captured, body);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("signed for workerpool " + a.scope().workerpool())
                .contains("it was meant for another scheduler").doesNotContain("\n");

        Map<String, String> renamed = new HashMap<>(captured);
        renamed.put(RequestAuth.POOL, b.scope().workerpool());
        HttpResponse<String> rewritten = b.send("POST", WorkerApi.CLAIM, renamed, body);
        assertThat(rewritten.statusCode()).isEqualTo(401);
        assertThat(rewritten.body()).contains("not signed by worker");

        // the captured request is genuine: the scheduler it was meant for takes it
        assertThat(a.send("POST", WorkerApi.CLAIM, captured, body).statusCode()).isEqualTo(200);
    }

    @Test
    void aRegistrationCapturedOnItsWayToOneSchedulerIsRefusedByAnother() throws Exception {
        byte[] body = "{\"slots\":1,\"agent\":\"test\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> captured = new RequestAuth.Signer(net.accounts().get(7), a.scope())
                .headers("POST", WorkerApi.REGISTER, body);
        HttpResponse<String> replayed = b.send("POST", WorkerApi.REGISTER, captured, body);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(b.service.replay().registered(net.accounts().get(7).getAddress().toLowerCase())).isFalse();
    }

    @Test
    void eachSchedulerPublishesTheScopeItsWorkersSignFor() throws Exception {
        HttpResponse<String> pool = a.send("GET", WorkerApi.POOL, Map.of(), new byte[0]);
        assertThat(pool.statusCode()).isEqualTo(200);
        assertThat(pool.body()).contains(a.scope().workerpool()).contains(Long.toString(a.scope().chainId()));
    }
}
