package io.gridchain.scheduler.model;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.api.WorkerApi.Confidential;
import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.protocol.deal.DealRecord;
import java.util.List;

/**
 * A deal the scheduler drives: the on-chain record and what workers need to run its tasks.
 *
 * @param deadline the deal's final deadline, unix seconds of chain time
 * @param wallTimeMillis the wall time each replicate gets (the category's reference time)
 * @param confidential the secret services its workers ask and the key results are sealed to; null for a deal with
 *     nothing confidential (and for deals stored before confidential deals existed)
 * @param sweep how its tasks differ (a parameter sweep); null for a bag of identical tasks
 */
public record DealView(String dealId, DealRecord record, AppSpec app, List<InputSpec> inputs, List<String> args,
        long deadline, long wallTimeMillis, Confidential confidential, io.gridchain.api.WorkerApi.SweepSpec sweep) {
    public DealView(String dealId, DealRecord record, AppSpec app, List<InputSpec> inputs, List<String> args,
            long deadline, long wallTimeMillis) {
        this(dealId, record, app, inputs, args, deadline, wallTimeMillis, null, null);
    }

    /** Whether its workers need the scheduler's authorization to get secrets. */
    public boolean needsAuthorization() {
        return confidential != null && !confidential.sources().isEmpty();
    }

    public long volume() {
        return record.deal().volume().longValueExact();
    }

    public long trust() {
        return record.deal().trust().longValueExact();
    }
}
