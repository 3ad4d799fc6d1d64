package io.gridchain.e2e.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.e2e.multihost.HostProcesses.Proc;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * A chain reorganisation across hosts, on a chain that mines every second and a network that waits for 2
 * confirmations (the order book, the scheduler and {@code run --watch}): the block holding a batch's finalization is
 * replaced before it is confirmed, and the run still ends with every task certified once, charged once, paid at most
 * once and downloaded, tokens conserved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReorgAcrossHostsTest {
    private static final String BATCH_FINALIZED = Hash.sha3String("BatchFinalized(bytes32,uint256)");
    private static final long VOLUME = 4;
    private static final int CONFIRMATIONS = 2;

    private Lab lab;

    @BeforeAll
    void network() {
        lab = Lab.start("reorg-" + ProcessHandle.current().pid(), 3, CONFIRMATIONS);
    }

    @AfterAll
    void down() {
        if (lab != null) lab.close();
    }

    @Test
    void aReorganisationThatRemovesABatchBeforeItIsConfirmedEndsWithEveryTaskCertifiedOnce() throws Exception {
        long from = lab.chain.blockNumber();
        Proc run = lab.run("200000", VOLUME, 5);
        long batchBlock = awaitFirstBatch(from, run);
        long head = lab.chain.blockNumber();
        long depth = head - batchBlock + 1;
        long reorg = System.nanoTime();
        // the batch's block and those after it are replaced by empty ones, as a competing branch would
        String answer = lab.rpc("anvil_reorg", "[" + depth + ", []]");
        assertThat(answer).as("anvil_reorg").doesNotContain("\"error\"");
        System.out.printf("[multihost] reorganised %d block(s) from block %d (the first batch's)%n", depth, batchBlock);

        Ledger.Run done = Ledger.finish(run, Duration.ofSeconds(180));
        Ledger.awaitFinalized(lab, done, Duration.ofSeconds(90));
        System.out.printf("[multihost] recovery: a reorganisation of depth %d under a batch -> every task certified"
                + " and downloaded %d ms later%n", depth, (System.nanoTime() - reorg) / 1_000_000);
        new Ledger(lab).assertDelivered(done, VOLUME);
    }

    /** The block of the first BatchFinalized event after {@code from}, as soon as the chain has one. */
    private long awaitFirstBatch(long from, Proc run) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            EthFilter filter = new EthFilter(
                    org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                    DefaultBlockParameterName.LATEST, lab.protocol.addresses().hub());
            filter.addSingleTopic(BATCH_FINALIZED);
            EthLog logs = lab.chain.web3j().ethGetLogs(filter).send();
            if (!logs.getLogs().isEmpty()) {
                return ((Log) logs.getLogs().get(0).get()).getBlockNumber().longValueExact();
            }
            HostProcesses.sleep(50);
        }
        throw new AssertionError("no batch finalized within 120 s:\n" + run.output());
    }
}
