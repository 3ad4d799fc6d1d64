package io.gridchain.e2e.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.e2e.multihost.HostProcesses.Proc;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.runtime.ResultDigest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/** What the chain says a run did, read from the lab: the checks every multi-host run ends with. */
final class Ledger {
    private static final String TASK_FINALIZED = Hash.sha3String("TaskFinalized(bytes32,bytes32)");
    private static final String WORKER_SETTLED = Hash.sha3String("WorkerSettled(bytes32,address,uint256,uint256,uint256)");
    private static final String SCHEDULER_SETTLED =
            Hash.sha3String("SchedulerSettled(bytes32,address,uint256,uint256,uint256)");
    private static final String BATCH_FINALIZED = Hash.sha3String("BatchFinalized(bytes32,uint256)");
    private static final String CHARGE = Hash.sha3String("Charge(address,uint256,bytes32)");
    private static final String BURN = "0x000000000000000000000000000000000000dEaD";

    /** A finished `run --json`: its deal and, per task, its id, status and where it was downloaded. */
    record Run(String deal, List<Task> tasks) {}

    record Task(long index, String id, String status, String digest, String downloaded) {}

    private final Lab lab;

    Ledger(Lab lab) {
        this.lab = lab;
    }

    /** Waits for {@code run} to end and reads its JSON; fails with its log if it fails or outlasts {@code timeout}. */
    static Run finish(Proc run, Duration timeout) {
        int code = HostProcesses.waitFor(run, timeout);
        try {
            JsonNode out = Lab.MAPPER.readTree(run.stdout());
            List<Task> tasks = new ArrayList<>();
            for (JsonNode r : out.get("results")) {
                tasks.add(new Task(r.get("index").asLong(), r.get("task").asText(), r.get("status").asText(),
                        r.has("digest") ? r.get("digest").asText() : null,
                        r.has("downloaded") ? r.get("downloaded").asText() : null));
            }
            assertThat(code).as("run's exit code; its log:\n" + HostProcesses.tail(run.output())).isZero();
            return new Run(out.get("deal").asText(), tasks);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("run exited " + code + " without its JSON:\n" + HostProcesses.tail(run.output())
                    + HostProcesses.tail(run.stdout()), e);
        }
    }

    /** Waits until the chain (again) says every task of {@code run} is finalized, as after a reorganisation. */
    static void awaitFinalized(Lab lab, Run run, Duration timeout) {
        GridClient reader = lab.reader();
        io.gridchain.bench.pool.LocalPool.await("every task of deal " + run.deal() + " finalized on the chain", timeout,
                () -> run.tasks().stream().allMatch(t -> reader.taskStatus(t.id()) == GridClient.TaskStatus.FINALIZED));
    }

    /**
     * Every task certified on-chain exactly once, its result downloaded and hashing to the certified digest, the
     * deal's pool share paid at most once per task, and tokens conserved.
     */
    void assertDelivered(Run run, long volume) throws IOException {
        GridClient reader = lab.reader();
        assertThat(run.tasks()).hasSize((int) volume);
        for (Task t : run.tasks()) {
            assertThat(t.status()).as("task %d", t.index()).isEqualTo("CERTIFIED");
            assertThat(reader.taskStatus(t.id())).isEqualTo(GridClient.TaskStatus.FINALIZED);
            String onChain = reader.resultDigest(t.id());
            assertThat(t.digest()).isEqualToIgnoringCase(onChain);
            assertThat(t.downloaded()).as("task %d downloaded", t.index()).isNotNull();
            Path dir = Path.of(t.downloaded());
            assertThat(Files.isDirectory(dir)).isTrue();
            assertThat(ResultDigest.of(dir)).as("task %d's download against its on-chain digest", t.index())
                    .isEqualToIgnoringCase(onChain);
        }
        assertCertifiedOnce(run, volume);
        assertPaidOnce(run.deal(), volume);
        assertConserved();
    }

    /**
     * Each task finalized once: the batches' task counts (BatchFinalized) and the per-worker path's TaskFinalized
     * events add up to the volume, and the requester was charged the task price exactly volume times.
     */
    void assertCertifiedOnce(Run run, long volume) {
        long finalized = 0;
        for (Log l : logs(BATCH_FINALIZED, run.deal())) finalized += words(l.getData()).get(0).longValueExact();
        for (Task t : run.tasks()) finalized += logs(TASK_FINALIZED, t.id()).size();
        assertThat(finalized).as("tasks finalized on deal " + run.deal()).isEqualTo(volume);
        BigInteger charged = BigInteger.ZERO;
        for (Log l : logs(CHARGE, null)) {
            if (Numeric.toBigInt(l.getTopics().get(2)).equals(Numeric.toBigInt(run.deal()))) {
                charged = charged.add(words(l.getData()).get(0));
            }
        }
        assertThat(charged).as("the requester charged on deal " + run.deal())
                .isEqualTo(BigInteger.valueOf(volume * (Lab.APP_PRICE + Lab.POOL_PRICE)));
    }

    /**
     * The workers' rewards and the scheduler's gain on the deal come out of the pool's price, once per task: paying
     * a task twice would take more than volume x price (plus what was seized from losers, handed to winners).
     */
    void assertPaidOnce(String deal, long volume) {
        BigInteger paid = BigInteger.ZERO;
        BigInteger seized = BigInteger.ZERO;
        for (Log l : logs(WORKER_SETTLED, deal)) {
            List<BigInteger> words = words(l.getData());
            paid = paid.add(words.get(0));
            seized = seized.add(words.get(1));
        }
        for (Log l : logs(SCHEDULER_SETTLED, deal)) paid = paid.add(words(l.getData()).get(1));
        BigInteger most = BigInteger.valueOf(volume * Lab.POOL_PRICE).add(seized);
        System.out.printf("[multihost] deal %s: %s paid to the pool's workers and scheduler for %d task(s) (at most %s)%n",
                deal, paid, volume, most);
        assertThat(paid).as("rewards on deal " + deal).isLessThanOrEqualTo(most);
    }

    /** Every dev account's escrow, bond and earnings in the pool, plus what was burned, is what the hub holds. */
    void assertConserved() {
        GridClient reader = lab.reader();
        String owner = lab.accounts.get(Lab.POOL_OWNER).getAddress();
        BigInteger sum = reader.balanceOf(BURN).total();
        for (Credentials c : lab.accounts) {
            PoolStake s = reader.stakeOf(owner, c.getAddress());
            sum = sum.add(reader.balanceOf(c.getAddress()).total()).add(s.bond()).add(s.earned());
        }
        assertThat(sum).as("tokens conserved").isEqualTo(reader.tokenBalanceOf(lab.protocol.addresses().hub()));
    }

    /** Logs of the hub with {@code topic} and first indexed argument {@code key} (null: any), over the whole chain. */
    List<Log> logs(String topic, String key) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                lab.protocol.addresses().hub());
        filter.addSingleTopic(topic);
        if (key != null) filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(key), 64));
        try {
            EthLog r = lab.chain.web3j().ethGetLogs(filter).send();
            if (r.hasError()) throw new AssertionError("eth_getLogs: " + r.getError().getMessage());
            List<Log> out = new ArrayList<>();
            for (EthLog.LogResult<?> lr : r.getLogs()) out.add((Log) lr.get());
            return out;
        } catch (IOException e) {
            throw new AssertionError("eth_getLogs: " + e.getMessage(), e);
        }
    }

    private static List<BigInteger> words(String data) {
        String hex = Numeric.cleanHexPrefix(data);
        List<BigInteger> out = new ArrayList<>();
        for (int i = 0; i + 64 <= hex.length(); i += 64) out.add(new BigInteger(hex.substring(i, i + 64), 16));
        return out;
    }
}
