package io.gridchain.sms.release;

import io.gridchain.api.sms.SmsApi;
import java.util.Optional;

/**
 * Decides whether the execution asking for secrets is one its owner trusts, beyond what the chain already proves
 * (the deal, the task and the scheduler's authorization). Without a trusted execution environment the only evidence is
 * who the worker is: {@link AllowlistedWorkers}. A TEE attestation verifier plugs in here: it would check a quote
 * binding the worker's ephemeral key to a measured enclave running the deal's app, and refuse otherwise.
 */
public interface ExecutionVerifier {
    /**
     * The reason to refuse, in one line, or empty to release.
     *
     * @param required whether the owner's policy (or the pool's own declaration) asks for this verifier's evidence
     */
    Optional<String> refuse(SmsApi.Release request, DealFacts facts, boolean required);
}
