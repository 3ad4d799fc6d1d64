package io.gridchain.sms;

import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.BoundState;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.sms.http.SmsHttpApi;
import io.gridchain.sms.release.AllowlistedWorkers;
import io.gridchain.sms.release.ChainFacts;
import io.gridchain.sms.release.ReleaseRules;
import io.gridchain.sms.store.SecretStore;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.web3j.crypto.Credentials;

/**
 * A running secret management service: its key and store in {@code dataDir} ({@code sms.key}, {@code sms.db}), the
 * chain it checks against, and its HTTP API. Restarted on the same directory, it keeps every secret and log entry.
 */
public final class SmsServer implements AutoCloseable {
    private final SecretStore store;
    private final SmsService service;
    private final SmsHttpApi http;

    private SmsServer(SecretStore store, SmsService service, SmsHttpApi http) {
        this.store = store;
        this.service = service;
        this.http = http;
    }

    /** Starts the service; {@code tls} null serves plain HTTP. */
    public static SmsServer start(Protocol protocol, Path dataDir, String host, int port, SSLContext tls) {
        Credentials identity = Identity.loadOrCreate(dataDir.resolve("sms.key"));
        SecretStore store = SecretStore.open(dataDir.resolve("sms.db"));
        try {
            // secrets are never discarded: another chain's store is refused, with what to do
            BoundState.ensure(store, ChainBinding.read(protocol.chain(), protocol.addresses().hub()), false,
                    "the secret store in " + dataDir, protocol.chain().rpcUrl(),
                    "start with another --data directory for this chain");
            SmsService service = new SmsService(store, identity, new ChainFacts(protocol.as(identity)),
                    new ReleaseRules(new AllowlistedWorkers()), () -> System.currentTimeMillis() / 1000);
            return new SmsServer(store, service, new SmsHttpApi(service, host, port, tls));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public SmsService service() {
        return service;
    }

    @Override
    public void close() {
        http.close();
        store.close();
    }
}
