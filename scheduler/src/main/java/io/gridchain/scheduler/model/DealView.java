package io.gridchain.scheduler.model;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.protocol.deal.DealRecord;
import java.util.List;

/**
 * A deal the scheduler drives: the on-chain record and what workers need to run its tasks.
 *
 * @param deadline the deal's final deadline, unix seconds of chain time
 * @param wallTimeMillis the wall time each replicate gets (the category's reference time)
 */
public record DealView(String dealId, DealRecord record, AppSpec app, List<InputSpec> inputs, List<String> args,
        long deadline, long wallTimeMillis) {
    public long volume() {
        return record.deal().volume().longValueExact();
    }

    public long trust() {
        return record.deal().trust().longValueExact();
    }
}
