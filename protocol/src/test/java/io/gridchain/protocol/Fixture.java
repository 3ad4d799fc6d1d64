package io.gridchain.protocol;

import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.local.EvmNode;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * A running local protocol with named roles: account 0 owns the hub, 1 the apps, 2 the datasets,
 * 3 the workerpool (its scheduler), 4 requests; 5 to 9 are workers. Every role starts with a deposit; the
 * scheduler bonds {@link #POOL_BOND} in its own pool (so that the pool may serve) and each worker bonds
 * {@link #WORKER_BOND} in the scheduler's pool (so that it may contribute there).
 */
public final class Fixture implements AutoCloseable {
    public static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000);
    public static final long APP_PRICE = 3;
    public static final long DATASET_PRICE = 2;
    public static final long POOL_PRICE = 100;
    /** What the scheduler bonds in its own pool: enough to serve (the dev minimum is 1). */
    public static final BigInteger POOL_BOND = BigInteger.valueOf(1_000);
    /** What each of the fixture's workers bonds in the scheduler's pool: 3,333 stakes of 30. */
    public static final BigInteger WORKER_BOND = BigInteger.valueOf(100_000);
    /** Where seized stakes go (Escrow.BURN). */
    public static final String BURN = "0x000000000000000000000000000000000000dead";

    public final LocalProtocol net;
    public final GridClient owner;
    public final GridClient appOwner;
    public final GridClient datasetOwner;
    public final GridClient scheduler;
    public final GridClient requester;
    public final List<GridClient> workers = new ArrayList<>();
    public final String app;
    public final String dataset;
    public final String pool;

    public Fixture() {
        this(List.of());
    }

    public Fixture(List<String> anvilArgs) {
        this(LocalProtocol.start(anvilArgs));
    }

    /** The same roles on {@code node}, whatever {@code gridchain.evm} says. */
    public Fixture(EvmNode node) {
        this(LocalProtocol.start(node, List.of()));
    }

    private Fixture(LocalProtocol started) {
        net = started;
        owner = net.client(0);
        appOwner = net.client(1);
        datasetOwner = net.client(2);
        scheduler = net.client(3);
        requester = net.client(4);
        for (int i = 5; i < 10; i++) workers.add(net.client(i));
        for (GridClient c : all()) c.deposit(DEPOSIT);
        app = appOwner.createApp("echo", "wasm", "http://127.0.0.1/echo.wasm", digest("echo"));
        dataset = datasetOwner.createDataset("numbers", "http://127.0.0.1/numbers.csv", digest("numbers"));
        pool = scheduler.createWorkerpool("test pool");
        scheduler.bond(scheduler.address(), POOL_BOND);
        for (GridClient w : workers) w.bond(scheduler.address(), WORKER_BOND);
    }

    public List<GridClient> all() {
        List<GridClient> all = new ArrayList<>(List.of(owner, appOwner, datasetOwner, scheduler, requester));
        all.addAll(workers);
        return all;
    }

    public Credentials credentials(GridClient client) {
        return net.accounts().stream().filter(c -> c.getAddress().equalsIgnoreCase(client.address())).findFirst()
                .orElseThrow();
    }

    public static String digest(String text) {
        return Words.hex(Hash.sha3(text.getBytes()));
    }

    public AppOrder appOrder(long volume) {
        return AppOrder.of(app, APP_PRICE, volume);
    }

    public WorkerpoolOrder poolOrder(long volume, long trust) {
        return WorkerpoolOrder.of(pool, POOL_PRICE, volume, 0, trust);
    }

    public RequestOrder request(long volume, long trust) {
        return RequestOrder.of(requester.address(), app, APP_PRICE, POOL_PRICE, volume, 0, trust);
    }

    /** Matches signed orders (sent by the requester) into a deal without dataset. */
    public DealRecord deal(long volume, long trust) {
        return match(appOrder(volume), DatasetOrder.NONE, poolOrder(volume, trust), request(volume, trust));
    }

    public DealRecord match(AppOrder a, DatasetOrder d, WorkerpoolOrder w, RequestOrder r) {
        byte[] dsig = d == DatasetOrder.NONE ? new byte[0] : datasetOwner.sign(d);
        return requester.matchOrders(a, d, w, r, appOwner.sign(a), dsig, scheduler.sign(w), new byte[0]);
    }

    /** Each worker signs its entries of the batch, in the batch's worker order. */
    public List<byte[]> signatures(Batch batch) {
        List<byte[]> sigs = new ArrayList<>();
        for (String w : batch.workers()) {
            GridClient worker = all().stream().filter(c -> c.address().equalsIgnoreCase(w)).findFirst().orElseThrow();
            sigs.add(Contributions.sign(net.protocol().domain(), batch.entriesOf(w), credentials(worker)));
        }
        return sigs;
    }

    /** A batch where the first {@code n} workers agree on one digest per task. */
    public Batch agreeingBatch(DealRecord deal, long from, long to, int n) {
        Batch batch = new Batch();
        for (long i = from; i < to; i++) {
            String d = digest("result-" + deal.dealId() + "-" + i);
            List<Batch.Vote> votes = new ArrayList<>();
            for (int k = 0; k < n; k++) votes.add(new Batch.Vote(workers.get(k).address(), d));
            batch.add(i, deal.taskId(i), votes, d, null);
        }
        return batch;
    }

    /** Owners of the pools whose bonds and earnings {@link #escrowTotal} counts; tests add the owners of pools they make. */
    public final List<String> poolOwners = new ArrayList<>(List.of());

    /**
     * Sum of every role's (and of {@code extraAccounts}') free and locked balance, bonds and unpaid earnings in
     * every pool of {@link #poolOwners} and the scheduler's, plus BURN's balance: must equal the hub's token balance.
     */
    public BigInteger escrowTotal(List<String> extraAccounts) {
        List<String> accounts = new ArrayList<>();
        for (GridClient c : all()) accounts.add(c.address());
        accounts.addAll(extraAccounts);
        List<String> owners = new ArrayList<>(List.of(scheduler.address()));
        for (String o : poolOwners) if (owners.stream().noneMatch(o::equalsIgnoreCase)) owners.add(o);
        BigInteger sum = owner.balanceOf(BURN).total();
        for (String a : accounts) {
            sum = sum.add(owner.balanceOf(a).total());
            for (String o : owners) {
                PoolStake s = owner.stakeOf(o, a);
                sum = sum.add(s.bond()).add(s.earned());
            }
        }
        return sum;
    }

    /** {@code worker}'s standing in the scheduler's pool. */
    public PoolStake stake(GridClient worker) {
        return owner.stakeOf(scheduler.address(), worker.address());
    }

    public PoolStake stake(String worker) {
        return owner.stakeOf(scheduler.address(), worker);
    }

    /** BURN's balance: every seized stake. */
    public BigInteger burned() {
        return owner.balanceOf(BURN).free();
    }

    public BigInteger hubTokens() {
        return owner.tokenBalanceOf(net.protocol().addresses().hub());
    }

    @Override
    public void close() {
        net.close();
    }
}
