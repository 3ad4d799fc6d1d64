package io.gridchain.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * Gets a confidential replicate's secrets from the services its deal names: one signed request per service, carrying
 * the scheduler's authorization and a public key made for this run only, whose private half never leaves this
 * process. The services check everything against the chain; this class only asks and opens the answers.
 */
final class SecretsFetch {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the replicate received: the dataset's key (null if none) and the environment the app gets. */
    record Received(byte[] datasetKey, Map<String, String> env) {
        static final Received NONE = new Received(null, Map.of());
    }

    private final SmsClient sms;
    private final Credentials key;

    SecretsFetch(SmsClient sms, Credentials key) {
        this.sms = sms;
        this.key = key;
    }

    /**
     * The replicate's secrets from every service its deal names.
     *
     * @param datasetKey whether to ask for the dataset's key (only when an input is sealed)
     */
    Received fetch(WorkerApi.Assignment a, boolean datasetKey) throws FetchFailure {
        WorkerApi.Confidential c = a.confidential();
        if (c == null || c.sources().isEmpty()) return Received.NONE;
        ECKeyPair ephemeral;
        try {
            ephemeral = Keys.createEcKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String publicKey = Numeric.toHexStringWithPrefixZeroPadded(ephemeral.getPublicKey(), 128);
        byte[] datasetKeyBytes = null;
        Map<String, String> env = new LinkedHashMap<>();
        for (WorkerApi.SecretSource source : c.sources()) {
            String dataset = datasetKey ? source.dataset() : null;
            if (dataset == null && source.app() == null && source.requester() == null) continue; // nothing to ask
            SmsApi.Secrets s;
            try {
                SmsApi.Released released;
                try {
                    released = ask(source, dataset, a, publicKey);
                } catch (SmsClient.SmsException e) {
                    // a service that lost its key and made another refuses requests for its old one: ask it again
                    if (e.status() != 400 || !e.getMessage().startsWith("this request is signed for service")) throw e;
                    sms.forget(source.sms());
                    released = ask(source, dataset, a, publicKey);
                }
                s = JSON.readValue(ResultEncryption.open(Numeric.hexStringToByteArray(released.sealed()),
                        ephemeral.getPrivateKey()), SmsApi.Secrets.class);
            } catch (SmsClient.SmsException e) {
                throw new FetchFailure(FetchFailure.Cause.SECRETS_REFUSED, "the secret service at " + source.sms()
                        + (e.status() == 0 ? " is unreachable: " : " refused: ") + e.getMessage());
            } catch (IOException | RuntimeException e) {
                throw new FetchFailure(FetchFailure.Cause.SECRETS_REFUSED, "the secret service at " + source.sms()
                        + " answered something this worker cannot open: " + e.getMessage());
            }
            if (s.datasetKey() != null) datasetKeyBytes = Numeric.hexStringToByteArray(s.datasetKey());
            if (s.app() != null) s.app().forEach((name, value) -> env.put(SmsApi.APP_ENV + name, value));
            if (s.requester() != null) s.requester().forEach((name, value) -> env.put(SmsApi.REQUESTER_ENV + name, value));
        }
        return new Received(datasetKeyBytes, env);
    }

    private SmsApi.Released ask(WorkerApi.SecretSource source, String dataset, WorkerApi.Assignment a,
            String publicKey) {
        SmsApi.Info info = sms.info(source.sms());
        SmsApi.Release release = new SmsApi.Release(info.address(), a.dealId(), a.taskIndex(), key.getAddress(),
                a.authorization(), publicKey, dataset, source.app(), source.requester(), source.requesterSecrets(),
                System.currentTimeMillis() / 1000, Signatures.nonce());
        return sms.post(source.sms(), SmsApi.RELEASE, release, key, SmsApi.Released.class);
    }
}
