package io.gridchain.api.sms;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The secret management service's HTTP API, as wire records (JSON via Jackson). Every request that changes or reads
 * something private is a {@link Signed} payload: its signer is who the service checks against the chain (the owner of
 * a dataset or an app, a requester, or a worker), and its {@code sms}, {@code issuedAt} and {@code nonce} fields bind
 * it to one service, a few minutes and one use. docs/CONFIDENTIALITY.md describes what each party learns.
 */
public final class SmsApi {
    /** GET: the service's {@link Info}. */
    public static final String INFO = "/v1/sms";
    /** POST a signed {@link Push}: store a secret. */
    public static final String SECRETS = "/v1/secrets";
    /** POST a signed {@link PolicyPush}: set who a dataset's key or an owner's secrets may go to. */
    public static final String POLICIES = "/v1/policies";
    /** POST a signed {@link Release}: a worker asks for the secrets of one task. */
    public static final String RELEASE = "/v1/release";
    /** POST a signed {@link LogQuery}: an owner reads every release and refusal of its secrets. */
    public static final String LOG = "/v1/log";

    /** How long a signed request stays valid, in seconds; the service remembers nonces that long. */
    public static final long REQUEST_LIFETIME_SECONDS = 300;
    /** The name under which a dataset's key is pushed. */
    public static final String DATASET_KEY = "key";
    /** Secret names: what an environment variable's name allows, upper case, at most 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    /** The most bytes one secret may hold (before sealing). */
    public static final int MAX_SECRET_BYTES = 4_096;
    /** The environment variable prefix under which the app reads its requester's secrets. */
    public static final String REQUESTER_ENV = "GRIDCHAIN_SECRET_";
    /** The environment variable prefix under which the app reads its developer's secrets. */
    public static final String APP_ENV = "GRIDCHAIN_APP_SECRET_";

    /** Whose secret: a dataset's key (subject: the dataset), an app's secrets (the app), a requester's (itself). */
    public enum Kind { DATASET, APP, REQUESTER }

    /** The service's identity: its signing address, the public key pushes are sealed to, and its chain. */
    public record Info(String address, String publicKey, long chainId, String hub) {}

    /** A request signed by {@code signer}'s key: {@code signature} is EIP-191 over the bytes of {@code payload}. */
    public record Signed(String payload, String signature) {}

    /** A secret, sealed to the service's public key ({@code ResultEncryption}) so that no relay reads it. */
    public record Push(String sms, Kind kind, String subject, String name, String sealedValue, long issuedAt,
            String nonce) {}

    /**
     * Who may receive a subject's secrets beyond what the chain's orders already enforce: empty lists allow anyone,
     * and {@code allowlistedWorkersOnly} asks for workers on the deal's pool's on-chain allowlist.
     */
    public record Policy(List<String> pools, List<String> apps, List<String> requesters,
            boolean allowlistedWorkersOnly) {
        public Policy {
            pools = pools == null ? List.of() : List.copyOf(pools);
            apps = apps == null ? List.of() : List.copyOf(apps);
            requesters = requesters == null ? List.of() : List.copyOf(requesters);
        }

        public static final Policy OPEN = new Policy(List.of(), List.of(), List.of(), false);
    }

    public record PolicyPush(String sms, Kind kind, String subject, Policy policy, long issuedAt, String nonce) {}

    /**
     * A worker asks for what task {@code taskIndex} of {@code dealId} needs: the key of {@code dataset}, the secrets
     * of {@code app}, and the named secrets of {@code requester} (each null when not asked for). The service checks
     * that the deal includes each one. {@code authorization} is the deal's scheduler's signature of
     * {@link Signatures#authorizationDigest}; the answer is sealed to {@code ephemeralKey}, a public key the worker
     * made for this run.
     */
    public record Release(String sms, String dealId, long taskIndex, String worker, String authorization,
            String ephemeralKey, String dataset, String app, String requester, List<String> requesterSecrets,
            long issuedAt, String nonce) {
        public Release {
            requesterSecrets = requesterSecrets == null ? List.of() : List.copyOf(requesterSecrets);
        }
    }

    /** The answer to a {@link Release}: {@link Secrets} in JSON, sealed to the request's ephemeral key. */
    public record Released(String sealed) {}

    /** What a release hands over: the dataset's key (hex, or null), the app's and the requester's secrets by name. */
    public record Secrets(String datasetKey, Map<String, String> app, Map<String, String> requester) {}

    /** An owner asks for its log from entry {@code after} on (0: from the start). */
    public record LogQuery(String sms, long after, long issuedAt, String nonce) {}

    /** One release or refusal, as its owner reads it. */
    public record LogEntry(long id, long time, String owner, Kind kind, String subject, String dealId,
            long taskIndex, String worker, boolean released, String reason) {}

    public record Log(List<LogEntry> entries) {}

    public record Ack(String result) {}

    /** Any error: one line saying what is wrong and what to do. */
    public record Error(String error) {}

    private SmsApi() {}
}
