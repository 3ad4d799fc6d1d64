package io.gridchain.sms.release;

import io.gridchain.api.sms.SmsApi;
import java.util.Optional;

/** The policy "allowlisted worker": the worker must be on the deal's pool's on-chain allowlist. */
public final class AllowlistedWorkers implements ExecutionVerifier {
    @Override
    public Optional<String> refuse(SmsApi.Release request, DealFacts facts, boolean required) {
        if (!required || facts.workerAllowlisted()) return Optional.empty();
        return Optional.of("worker " + request.worker() + " is not on the allowlist of pool " + facts.workerpool()
                + (facts.poolAllowlistOnly() ? ", which declares it runs only allowlisted workers"
                        : ", and the owner's policy requires allowlisted workers")
                + ": the pool owner adds it with `gridchain pool allow`");
    }
}
