package io.gridchain.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

class RequestAuthTest {
    static final Credentials WORKER =
            Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final Credentials OTHER =
            Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    static final byte[] BODY = "{\"max\":2}".getBytes(StandardCharsets.UTF_8);
    static final RequestAuth.Scope SCOPE = new RequestAuth.Scope("0x" + "a".repeat(40), 31337);
    static final RequestAuth.Scope OTHER_POOL = new RequestAuth.Scope("0x" + "b".repeat(40), 31337);

    @Test
    void aSignedRequestVerifiesToItsWorker() throws Exception {
        Map<String, String> h = new RequestAuth.Signer(WORKER, SCOPE).headers("POST", WorkerApi.CLAIM, BODY);
        RequestAuth.Verified v = RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, h, now(h), w -> -1);
        assertThat(v.worker()).isEqualTo(WORKER.getAddress().toLowerCase());
        assertThat(v.nonce()).isEqualTo(Long.parseLong(h.get(RequestAuth.NONCE)));
    }

    @Test
    void aReplayedNonceIsRefused() throws Exception {
        Map<String, String> h = new RequestAuth.Signer(WORKER, SCOPE).headers("POST", WorkerApi.CLAIM, BODY);
        long nonce = Long.parseLong(h.get(RequestAuth.NONCE));
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, h, now(h), w -> nonce))
                .isInstanceOf(RequestAuth.Refused.class).hasMessageStartingWith("replayed or stale request");
    }

    @Test
    void anAlteredBodyPathOrForgedSignerIsRefused() {
        Map<String, String> h = new RequestAuth.Signer(WORKER, SCOPE).headers("POST", WorkerApi.CLAIM, BODY);
        byte[] altered = "{\"max\":9}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, altered, h, now(h), w -> -1))
                .hasMessageStartingWith("the body does not hash to the signed X-Gridchain-Body");
        Map<String, String> rehashed = new HashMap<>(h);
        rehashed.put(RequestAuth.BODY, RequestAuth.sha256(altered));
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, altered, rehashed, now(h), w -> -1))
                .hasMessageStartingWith("the request is not signed by worker");
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.REVEAL, BODY, h, now(h), w -> -1))
                .hasMessageStartingWith("the request is not signed by worker");
        Map<String, String> forged = new HashMap<>(new RequestAuth.Signer(OTHER, SCOPE).headers("POST", WorkerApi.CLAIM, BODY));
        forged.put(RequestAuth.WORKER, WORKER.getAddress());
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, forged, now(h), w -> -1))
                .hasMessage("the request is not signed by worker " + WORKER.getAddress().toLowerCase());
    }

    @Test
    void staleOrUnsignedRequestsAreRefused() {
        Map<String, String> h = new RequestAuth.Signer(WORKER, SCOPE).headers("POST", WorkerApi.CLAIM, BODY);
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, h, now(h) + 120_000, w -> -1))
                .hasMessageEndingWith("synchronise the worker's clock");
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, Map.of(), 0, w -> -1))
                .hasMessage("missing header X-Gridchain-Worker: sign every request");
    }

    @Test
    void aSessionRequestVerifiesToItsWorkerWithoutTheKey() throws Exception {
        RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 100);
        RequestAuth.Session session = open(sessions, WORKER);
        Map<String, String> h = session.headers("POST", WorkerApi.CLAIM, BODY);
        assertThat(h).containsKeys(RequestAuth.SESSION, RequestAuth.MAC).doesNotContainKey(RequestAuth.SIGNATURE);
        assertThat(RequestAuth.isSession(h)).isTrue();
        RequestAuth.Verified v = sessions.verify("POST", WorkerApi.CLAIM, BODY, h, now(h));
        assertThat(v.worker()).isEqualTo(WORKER.getAddress().toLowerCase());
        Map<String, String> next = session.headers("POST", WorkerApi.CLAIM, BODY);
        assertThat(sessions.verify("POST", WorkerApi.CLAIM, BODY, next, now(next)).nonce()).isGreaterThan(v.nonce());
    }

    @Test
    void aSessionRequestReplayedAlteredOrStaleIsRefused() throws Exception {
        RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 100);
        RequestAuth.Session session = open(sessions, WORKER);
        Map<String, String> h = session.headers("POST", WorkerApi.CLAIM, BODY);
        byte[] altered = "{\"max\":9}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, altered, h, now(h)))
                .hasMessageStartingWith("the body does not hash to the signed X-Gridchain-Body");
        Map<String, String> rehashed = new HashMap<>(h);
        rehashed.put(RequestAuth.BODY, RequestAuth.sha256(altered));
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, altered, rehashed, now(h)))
                .hasMessage("the request MAC does not verify under session " + session.id()
                        + ": the request was forged or altered");
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.REVEAL, BODY, h, now(h)))
                .hasMessageStartingWith("the request MAC does not verify");
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, h, now(h) + 120_000))
                .hasMessageEndingWith("synchronise the worker's clock");
        // the altered body was refused after its headers verified: their nonce is spent
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, h, now(h)))
                .hasMessageStartingWith("replayed request");
        Map<String, String> next = session.headers("POST", WorkerApi.CLAIM, BODY);
        sessions.verify("POST", WorkerApi.CLAIM, BODY, next, now(next));
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, next, now(next)))
                .hasMessageStartingWith("replayed request");
        Map<String, String> noMac = new HashMap<>(session.headers("POST", WorkerApi.CLAIM, BODY));
        noMac.remove(RequestAuth.MAC);
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, noMac, now(h)))
                .hasMessage("missing header X-Gridchain-Mac: sign every request");
    }

    @Test
    void anotherWorkersSessionOrAnUnknownOneIsRefused() throws Exception {
        RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 100);
        RequestAuth.Session mine = open(sessions, WORKER);
        RequestAuth.Session theirs = open(sessions, OTHER);
        // OTHER claims to be WORKER with its own session
        Map<String, String> forged = new HashMap<>(theirs.headers("POST", WorkerApi.CLAIM, BODY));
        forged.put(RequestAuth.WORKER, WORKER.getAddress());
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, forged, now(forged)))
                .hasMessage("session " + theirs.id() + " is not worker " + WORKER.getAddress().toLowerCase() + "'s");
        // OTHER uses WORKER's session id without its key
        Map<String, String> stolen = new HashMap<>(theirs.headers("POST", WorkerApi.CLAIM, BODY));
        stolen.put(RequestAuth.SESSION, mine.id());
        stolen.remove(RequestAuth.WORKER);
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, stolen, now(stolen)))
                .hasMessageStartingWith("the request MAC does not verify under session " + mine.id());
        Map<String, String> unknown = new HashMap<>(mine.headers("POST", WorkerApi.CLAIM, BODY));
        unknown.put(RequestAuth.SESSION, "00".repeat(16));
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, unknown, now(unknown)))
                .hasMessageContaining("unknown session").hasMessageEndingWith("register again");
        // registering again replaces the session: the old one is gone
        RequestAuth.Session again = open(sessions, WORKER);
        Map<String, String> old = mine.headers("POST", WorkerApi.CLAIM, BODY);
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, old, now(old)))
                .hasMessageContaining("unknown session");
        Map<String, String> fresh = again.headers("POST", WorkerApi.CLAIM, BODY);
        assertThat(sessions.verify("POST", WorkerApi.CLAIM, BODY, fresh, now(fresh)).worker())
                .isEqualTo(WORKER.getAddress().toLowerCase());
        assertThat(sessions.size()).isEqualTo(2);
    }

    @Test
    void aHandshakeNeedsARealPublicKey() {
        RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 100);
        assertThatThrownBy(() -> sessions.open(WORKER.getAddress(), "0x02" + "00".repeat(32)))
                .isInstanceOf(RequestAuth.Refused.class).hasMessageStartingWith("the session key is not");
        assertThatThrownBy(() -> sessions.open(WORKER.getAddress(), "hello"))
                .isInstanceOf(RequestAuth.Refused.class);
    }

    @Test
    void aReplayWindowTakesLateRequestsOnceAndRefusesCopiesAndOldOnes() {
        RequestAuth.ReplayWindow window = new RequestAuth.ReplayWindow(10, 100);
        assertThat(window.accept(100)).as("at the floor").isFalse();
        assertThat(window.accept(105)).isTrue();
        assertThat(window.accept(103)).as("late, but within the window").isTrue();
        assertThat(window.accept(103)).as("a copy").isFalse();
        assertThat(window.accept(120)).isTrue();
        assertThat(window.floor()).isEqualTo(110);
        assertThat(window.accept(109)).as("older than the window").isFalse();
        assertThat(window.accept(111)).isTrue();
        assertThat(window.accept(111)).isFalse();
    }

    @Test
    void sessionRequestsArrivingOutOfOrderAreAllTakenOnce() throws Exception {
        RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 100);
        RequestAuth.Session session = open(sessions, WORKER);
        Map<String, String> first = session.headers("POST", WorkerApi.CLAIM, BODY);
        Map<String, String> second = session.headers("POST", WorkerApi.CLAIM, BODY);
        sessions.verify("POST", WorkerApi.CLAIM, BODY, second, now(second));
        sessions.verify("POST", WorkerApi.CLAIM, BODY, first, now(first));
        assertThatThrownBy(() -> sessions.verify("POST", WorkerApi.CLAIM, BODY, first, now(first)))
                .isInstanceOf(RequestAuth.Refused.class).hasMessageStartingWith("replayed request");
    }

    /** The handshake as registration runs it: the worker's ephemeral key out, the scheduler's back. */
    private static RequestAuth.Session open(RequestAuth.Sessions sessions, Credentials worker) throws Exception {
        RequestAuth.Handshake hs = new RequestAuth.Handshake();
        assertThat(hs.publicKey()).hasSize(2 + 66);
        RequestAuth.Sessions.Opened opened = sessions.open(worker.getAddress(), hs.publicKey());
        return hs.complete(SCOPE, worker.getAddress(), opened.sessionId(), opened.publicKey());
    }

    private static long now(Map<String, String> h) {
        return Long.parseLong(h.get(RequestAuth.TIMESTAMP));
    }

    @Test
    void aRequestSignedForAnotherPoolOrChainIsRefusedByItsScope() throws Exception {
        Map<String, String> h = new RequestAuth.Signer(WORKER, OTHER_POOL).headers("POST", WorkerApi.CLAIM, BODY);
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, h, now(h), w -> -1))
                .hasMessageContaining("signed for workerpool " + OTHER_POOL.workerpool())
                .hasMessageEndingWith("it was meant for another scheduler");
        // rewriting the headers to name this pool breaks the signature, which covers the pool
        Map<String, String> renamed = new HashMap<>(h);
        renamed.put(RequestAuth.POOL, SCOPE.workerpool());
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, renamed, now(h), w -> -1))
                .hasMessageStartingWith("the request is not signed by worker");
        Map<String, String> otherChain = new RequestAuth.Signer(WORKER, new RequestAuth.Scope(SCOPE.workerpool(), 1))
                .headers("POST", WorkerApi.CLAIM, BODY);
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, BODY, otherChain, now(h), w -> -1))
                .hasMessageContaining("on chain 1, but this scheduler serves");
    }

    @Test
    void theHeadersAloneAuthenticateARequestBeforeItsBodyIsRead() throws Exception {
        Map<String, String> h = new RequestAuth.Signer(WORKER, SCOPE).headers("POST", WorkerApi.CLAIM, BODY);
        RequestAuth.Verified v = RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, h, now(h), w -> -1);
        assertThat(v.bodyHash()).isEqualTo(RequestAuth.sha256(BODY));
        v.checkBody(BODY);
        Map<String, String> badSignature = new HashMap<>(h);
        badSignature.put(RequestAuth.SIGNATURE, "0x" + "11".repeat(65));
        assertThatThrownBy(() -> RequestAuth.verify(SCOPE, "POST", WorkerApi.CLAIM, badSignature, now(h), w -> -1))
                .isInstanceOf(RequestAuth.Refused.class);
    }

    @Test
    void aReplayWindowFloodedWithNoncesStaysBoundedAndStillRefusesCopies() {
        RequestAuth.ReplayWindow window = new RequestAuth.ReplayWindow(1_000_000, 0, 100);
        for (long n = 1; n <= 10_000; n++) assertThat(window.accept(n)).isTrue();
        assertThat(window.size()).isEqualTo(100);
        for (long n = 1; n <= 10_000; n++) assertThat(window.accept(n)).as("copy of %d", n).isFalse();
    }

    @Test
    void sessionsStopAtTheirCapButAWorkerMayStillReplaceItsOwn() throws Exception {
        RequestAuth.Sessions sessions = new RequestAuth.Sessions(SCOPE, 1);
        open(sessions, WORKER);
        assertThatThrownBy(() -> open(sessions, OTHER)).hasMessageStartingWith("the scheduler holds its most sessions");
        open(sessions, WORKER);
        assertThat(sessions.size()).isEqualTo(1);
    }
}
