package io.gridchain.bench.throughput;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * A deal's certified tasks counted from the hub's logs: two RPCs per poll however many tasks finished, where
 * reading each task's status costs one eth_call per task. A finalizeBatch emits one BatchFinalized with its
 * task count; a task finalized alone through the classic path emits only a TaskFinalized, which names the task
 * but not the deal, so without it the count would never reach the total and the bench would wait for its
 * timeout. (A callback deal's batch emits both; the bench's deals have no callback.)
 */
final class CertifiedLogs {
    private static final String BATCH_FINALIZED = EventEncoder.encode(GridHub.BATCHFINALIZED_EVENT);
    private static final String TASK_FINALIZED = EventEncoder.encode(GridHub.TASKFINALIZED_EVENT);

    private final Web3j web3j;
    private final String hub;
    private final String dealTopic;
    private final Set<String> taskTopics = new HashSet<>();
    private long nextBlock;
    private long count;

    CertifiedLogs(LocalPool pool, DealRecord deal) {
        web3j = pool.net().chain().web3j();
        hub = pool.net().protocol().addresses().hub();
        dealTopic = topic(deal.dealId());
        long volume = deal.deal().volume().longValueExact();
        for (long i = 0; i < volume; i++) taskTopics.add(topic(deal.taskId(i)));
        nextBlock = deal.blockNumber() + 1;
    }

    /** Adds the tasks certified in the blocks mined since the last poll; returns the total so far. */
    long poll() throws IOException {
        long latest = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
        if (latest < nextBlock) return count;
        // only the new blocks: anvil runs with --prune-history 256, so old ranges may be gone
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(nextBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(latest)), hub);
        filter.addOptionalTopics(BATCH_FINALIZED, TASK_FINALIZED);
        EthLog logs = web3j.ethGetLogs(filter).send();
        if (logs.hasError()) {
            throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
        }
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            Log log = (Log) result.get();
            List<String> topics = log.getTopics();
            String event = topics.get(0);
            String subject = topics.get(1).toLowerCase();
            if (event.equalsIgnoreCase(BATCH_FINALIZED) && subject.equals(dealTopic)) {
                count += GridHub.getBatchFinalizedEventFromLog(log).tasks.longValueExact();
            } else if (event.equalsIgnoreCase(TASK_FINALIZED) && taskTopics.contains(subject)) {
                count++;
            }
        }
        nextBlock = latest + 1;
        return count;
    }

    private static String topic(String bytes32) {
        return Words.hex(Words.toBytes32(bytes32)).toLowerCase();
    }
}
