package io.gridchain.explorer.index;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.GridHub;
import io.gridchain.contracts.GridHubExtension;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.explorer.index.HubEvent.Kind;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns the logs of the hub and its registries into {@link HubEvent}s: the explorer reads only the events it shows,
 * by their topic, and ignores every other log (including any a contract at another address could forge, since the
 * follower asks the node only for the protocol's own addresses).
 */
public final class HubEvents {
    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry(topic(GridHub.DEALCREATED_EVENT), Kind.DEAL_CREATED),
            Map.entry(topic(GridHub.BATCHFINALIZED_EVENT), Kind.BATCH_FINALIZED),
            Map.entry(topic(GridHub.TASKFINALIZED_EVENT), Kind.TASK_FINALIZED),
            Map.entry(topic(GridHub.TASKCLAIMED_EVENT), Kind.TASK_CLAIMED),
            Map.entry(topic(WorkerpoolRegistry.WORKERPOOLCREATED_EVENT), Kind.WORKERPOOL_CREATED),
            Map.entry(topic(AppRegistry.APPCREATED_EVENT), Kind.APP_CREATED),
            Map.entry(topic(DatasetRegistry.DATASETCREATED_EVENT), Kind.DATASET_CREATED),
            Map.entry(topic(GridHubExtension.TASKINITIALIZED_EVENT), Kind.TASK_INITIALIZED),
            Map.entry(topic(GridHubExtension.TASKCONTRIBUTED_EVENT), Kind.TASK_CONTRIBUTED),
            Map.entry(topic(GridHubExtension.TASKREVEALED_EVENT), Kind.TASK_REVEALED),
            Map.entry(topic(GridHub.CALLBACKDELIVERED_EVENT), Kind.CALLBACK_DELIVERED),
            Map.entry(topic(GridHub.WORKERSETTLED_EVENT), Kind.WORKER_SETTLED),
            Map.entry(topic(GridHub.BONDED_EVENT), Kind.BONDED),
            Map.entry(topic(WorkerpoolRegistry.WORKERALLOWLISTED_EVENT), Kind.WORKER_ALLOWLISTED));

    private HubEvents() {}

    /** The topics the follower asks the node for. */
    public static List<String> topics() {
        return List.copyOf(KINDS.keySet());
    }

    private static String topic(Event e) {
        return EventEncoder.encode(e).toLowerCase(Locale.ROOT);
    }

    /** The event of {@code log}, or null for a log the explorer does not keep. */
    public static HubEvent of(Log log) {
        if (log.getTopics() == null || log.getTopics().isEmpty()) return null;
        Kind kind = KINDS.get(log.getTopics().get(0).toLowerCase(Locale.ROOT));
        if (kind == null) return null;
        long block = log.getBlockNumber().longValueExact();
        int index = log.getLogIndex().intValueExact();
        String tx = log.getTransactionHash();
        List<String> t = log.getTopics();
        return switch (kind) {
            case DEAL_CREATED -> created(dealOf(log), log);
            case BATCH_FINALIZED -> new HubEvent(block, index, tx, kind, t.get(1), null, null,
                    GridHub.getBatchFinalizedEventFromLog(log).tasks.longValueExact());
            case TASK_FINALIZED -> new HubEvent(block, index, tx, kind, t.get(1), null, null, 1);
            case TASK_CLAIMED -> new HubEvent(block, index, tx, kind, t.get(1), null, t.get(2), 1);
            case WORKERPOOL_CREATED, APP_CREATED, DATASET_CREATED -> new HubEvent(block, index, tx, kind,
                    address(t.get(1)), address(t.get(2)), null, 0);
            case TASK_CONTRIBUTED, TASK_REVEALED -> new HubEvent(block, index, tx, kind, t.get(1), address(t.get(2)),
                    null, 0);
            case TASK_INITIALIZED -> new HubEvent(block, index, tx, kind, t.get(1), null, t.get(2),
                    GridHubExtension.getTaskInitializedEventFromLog(log).index.longValueExact());
            case CALLBACK_DELIVERED -> new HubEvent(block, index, tx, kind, t.get(1), address(t.get(2)), null,
                    GridHub.getCallbackDeliveredEventFromLog(log).success ? 1 : 0);
            case WORKER_SETTLED -> new HubEvent(block, index, tx, kind, t.get(1), address(t.get(2)), null,
                    saturated(GridHub.getWorkerSettledEventFromLog(log).reward));
            case BONDED -> new HubEvent(block, index, tx, kind, address(t.get(1)), address(t.get(2)), null,
                    saturated(GridHub.getBondedEventFromLog(log).amount));
            case WORKER_ALLOWLISTED -> new HubEvent(block, index, tx, kind, address(t.get(1)), address(t.get(2)),
                    null, WorkerpoolRegistry.getWorkerAllowlistedEventFromLog(log).allowed ? 1 : 0);
        };
    }

    /** The terms of a {@code DealCreated} log, null for any other log (decoded only for that one). */
    public static DealRow dealOf(Log log) {
        if (log.getTopics() == null || log.getTopics().isEmpty()
                || KINDS.get(log.getTopics().get(0).toLowerCase(Locale.ROOT)) != Kind.DEAL_CREATED) {
            return null;
        }
        DealRecord d = GridClient.dealOf(GridHub.getDealCreatedEventFromLog(log));
        return new DealRow(d.dealId().toLowerCase(Locale.ROOT), log.getBlockNumber().longValueExact(),
                Words.canonical(d.deal().requester()), Words.canonical(d.terms().workerpool()),
                Words.canonical(d.terms().app()), Words.canonical(d.terms().dataset()), saturated(d.deal().appPrice()),
                saturated(d.deal().datasetPrice()), saturated(d.deal().workerpoolPrice()),
                d.deal().volume().longValueExact(), saturated(d.deal().trust()));
    }

    /** The {@code DealCreated} event of {@code log}, from its terms already decoded. */
    public static HubEvent created(DealRow d, Log log) {
        return new HubEvent(d.block(), log.getLogIndex().intValueExact(), log.getTransactionHash(), Kind.DEAL_CREATED,
                d.dealId(), d.requester(), d.workerpool(), d.volume());
    }

    /** Token amounts are uint256; the explorer's figures are longs, and an amount past that range is shown as its max. */
    public static long saturated(BigInteger v) {
        return v.bitLength() < 64 ? v.longValue() : Long.MAX_VALUE;
    }

    private static String address(String topic) {
        return Words.canonical("0x" + topic.substring(topic.length() - 40));
    }
}
