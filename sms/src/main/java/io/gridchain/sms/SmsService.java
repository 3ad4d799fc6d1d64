package io.gridchain.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import io.gridchain.protocol.abi.Words;
import io.gridchain.sms.release.ChainFacts;
import io.gridchain.sms.release.DealFacts;
import io.gridchain.sms.release.ReleaseRules;
import io.gridchain.sms.store.SecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * The secret management service: owners push secrets and policies, workers ask for a task's secrets, owners read
 * their log. Each request is a signed payload checked here (signer, service, time, single use), then against the
 * chain ({@link ChainFacts}) and the owners' policies ({@link ReleaseRules}). Values never appear in clear outside
 * this process: they arrive sealed to the service's key and leave sealed to the worker's ephemeral key.
 */
public final class SmsService {
    private static final Logger log = LoggerFactory.getLogger(SmsService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most log entries one query returns. */
    static final int LOG_PAGE = 1_000;

    /** A request refused: the HTTP status and one line saying what is wrong and what to do. */
    public static final class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final SecretStore store;
    private final Credentials identity;
    private final ChainFacts chain;
    private final ReleaseRules rules;
    private final LongSupplier clock;

    /** @param clock unix seconds, the clock requests' {@code issuedAt} is checked against */
    public SmsService(SecretStore store, Credentials identity, ChainFacts chain, ReleaseRules rules,
            LongSupplier clock) {
        this.store = store;
        this.identity = identity;
        this.chain = chain;
        this.rules = rules;
        this.clock = clock;
    }

    public SmsApi.Info info() {
        return new SmsApi.Info(address(), Identity.publicKey(identity), chain.chainId(), chain.hub());
    }

    private String address() {
        return identity.getAddress().toLowerCase();
    }

    /** Stores a secret its owner pushed. */
    public SmsApi.Ack push(SmsApi.Signed signed) {
        Envelope<SmsApi.Push> e = open(signed, SmsApi.Push.class);
        SmsApi.Push p = e.body();
        check(p.sms(), p.issuedAt());
        if (p.kind() == null || p.subject() == null || p.name() == null || p.sealedValue() == null) {
            throw new Refused(400, "a push names a kind, a subject, a name and a sealed value");
        }
        String subject = address(p.subject(), "subject");
        if (p.kind() == Kind.DATASET ? !p.name().equals(SmsApi.DATASET_KEY) : !SmsApi.NAME.matcher(p.name()).matches()) {
            throw new Refused(400, p.kind() == Kind.DATASET ? "a dataset's secret is its key, named '"
                    + SmsApi.DATASET_KEY + "'" : "secret name '" + p.name() + "' is not upper case letters, digits"
                    + " and _ (at most 64, starting with a letter): it becomes an environment variable's name");
        }
        byte[] value = openValue(p.sealedValue());
        if (value.length > SmsApi.MAX_SECRET_BYTES) {
            throw new Refused(413, "a secret holds at most " + SmsApi.MAX_SECRET_BYTES + " bytes, this one "
                    + value.length);
        }
        requireOwner(e.signer(), p.kind(), subject);
        useNonce(p.nonce(), p.issuedAt());
        store.putSecret(p.kind(), subject, p.name(), e.signer(), p.sealedValue(), clock.getAsLong());
        log.info("{} pushed {} secret {} of {}", e.signer(), p.kind(), p.name(), subject);
        return new SmsApi.Ack("stored " + p.kind().name().toLowerCase() + " secret " + p.name() + " of " + subject);
    }

    /** Sets the policy of a subject its owner pushed. */
    public SmsApi.Ack policy(SmsApi.Signed signed) {
        Envelope<SmsApi.PolicyPush> e = open(signed, SmsApi.PolicyPush.class);
        SmsApi.PolicyPush p = e.body();
        check(p.sms(), p.issuedAt());
        if (p.kind() == null || p.subject() == null || p.policy() == null) {
            throw new Refused(400, "a policy names a kind, a subject and the policy");
        }
        String subject = address(p.subject(), "subject");
        SmsApi.Policy policy = new SmsApi.Policy(addresses(p.policy().pools(), "pool"),
                addresses(p.policy().apps(), "app"), addresses(p.policy().requesters(), "requester"),
                p.policy().allowlistedWorkersOnly());
        requireOwner(e.signer(), p.kind(), subject);
        useNonce(p.nonce(), p.issuedAt());
        store.putPolicy(p.kind(), subject, e.signer(), policy);
        return new SmsApi.Ack("policy of " + p.kind().name().toLowerCase() + " " + subject + " set");
    }

    /** Releases a task's secrets to the worker that runs it, or refuses in one line; both are logged for the owners. */
    public SmsApi.Released release(SmsApi.Signed signed) {
        Envelope<SmsApi.Release> e = open(signed, SmsApi.Release.class);
        SmsApi.Release r = e.body();
        if (r.worker() == null || !e.signer().equalsIgnoreCase(r.worker())) {
            throw new Refused(401, "the release request is signed by " + e.signer() + ", not by the worker it names ("
                    + r.worker() + ")");
        }
        if (r.dealId() == null || r.ephemeralKey() == null || !ResultEncryption.validKey(r.ephemeralKey())) {
            throw new Refused(400, "a release request names a deal and an ephemeral secp256k1 public key to seal to");
        }
        List<ReleaseRules.Subject> subjects = subjects(r);
        if (subjects.isEmpty()) throw new Refused(400, "the release request asks for no dataset, app or requester");
        String refusal = null;
        try {
            check(r.sms(), r.issuedAt());
            useNonce(r.nonce(), r.issuedAt());
        } catch (Refused replayOrStale) {
            refusal = replayOrStale.getMessage();
        }
        Optional<DealFacts> facts = refusal == null ? chain.of(r) : Optional.empty();
        if (refusal == null) refusal = rules.refusal(r, facts, subjects).orElse(null);
        SmsApi.Secrets secrets = null;
        if (refusal == null) {
            try {
                secrets = collect(r);
            } catch (Refused missing) {
                refusal = missing.getMessage();
            }
        }
        long now = clock.getAsLong();
        for (ReleaseRules.Subject s : subjects) {
            String owner = chain.ownerOf(s.kind(), s.address()).orElse(s.address());
            store.log(new SmsApi.LogEntry(0, now, owner, s.kind(), s.address(), r.dealId(), r.taskIndex(),
                    r.worker(), refusal == null, refusal));
        }
        if (refusal != null) {
            log.info("refused worker {} task {} of deal {}: {}", r.worker(), r.taskIndex(), r.dealId(), refusal);
            throw new Refused(403, refusal);
        }
        log.info("released to worker {} the secrets of task {} of deal {}", r.worker(), r.taskIndex(), r.dealId());
        try {
            byte[] json = JSON.writeValueAsBytes(secrets);
            return new SmsApi.Released(Numeric.toHexString(ResultEncryption.seal(json, r.ephemeralKey())));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The signer's log entries (as the owner of what was asked for). */
    public SmsApi.Log log(SmsApi.Signed signed) {
        Envelope<SmsApi.LogQuery> e = open(signed, SmsApi.LogQuery.class);
        check(e.body().sms(), e.body().issuedAt());
        useNonce(e.body().nonce(), e.body().issuedAt());
        return new SmsApi.Log(store.log(e.signer(), Math.max(0, e.body().after()), LOG_PAGE));
    }

    private SmsApi.Secrets collect(SmsApi.Release r) {
        String datasetKey = null;
        if (r.dataset() != null) {
            SecretStore.Stored key = store.secret(Kind.DATASET, r.dataset(), SmsApi.DATASET_KEY).orElseThrow(() ->
                    new Refused(403, "no key for dataset " + r.dataset() + " at this service: its owner pushes it"
                            + " with `gridchain sms push-key " + r.dataset() + "`"));
            datasetKey = new String(openValue(key.sealed()), StandardCharsets.UTF_8);
        }
        Map<String, String> app = new LinkedHashMap<>();
        if (r.app() != null) {
            store.secrets(Kind.APP, r.app()).forEach((name, s) -> app.put(name, text(s)));
        }
        Map<String, String> requester = new LinkedHashMap<>();
        for (String name : r.requesterSecrets()) {
            SecretStore.Stored s = store.secret(Kind.REQUESTER, r.requester(), name).orElseThrow(() ->
                    new Refused(403, "requester " + r.requester() + " has no secret " + name + " at this service: "
                            + "it pushes it with `gridchain sms push-secret " + name + "`"));
            requester.put(name, text(s));
        }
        return new SmsApi.Secrets(datasetKey, app, requester);
    }

    private List<ReleaseRules.Subject> subjects(SmsApi.Release r) {
        List<ReleaseRules.Subject> out = new ArrayList<>();
        if (r.dataset() != null) out.add(subject(Kind.DATASET, r.dataset()));
        if (r.app() != null) out.add(subject(Kind.APP, r.app()));
        if (r.requester() != null) {
            for (String name : r.requesterSecrets()) {
                if (name == null || !SmsApi.NAME.matcher(name).matches()) {
                    throw new Refused(400, "secret name '" + name + "' is not a valid name");
                }
            }
            out.add(subject(Kind.REQUESTER, r.requester()));
        }
        return out;
    }

    private ReleaseRules.Subject subject(Kind kind, String address) {
        String a = address(address, kind.name().toLowerCase());
        return new ReleaseRules.Subject(kind, a, store.policy(kind, a));
    }

    private String text(SecretStore.Stored s) {
        return new String(openValue(s.sealed()), StandardCharsets.UTF_8);
    }

    private record Envelope<T>(String signer, T body) {}

    private <T> Envelope<T> open(SmsApi.Signed signed, Class<T> type) {
        String signer = io.gridchain.api.sms.Signatures.signer(signed).orElseThrow(() ->
                new Refused(401, "the request's signature is missing or malformed: sign the payload with your key"));
        try {
            return new Envelope<>(signer, JSON.readValue(signed.payload(), type));
        } catch (IOException ex) {
            throw new Refused(400, "malformed request payload: " + String.valueOf(ex.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** The request is for this service and fresh. */
    private void check(String sms, long issuedAt) {
        if (sms == null || !sms.equalsIgnoreCase(address())) {
            throw new Refused(400, "this request is signed for service " + sms + ", not for this one (" + address()
                    + "): sign it again for this service");
        }
        long now = clock.getAsLong();
        if (Math.abs(now - issuedAt) > SmsApi.REQUEST_LIFETIME_SECONDS) {
            throw new Refused(400, "the request was issued at " + issuedAt + ", more than "
                    + SmsApi.REQUEST_LIFETIME_SECONDS + " s from this service's clock (" + now
                    + "): sign a fresh one, and check the clock");
        }
    }

    private void useNonce(String nonce, long issuedAt) {
        if (nonce == null || nonce.length() < 16 || nonce.length() > 100) {
            throw new Refused(400, "a request carries a random nonce of 16 to 100 characters");
        }
        if (!store.useNonce(nonce, issuedAt + SmsApi.REQUEST_LIFETIME_SECONDS, clock.getAsLong())) {
            throw new Refused(409, "this request (nonce " + nonce + ") was already answered: a replayed request is"
                    + " refused; sign a fresh one");
        }
    }

    private void requireOwner(String signer, Kind kind, String subject) {
        Optional<String> owner = chain.ownerOf(kind, subject);
        if (owner.isEmpty()) throw new Refused(404, "no " + kind.name().toLowerCase() + " " + subject + " on this chain");
        if (!owner.get().equalsIgnoreCase(signer)) {
            throw new Refused(403, signer + " is not the owner of " + kind.name().toLowerCase() + " " + subject
                    + " (" + owner.get() + " is): only an owner pushes its secrets and policies");
        }
    }

    private byte[] openValue(String sealedHex) {
        try {
            return ResultEncryption.open(Numeric.hexStringToByteArray(sealedHex),
                    identity.getEcKeyPair().getPrivateKey());
        } catch (RuntimeException e) {
            throw new Refused(400, "the secret is not sealed to this service's key (" + Identity.publicKey(identity)
                    + "): seal it to the key GET " + SmsApi.INFO + " gives");
        }
    }

    private static String address(String value, String what) {
        try {
            return Words.canonical(value);
        } catch (RuntimeException e) {
            throw new Refused(400, what + " " + value + " is not an address");
        }
    }

    private static List<String> addresses(List<String> values, String what) {
        return values.stream().map(v -> address(v, what)).toList();
    }
}
