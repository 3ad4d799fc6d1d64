package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.local.EvmNode;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.scheduler.SchedulerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Confirmations and reorganisations on a real anvil: each reorganisation is driven at a known point with
 * {@code anvil_rollback} or {@code anvil_reorg}, once the service under test has been seen to reach that point, and
 * blocks come only when the test mines them, so nothing depends on timing.
 */
class ReorgEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private LocalPool pool;

    @BeforeAll
    static void onANodeThatReorganises() {
        EvmNode node = EvmNode.selected();
        Assumptions.assumeTrue(node.canReorganise(), "the " + node.name() + " node cannot reorganise its chain on"
                + " demand (no anvil_reorg / anvil_rollback): these scenarios run on anvil");
    }

    private LocalPool pool(int workers, int confirmations) {
        pool = new LocalPool(LocalPool.Setup.of(workers).withScheduler(SchedulerService.Options.DEFAULT
                .withPollMillis(5).withConfirmations(confirmations)));
        return pool;
    }

    @AfterEach
    void stop() {
        if (pool != null) pool.close();
    }

    private SchedulerService scheduler() {
        return pool.scheduler().service();
    }

    private Web3j web3j() {
        return pool.net().chain().web3j();
    }

    private long head() {
        return pool.net().chain().blockNumber();
    }

    /** An anvil method that answers nothing useful; a JSON-RPC error fails the test. */
    private void anvil(String method, Object... params) {
        try {
            Response<?> r = new Request<>(method, List.of(params), new HttpService(pool.net().rpcUrl()),
                    AnyResponse.class).send();
            if (r.hasError()) throw new AssertionError(method + ": " + r.getError().getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final class AnyResponse extends Response<Object> {}

    private void mine(int blocks) {
        for (int i = 0; i < blocks; i++) anvil("evm_mine");
    }

    private boolean dealExists(DealRecord deal) {
        byte[] hash = GridClient.call(() -> pool.requester().hub().dealHashOf(Words.toBytes32(deal.dealId())).send());
        return !Words.ZERO_BYTES32.equals(Words.hex(hash));
    }

    private DealRecord request(String app, long volume) {
        return pool.request(app, "", volume, 1);
    }

    @Test
    void withTwoConfirmationsADealRemovedBeforeItWasConfirmedIsNeverTakenIn() {
        pool(0, 2);
        DealRecord deal = request(pool.publish("noop"), 2);
        long dealBlock = head();
        // the scheduler has looked at the head: it scanned up to two blocks below, not the deal's block
        LocalPool.await("the scan two blocks below the head", WAIT, () -> scheduler().cursor() == dealBlock - 1);
        assertThat(scheduler().task(deal.taskId(0))).isEmpty();

        anvil("anvil_rollback", 1);
        assertThat(dealExists(deal)).isFalse();
        mine(3);
        LocalPool.await("the scan past the removed block", WAIT, () -> scheduler().cursor() == dealBlock + 1);

        assertThat(scheduler().task(deal.taskId(0))).isEmpty();
        assertThat(scheduler().task(deal.taskId(1))).isEmpty();
    }

    @Test
    void withNoConfirmationsADealTakenInThenRolledBackIsDroppedAndItsTasksNeverRun() {
        pool(0, 0);
        String app = pool.publish("noop");
        DealRecord deal = request(app, 2);
        LocalPool.await("the deal taken in", WAIT, () -> scheduler().task(deal.taskId(0)).isPresent());

        anvil("anvil_rollback", 1);
        mine(1); // the scan reads the chain when a block comes
        LocalPool.await("the deal dropped", WAIT, () -> "FAILED".equals(scheduler().task(deal.taskId(1))
                .map(SchedulerService.TaskView::status).orElse(null)));

        for (long i = 0; i < 2; i++) {
            SchedulerService.TaskView t = scheduler().task(deal.taskId(i)).orElseThrow();
            assertThat(t.status()).isEqualTo("FAILED");
            assertThat(t.cause()).isEqualTo("DEAL_REMOVED");
        }
        // a worker joining now gets nothing of it, and runs the next deal
        pool.requester().forgetNonce(); // the rollback dropped the requester's match
        pool.startWorker(pool.net().accounts().get(5));
        DealRecord next = request(app, 1);
        LocalPool.await("the next deal certified", WAIT, () -> pool.certified(next) == 1);
        assertThat(scheduler().task(deal.taskId(0)).orElseThrow().status()).isEqualTo("FAILED");
        assertThat(pool.requester().taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
    }

    @Test
    void aDealReIncludedByAReorganisationIsProcessedOnce() throws Exception {
        pool(0, 0);
        String app = pool.publish("noop");
        DealRecord deal = request(app, 2);
        long dealBlock = head();
        LocalPool.await("the deal taken in", WAIT, () -> scheduler().task(deal.taskId(0)).isPresent());
        Transaction match = web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, true).send().getBlock()
                .getTransactions().stream().map(t -> (Transaction) t.get()).findFirst().orElseThrow();

        // the deal's block is replaced by one holding the same transaction: the same deal, in another block
        anvil("anvil_reorg", 1, List.of(List.of(Map.of("from", match.getFrom(), "to", match.getTo(),
                "input", match.getInput(), "gas", Numeric.encodeQuantity(match.getGas())), 0)));
        assertThat(web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getHash())
                .isNotEqualTo(match.getBlockHash());
        assertThat(dealExists(deal)).isTrue();
        mine(1);
        LocalPool.await("the scan past the reorganisation", WAIT, () -> scheduler().cursor() == dealBlock + 2);
        assertThat(scheduler().task(deal.taskId(0)).orElseThrow().status()).isEqualTo("PENDING");

        pool.startWorker(pool.net().accounts().get(5));
        LocalPool.await("the deal certified", WAIT, () -> pool.certified(deal) == 2);
        assertThat(finalizedOnChain(deal)).as("tasks finalized on the canonical chain, each once").isEqualTo(2);
        assertThat(pool.conserved()).isTrue();
    }

    @Test
    void aBatchWhoseFinalizeWasRolledBackIsSentAgainAndEachTaskIsCertifiedOnce() {
        pool(1, 1);
        String worker = pool.net().accounts().get(5).getAddress();
        BigInteger earnedBefore = pool.stakeOf(worker).earned();
        DealRecord deal = request(pool.publish("noop"), 3);
        mine(1); // the deal's confirmation
        // the batch is mined, not yet confirmed: no block comes until the test mines one
        LocalPool.await("the batches mined", WAIT, () -> pool.certified(deal) == 3);
        // the last batch's tasks wait for its confirmation (an earlier batch is confirmed by a later one's block)
        assertThat(statuses(deal)).contains("FINALIZING");
        // what `run --watch` reads: the last batch's tasks are not final one block below the head
        long last = head();
        assertThat(LongStream.range(0, 3).mapToObj(i -> pool.requester().taskStatusAt(deal.taskId(i), last - 1)))
                .anySatisfy(s -> assertThat(s).isNotEqualTo(GridClient.TaskStatus.FINALIZED));
        assertThat(LongStream.range(0, 3).mapToObj(i -> pool.requester().taskStatusAt(deal.taskId(i), last)))
                .containsOnly(GridClient.TaskStatus.FINALIZED);
        BigInteger earnedOnce = pool.stakeOf(worker).earned();

        anvil("anvil_rollback", 1);
        assertThat(pool.certified(deal)).isLessThan(3);
        LocalPool.await("the batch sent again and confirmed", WAIT, () -> {
            mine(1);
            return statuses(deal).stream().allMatch("FINALIZED"::equals);
        });

        assertThat(pool.certified(deal)).isEqualTo(3);
        for (long i = 0; i < 3; i++) {
            assertThat(scheduler().task(deal.taskId(i)).orElseThrow().status()).isEqualTo("FINALIZED");
        }
        assertThat(finalizedOnChain(deal)).as("tasks finalized on the canonical chain, each once").isEqualTo(3);
        assertThat(pool.stakeOf(worker).earned()).as("the worker paid once").isEqualTo(earnedOnce)
                .isGreaterThan(earnedBefore);
        assertThat(pool.conserved()).isTrue();
    }

    @Test
    void theOrderBookOffersAgainAnOrderWhoseMatchWasRolledBack() {
        pool(0, 0);
        try (Market market = Market.start(bookConfig(null))) {
            String hash = publishAndMatchOnce(market);

            anvil("anvil_rollback", 1);
            mine(1);
            LocalPool.await("the order offered again", WAIT, () -> market.book().get(hash).isPresent());

            assertThat(market.book().get(hash).orElseThrow().remaining()).isEqualTo(BigInteger.ONE);
            assertThat(market.book().get(hash).orElseThrow().consumed()).isZero();
        }
    }

    @Test
    void anOrderBookRestartedAfterARollbackWhileItWasDownOffersTheOrderAgain(@TempDir Path data) {
        pool(0, 0);
        String hash;
        try (Market market = Market.start(bookConfig(data))) {
            hash = publishAndMatchOnce(market);
        }

        anvil("anvil_rollback", 1);
        mine(1);

        try (Market market = Market.start(bookConfig(data))) {
            LocalPool.await("the order offered again", WAIT, () -> market.book().get(hash).isPresent());
            assertThat(market.book().get(hash).orElseThrow().remaining()).isEqualTo(BigInteger.ONE);
        }
    }

    private Market.Config bookConfig(Path data) {
        return Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses()).withPollMillis(5)
                .withData(data);
    }

    /** Publishes an app order of one task and matches it: returns its hash once the book dropped it as consumed. */
    private String publishAndMatchOnce(Market market) {
        String app = pool.publish("noop");
        AppOrder once = AppOrder.of(app, LocalPool.APP_PRICE, 1);
        String hash = market.book().publish(once, Numeric.toHexString(pool.appOwner().sign(once))).hash();
        WorkerpoolOrder poolOrder = pool.poolOrder();
        RequestOrder request = RequestOrder.of(pool.requester().address(), app, LocalPool.APP_PRICE,
                LocalPool.POOL_PRICE, 1, 0, 1);
        pool.requester().matchOrders(once, DatasetOrder.NONE, poolOrder, request, pool.appOwner().sign(once),
                new byte[0], pool.schedulerOwner().sign(poolOrder), new byte[0]);
        LocalPool.await("the consumed order dropped", WAIT, () -> market.book().get(hash).isEmpty());
        return hash;
    }

    private List<String> statuses(DealRecord deal) {
        List<String> out = new java.util.ArrayList<>();
        for (long i = 0; i < deal.deal().volume().longValueExact(); i++) {
            out.add(scheduler().task(deal.taskId(i)).map(SchedulerService.TaskView::status).orElse("NONE"));
        }
        return out;
    }

    /**
     * The tasks the deal's BatchFinalized logs on the canonical chain count (one log per batch, its data the number
     * of tasks): a task finalized twice would count twice.
     */
    private long finalizedOnChain(DealRecord deal) {
        try {
            EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                    pool.net().protocol().addresses().hub());
            filter.addSingleTopic(Hash.sha3String("BatchFinalized(bytes32,uint256)"));
            filter.addSingleTopic(deal.dealId());
            long tasks = 0;
            for (var l : web3j().ethGetLogs(filter).send().getLogs()) {
                tasks += Numeric.toBigInt(((Log) l.get()).getData()).longValueExact();
            }
            return tasks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
