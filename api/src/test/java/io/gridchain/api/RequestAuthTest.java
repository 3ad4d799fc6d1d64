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

    @Test
    void aSignedRequestVerifiesToItsWorker() throws Exception {
        Map<String, String> h = new RequestAuth.Signer(WORKER).headers("POST", WorkerApi.CLAIM, BODY);
        RequestAuth.Verified v = RequestAuth.verify("POST", WorkerApi.CLAIM, BODY, h, now(h), w -> -1);
        assertThat(v.worker()).isEqualTo(WORKER.getAddress().toLowerCase());
        assertThat(v.nonce()).isEqualTo(Long.parseLong(h.get(RequestAuth.NONCE)));
    }

    @Test
    void aReplayedNonceIsRefused() throws Exception {
        Map<String, String> h = new RequestAuth.Signer(WORKER).headers("POST", WorkerApi.CLAIM, BODY);
        long nonce = Long.parseLong(h.get(RequestAuth.NONCE));
        assertThatThrownBy(() -> RequestAuth.verify("POST", WorkerApi.CLAIM, BODY, h, now(h), w -> nonce))
                .isInstanceOf(RequestAuth.Refused.class).hasMessageStartingWith("replayed request");
    }

    @Test
    void anAlteredBodyPathOrForgedSignerIsRefused() {
        Map<String, String> h = new RequestAuth.Signer(WORKER).headers("POST", WorkerApi.CLAIM, BODY);
        byte[] altered = "{\"max\":9}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RequestAuth.verify("POST", WorkerApi.CLAIM, altered, h, now(h), w -> -1))
                .hasMessageStartingWith("the request is not signed by worker");
        assertThatThrownBy(() -> RequestAuth.verify("POST", WorkerApi.REVEAL, BODY, h, now(h), w -> -1))
                .hasMessageStartingWith("the request is not signed by worker");
        Map<String, String> forged = new HashMap<>(new RequestAuth.Signer(OTHER).headers("POST", WorkerApi.CLAIM, BODY));
        forged.put(RequestAuth.WORKER, WORKER.getAddress());
        assertThatThrownBy(() -> RequestAuth.verify("POST", WorkerApi.CLAIM, BODY, forged, now(h), w -> -1))
                .hasMessage("the request is not signed by worker " + WORKER.getAddress().toLowerCase());
    }

    @Test
    void staleOrUnsignedRequestsAreRefused() {
        Map<String, String> h = new RequestAuth.Signer(WORKER).headers("POST", WorkerApi.CLAIM, BODY);
        assertThatThrownBy(() -> RequestAuth.verify("POST", WorkerApi.CLAIM, BODY, h, now(h) + 120_000, w -> -1))
                .hasMessageEndingWith("synchronise the worker's clock");
        assertThatThrownBy(() -> RequestAuth.verify("POST", WorkerApi.CLAIM, BODY, Map.of(), 0, w -> -1))
                .hasMessage("missing header X-Gridchain-Worker: sign every request");
    }

    private static long now(Map<String, String> h) {
        return Long.parseLong(h.get(RequestAuth.TIMESTAMP));
    }
}
