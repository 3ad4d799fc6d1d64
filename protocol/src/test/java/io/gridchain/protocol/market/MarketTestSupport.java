package io.gridchain.protocol.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.Salts;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.web3j.tx.gas.DefaultGasProvider;

/** Shared helpers of the market, escrow and registry tests: order sets, wrappers, revert assertions. */
public final class MarketTestSupport {
    public static final byte[] NO_SIG = new byte[0];
    public static final BigInteger MAX_UINT = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    public static final String ZERO = Words.ZERO_ADDRESS;

    private MarketTestSupport() {}

    // ---------------------------------------------------------------- reverts

    /**
     * Runs {@code call}, asserts it reverted with {@code errorName} and exactly {@code message},
     * and returns the exception for further checks.
     */
    public static RevertException assertRevert(ThrowingCallable call, String errorName, String message) {
        RevertException e = revert(call);
        assertThat(e.errorName()).as("errorName of: %s", e.getMessage()).isEqualTo(errorName);
        assertThat(e).hasMessage(message);
        return e;
    }

    /** Runs {@code call} and asserts it threw a {@link RevertException}. */
    public static RevertException revert(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected a revert").isInstanceOf(RevertException.class);
        return (RevertException) t;
    }

    /** Runs a web3j wrapper call, unwrapping nothing: RevertException passes through, checked ones are wrapped. */
    public static <T> T call(Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- addresses and hashes

    /** Lower-case 0x form, as revert messages render addresses. */
    public static String a(String address) {
        return Words.canonical(address);
    }

    /** A random address nobody registered. */
    public static String randomAddress() {
        return "0x" + Salts.random().substring(26);
    }

    /** A bytes32 with the low bits {@code bits}, for tags. */
    public static String tag(long bits) {
        return Words.bytes32(BigInteger.valueOf(bits));
    }

    /** The ERC-721 token id of an asset: uint160(address). */
    public static BigInteger tokenId(String asset) {
        return new BigInteger(asset.substring(2), 16);
    }

    // ---------------------------------------------------------------- wrappers

    public static AppRegistry apps(Fixture f, GridClient as) {
        Protocol p = f.net.protocol();
        return AppRegistry.load(p.addresses().apps(), p.chain().web3j(), p.chain().sender(f.credentials(as)),
                new DefaultGasProvider());
    }

    public static DatasetRegistry datasets(Fixture f, GridClient as) {
        Protocol p = f.net.protocol();
        return DatasetRegistry.load(p.addresses().datasets(), p.chain().web3j(),
                p.chain().sender(f.credentials(as)), new DefaultGasProvider());
    }

    public static WorkerpoolRegistry workerpools(Fixture f, GridClient as) {
        Protocol p = f.net.protocol();
        return WorkerpoolRegistry.load(p.addresses().workerpools(), p.chain().web3j(),
                p.chain().sender(f.credentials(as)), new DefaultGasProvider());
    }

    public static DevToken token(Fixture f, GridClient as) {
        Protocol p = f.net.protocol();
        return DevToken.load(p.addresses().token(), p.chain().web3j(), p.chain().sender(f.credentials(as)),
                new DefaultGasProvider());
    }

    public static String hubAddress(Fixture f) {
        return f.net.protocol().addresses().hub();
    }

    // ---------------------------------------------------------------- order sets

    /** The four orders of one match. */
    public record Match(AppOrder app, DatasetOrder dataset, WorkerpoolOrder pool, RequestOrder request) {
        public Match app(AppOrder o) {
            return new Match(o, dataset, pool, request);
        }

        public Match dataset(DatasetOrder o) {
            return new Match(app, o, pool, request);
        }

        public Match pool(WorkerpoolOrder o) {
            return new Match(app, dataset, o, request);
        }

        public Match request(RequestOrder o) {
            return new Match(app, dataset, pool, o);
        }
    }

    /** Fresh, compatible orders on the fixture's app and pool (prices 3 and 100, category 0), no dataset. */
    public static Match orders(Fixture f, long volume) {
        return new Match(f.appOrder(volume), DatasetOrder.NONE, f.poolOrder(volume, 0), f.request(volume, 0));
    }

    /** Like {@link #orders} with the fixture's dataset (price 2) in the request and a dataset order. */
    public static Match ordersWithDataset(Fixture f, long volume) {
        return new Match(f.appOrder(volume), DatasetOrder.of(f.dataset, Fixture.DATASET_PRICE, volume),
                f.poolOrder(volume, 0), f.request(volume, 0).withDataset(f.dataset, Fixture.DATASET_PRICE));
    }

    /** Matches with each order signed by its fixture signer, sent by the requester (who signs nothing). */
    public static DealRecord matchAsRequester(Fixture f, Match m) {
        return f.requester.matchOrders(m.app(), m.dataset(), m.pool(), m.request(), f.appOwner.sign(m.app()),
                datasetSig(f, m), f.scheduler.sign(m.pool()), NO_SIG);
    }

    public static byte[] datasetSig(Fixture f, Match m) {
        return m.dataset().equals(DatasetOrder.NONE) ? NO_SIG : f.datasetOwner.sign(m.dataset());
    }

    // ---------------------------------------------------------------- order field edits the records lack

    public static RequestOrder withTrust(RequestOrder r, BigInteger trust) {
        return new RequestOrder(r.app(), r.appMaxPrice(), r.dataset(), r.datasetMaxPrice(), r.workerpool(),
                r.workerpoolMaxPrice(), r.requester(), r.volume(), r.tag(), r.category(), trust, r.beneficiary(),
                r.callback(), r.params(), r.expiry(), r.salt());
    }

    public static RequestOrder withCategory(RequestOrder r, long category) {
        return new RequestOrder(r.app(), r.appMaxPrice(), r.dataset(), r.datasetMaxPrice(), r.workerpool(),
                r.workerpoolMaxPrice(), r.requester(), r.volume(), r.tag(), BigInteger.valueOf(category), r.trust(),
                r.beneficiary(), r.callback(), r.params(), r.expiry(), r.salt());
    }

    public static RequestOrder withRequester(RequestOrder r, String requester) {
        return new RequestOrder(r.app(), r.appMaxPrice(), r.dataset(), r.datasetMaxPrice(), r.workerpool(),
                r.workerpoolMaxPrice(), requester, r.volume(), r.tag(), r.category(), r.trust(), r.beneficiary(),
                r.callback(), r.params(), r.expiry(), r.salt());
    }

    public static RequestOrder withPrices(RequestOrder r, long appMax, long datasetMax, long poolMax) {
        return new RequestOrder(r.app(), BigInteger.valueOf(appMax), r.dataset(), BigInteger.valueOf(datasetMax),
                r.workerpool(), BigInteger.valueOf(poolMax), r.requester(), r.volume(), r.tag(), r.category(),
                r.trust(), r.beneficiary(), r.callback(), r.params(), r.expiry(), r.salt());
    }

    public static RequestOrder withApp(RequestOrder r, String app) {
        return new RequestOrder(app, r.appMaxPrice(), r.dataset(), r.datasetMaxPrice(), r.workerpool(),
                r.workerpoolMaxPrice(), r.requester(), r.volume(), r.tag(), r.category(), r.trust(), r.beneficiary(),
                r.callback(), r.params(), r.expiry(), r.salt());
    }

    public static WorkerpoolOrder withTrust(WorkerpoolOrder w, BigInteger trust) {
        return new WorkerpoolOrder(w.workerpool(), w.price(), w.volume(), w.tag(), w.category(), trust,
                w.appRestrict(), w.datasetRestrict(), w.requesterRestrict(), w.expiry(), w.salt());
    }

    public static WorkerpoolOrder withPool(WorkerpoolOrder w, String pool) {
        return new WorkerpoolOrder(pool, w.price(), w.volume(), w.tag(), w.category(), w.trust(), w.appRestrict(),
                w.datasetRestrict(), w.requesterRestrict(), w.expiry(), w.salt());
    }

    public static DatasetOrder withTag(DatasetOrder d, String tag) {
        return new DatasetOrder(d.dataset(), d.price(), d.volume(), tag, d.appRestrict(), d.workerpoolRestrict(),
                d.requesterRestrict(), d.expiry(), d.salt());
    }

    public static DatasetOrder withDataset(DatasetOrder d, String dataset) {
        return new DatasetOrder(dataset, d.price(), d.volume(), d.tag(), d.appRestrict(), d.workerpoolRestrict(),
                d.requesterRestrict(), d.expiry(), d.salt());
    }
}
