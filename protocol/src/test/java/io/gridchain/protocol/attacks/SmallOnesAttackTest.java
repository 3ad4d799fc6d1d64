package io.gridchain.protocol.attacks;

import static io.gridchain.protocol.attacks.AttackKit.APP_PRICE;
import static io.gridchain.protocol.attacks.AttackKit.POOL_PRICE;
import static io.gridchain.protocol.attacks.AttackKit.big;
import static io.gridchain.protocol.attacks.AttackKit.reverts;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.GasBurningSigner;
import io.gridchain.contracts.GasHungryCallback;
import io.gridchain.contracts.HookToken;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.TxSender;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The small guarantees of issue 14: a callback cannot be starved by a tuned gas limit, a token with transfer hooks
 * cannot re-enter the escrow, nobody signs for the zero address, and a hostile ERC-1271 signer cannot make
 * matching burn more than its capped budget.
 */
class SmallOnesAttackTest extends AttackTest {
    static final String REENTRANT_CALL = Hash.sha3String("ReentrancyGuardReentrantCall()").substring(0, 10);

    static TxSender deployer() {
        return k.net.chain().sender(k.net.accounts().get(0));
    }

    static <T> T send(java.util.concurrent.Callable<T> action) {
        return GridClient.call(action);
    }

    /** One task of a callback deal, certified by one worker, whose result is {@code data}. */
    static Batch delivery(DealRecord deal, GridClient worker, byte[] data) {
        String digest = Contributions.callbackDigest(data);
        return new Batch().add(0, deal.taskId(0), List.of(new Batch.Vote(worker.address(), digest)), digest, data);
    }

    GasHungryCallback hungry(long needed) {
        return send(() -> GasHungryCallback.deploy(k.net.chain().web3j(), deployer(), new DefaultGasProvider(),
                big(needed)).send());
    }

    /**
     * (a) Before issue 14 the hub checked for the callback's budget but not for the 2,600 gas its CALL pays to
     * touch a cold callee, so a scheduler could pick a gas limit that passed the check and forwarded less than the
     * budget, making the callback fail on purpose. Now every limit in that window reverts.
     */
    @Test
    void aSchedulerCannotStarveACallbackByTuningItsGasLimit() {
        AttackKit.Parties p = k.parties();
        GridClient scheduler = p.scheduler();
        GridClient worker = k.worker(scheduler, 1_000);
        byte[] data = "result".getBytes();
        String hub = k.net.protocol().addresses().hub();

        // What a callback sees on entry when it gets its whole budget.
        GasHungryCallback meter = hungry(0);
        DealRecord first = k.deal(p, 1, BigInteger.ONE, APP_PRICE, POOL_PRICE, meter.getContractAddress());
        k.finalize(scheduler, first, delivery(first, worker, data));
        long fullBudget = send(() -> meter.lastEntryGas().send()).longValueExact();

        // A callback that accepts nothing less than its whole budget (and otherwise fails, burning what it got).
        GasHungryCallback callback = hungry(fullBudget);
        DealRecord deal = k.deal(p, 1, BigInteger.ONE, APP_PRICE, POOL_PRICE, callback.getContractAddress());
        String batch = k.finalizeBatchData(scheduler, deal, delivery(deal, worker, data));

        // The attacker's search for the least gas that lands the batch.
        long lo = 21_000;
        long hi = 5_000_000;
        assertThat(k.callWithGas(scheduler.address(), hub, batch, big(hi))).isNull();
        while (hi - lo > 1) {
            long mid = (lo + hi) / 2;
            if (k.callWithGas(scheduler.address(), hub, batch, big(mid)) == null) hi = mid;
            else lo = mid;
        }
        long enough = hi;
        // Every limit just below it (including the 2,600 gas the old check let through) is refused outright.
        for (long g = enough - 1; g > enough - 3_000; g -= 97) {
            RevertException e = k.callWithGas(scheduler.address(), hub, batch, big(g));
            assertThat(e).as("gas limit %d", g).isNotNull();
            assertThat(e.errorName()).as("gas limit %d", g).isEqualTo("InsufficientGasForCallback");
        }
        // Sent short, the batch is mined as a revert: the task stays open, the callback was not called.
        AttackKit.Sent short_ = k.sendWithGas(scheduler, hub, batch, big(enough - 1_000));
        assertThat(short_.ok()).isFalse();
        assertThat(k.funder.taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.UNSET);
        // With the least gas that lands it, the callback gets its whole budget and accepts the result.
        assertThat(k.sendWithGas(scheduler, hub, batch, big(enough)).ok()).isTrue();
        assertThat(k.funder.callbackOutcome(deal.taskId(0)).orElseThrow().success()).isTrue();
        assertThat(send(() -> callback.received().send())).isEqualTo(BigInteger.ONE);
        assertThat(send(() -> callback.lastEntryGas().send()).longValueExact()).isEqualTo(fullBudget);
    }

    static void assertHookRefused(HookToken token, long hooks) {
        assertThat(send(() -> token.hooks().send())).isEqualTo(big(hooks));
        assertThat(send(() -> token.lastHookSucceeded().send())).as("the re-entrant call succeeded").isFalse();
        assertThat(Numeric.toHexString(send(() -> token.lastHookError().send()))).startsWith(REENTRANT_CALL);
    }

    /** (b) A currency whose transfers call back into the hub cannot re-enter a deposit or a withdrawal. */
    @Test
    void aTokenWithTransferHooksCannotReenterTheEscrow() {
        HookToken token = send(() -> HookToken.deploy(k.net.chain().web3j(), deployer(), new DefaultGasProvider())
                .send());
        String tokenAddress = token.getContractAddress();
        Protocol hooked = Protocol.deploy(k.net.chain(), k.net.accounts().get(0), tokenAddress);
        String hub = hooked.addresses().hub();
        GridClient attacker = hooked.as(k.key(k.actor(BigInteger.ZERO)));
        send(() -> token.mint(attacker.address(), big(1_000)).send());
        send(() -> token.mint(tokenAddress, big(1_000)).send());

        // Mid-deposit, after the tokens moved and before the hub reads its balance again, deposit once more.
        byte[] deposit = Numeric.hexStringToByteArray(
                attacker.hub().depositFor(attacker.address(), big(100)).encodeFunctionCall());
        send(() -> token.arm(hub, deposit, big(1_000)).send());
        attacker.deposit(big(100));
        assertHookRefused(token, 1);
        assertThat(attacker.balance().free()).as("credited once, for what arrived once").isEqualTo(big(100));
        assertThat(attacker.balanceOf(tokenAddress).free()).isZero();

        // Mid-deposit and mid-withdrawal, withdraw the token contract's own escrow.
        send(() -> token.disarm().send());
        attacker.depositFor(tokenAddress, big(200));
        byte[] withdraw = Numeric.hexStringToByteArray(
                attacker.hub().withdraw(big(200), attacker.address()).encodeFunctionCall());
        send(() -> token.arm(hub, withdraw, BigInteger.ZERO).send());
        attacker.deposit(big(50));
        assertHookRefused(token, 2);
        attacker.withdraw(big(150));
        assertHookRefused(token, 3);

        assertThat(attacker.balance().free()).isZero();
        assertThat(attacker.balanceOf(tokenAddress).free()).isEqualTo(big(200));
        assertThat(attacker.tokenBalanceOf(hub)).as("escrow invariant of the hooked hub")
                .isEqualTo(attacker.balance().total().add(attacker.balanceOf(tokenAddress).total()));
        assertThat(attacker.tokenBalanceOf(attacker.address())).isEqualTo(big(1_000 - 100 - 200 - 50 + 150));
    }

    /** (c) Tokens deposited for address(0) (by mistake) cannot be spent by an order "signed" by nobody. */
    @Test
    void aRequestSignedByNobodyCannotSpendTheZeroAddresssEscrow() {
        AttackKit.Parties p = k.parties();
        k.track(Words.ZERO_ADDRESS);
        k.depositFor(Words.ZERO_ADDRESS, big(10_000));
        GridClient attacker = k.actor();
        AppOrder a = AppOrder.of(p.app(), APP_PRICE, 1);
        WorkerpoolOrder w = AttackKit.poolOrder(p.pool(), POOL_PRICE, 1, BigInteger.ONE);
        RequestOrder r = AttackKit.request(Words.ZERO_ADDRESS, p.app(), APP_PRICE, POOL_PRICE, 1, BigInteger.ONE);
        byte[] appSig = p.appOwner().sign(a);
        byte[] poolSig = p.scheduler().sign(w);
        byte[] junk = new byte[65];
        junk[64] = 27;

        // An empty signature reads an unset pre-signature (zero); a junk one recovers nobody.
        for (byte[] sig : List.of(new byte[0], junk)) {
            RevertException e = reverts("InvalidSignature",
                    () -> attacker.matchOrders(a, DatasetOrder.NONE, w, r, appSig, new byte[0], poolSig, sig));
            assertThat(e.getMessage()).contains("request").contains(Words.ZERO_ADDRESS);
        }
        assertThat(k.bal(Words.ZERO_ADDRESS).free()).isEqualTo(big(10_000));
        assertThat(k.bal(Words.ZERO_ADDRESS).locked()).isZero();
        assertThat(attacker.consumed(r)).isZero();
        k.assertConserved();
    }

    /** (d) A contract signer whose isValidSignature never returns costs the match at most its 100,000 gas cap. */
    @Test
    void anErc1271SignerThatBurnsAllGasCannotMakeMatchingExpensive() {
        AttackKit.Parties p = k.parties();
        GasBurningSigner signer = send(() -> GasBurningSigner.deploy(k.net.chain().web3j(), deployer(),
                new DefaultGasProvider()).send());
        k.track(signer.getContractAddress());
        k.depositFor(signer.getContractAddress(), big(10_000)); // it could pay, were its order valid
        GridClient matcher = k.actor();
        String hub = k.net.protocol().addresses().hub();
        AppOrder a = AppOrder.of(p.app(), APP_PRICE, 1);
        WorkerpoolOrder w = AttackKit.poolOrder(p.pool(), POOL_PRICE, 1, BigInteger.ONE);
        byte[] appSig = p.appOwner().sign(a);
        byte[] poolSig = p.scheduler().sign(w);
        byte[] junk = new byte[65];
        junk[64] = 27;
        RequestOrder hostile = AttackKit.request(signer.getContractAddress(), p.app(), APP_PRICE, POOL_PRICE, 1,
                BigInteger.ONE);
        RequestOrder baseline = AttackKit.request(k.actor().address(), p.app(), APP_PRICE, POOL_PRICE, 1,
                BigInteger.ONE);
        String hostileData = AttackKit.matchData(matcher, a, w, hostile, appSig, poolSig, junk);
        String baselineData = AttackKit.matchData(matcher, a, w, baseline, appSig, poolSig, junk);
        BigInteger gas = big(5_000_000);

        RevertException e = k.callWithGas(matcher.address(), hub, hostileData, gas);
        assertThat(e).isNotNull();
        assertThat(e.errorName()).isEqualTo("InvalidSignature");
        AttackKit.Sent withHostileSigner = k.sendWithGas(matcher, hub, hostileData, gas);
        AttackKit.Sent withEoa = k.sendWithGas(matcher, hub, baselineData, gas);
        assertThat(withHostileSigner.ok()).isFalse();
        assertThat(withEoa.ok()).isFalse();
        // The hostile signer costs its 100,000 gas cap plus the call to a cold account, and not a unit more.
        assertThat(withHostileSigner.gasUsed() - withEoa.gasUsed()).isBetween(100_000L, 110_000L);
        assertThat(withHostileSigner.gasUsed()).isLessThan(gas.longValueExact() / 10);
        assertThat(k.bal(signer.getContractAddress()).locked()).isZero();
        k.assertConserved();
    }
}
