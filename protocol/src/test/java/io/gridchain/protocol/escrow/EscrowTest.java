package io.gridchain.protocol.escrow;

import io.gridchain.protocol.FixtureTest;
import static io.gridchain.protocol.market.MarketTestSupport.a;
import static io.gridchain.protocol.market.MarketTestSupport.assertRevert;
import static io.gridchain.protocol.market.MarketTestSupport.call;
import static io.gridchain.protocol.market.MarketTestSupport.hubAddress;
import static io.gridchain.protocol.market.MarketTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.market.MarketTestSupport;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

class EscrowTest extends FixtureTest {
    /** The escrow invariant: every token the hub holds belongs to some account's free or locked balance. */
    @AfterEach
    void escrowInvariantHolds() {
        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void depositMovesWalletTokensIntoTheFreeBalance() {
        GridClient alice = f.workers.get(0);
        BigInteger wallet = alice.tokenBalanceOf(alice.address());
        Balance before = alice.balance();
        BigInteger hubBefore = f.hubTokens();

        TxResult r = alice.deposit(big(1234));

        assertThat(alice.tokenBalanceOf(alice.address())).isEqualTo(wallet.subtract(big(1234)));
        assertThat(alice.balance().free()).isEqualTo(before.free().add(big(1234)));
        assertThat(alice.balance().locked()).isEqualTo(before.locked());
        assertThat(f.hubTokens()).isEqualTo(hubBefore.add(big(1234)));
        List<GridHub.DepositEventResponse> events = GridHub.getDepositEvents(r.receipt());
        assertThat(events).hasSize(1);
        assertThat(a(events.get(0).account)).isEqualTo(a(alice.address()));
        assertThat(a(events.get(0).from)).isEqualTo(a(alice.address()));
        assertThat(events.get(0).amount).isEqualTo(big(1234));
        List<DevToken.TransferEventResponse> transfers = DevToken.getTransferEvents(r.receipt());
        assertThat(transfers).singleElement().satisfies(t -> {
            assertThat(a(t.from)).isEqualTo(a(alice.address()));
            assertThat(a(t.to)).isEqualTo(a(hubAddress(f)));
            assertThat(t.value).isEqualTo(big(1234));
        });
    }

    @Test
    void depositForCreditsAnotherAccountWithTheSendersTokens() {
        GridClient payer = f.workers.get(1);
        GridClient payee = f.workers.get(2);
        BigInteger payerWallet = payer.tokenBalanceOf(payer.address());
        BigInteger payeeWallet = payee.tokenBalanceOf(payee.address());
        Balance payerBefore = payer.balance();
        Balance payeeBefore = payee.balance();

        call(() -> token(f, payer).approve(hubAddress(f), big(777)).send());
        TransactionReceipt r = call(() -> payer.hub().depositFor(payee.address(), big(777)).send());

        assertThat(payer.tokenBalanceOf(payer.address())).isEqualTo(payerWallet.subtract(big(777)));
        assertThat(payee.tokenBalanceOf(payee.address())).isEqualTo(payeeWallet);
        assertThat(payee.balance().free()).isEqualTo(payeeBefore.free().add(big(777)));
        assertThat(payer.balance()).isEqualTo(payerBefore);
        assertThat(GridHub.getDepositEvents(r)).singleElement().satisfies(e -> {
            assertThat(a(e.account)).isEqualTo(a(payee.address()));
            assertThat(a(e.from)).isEqualTo(a(payer.address()));
            assertThat(e.amount).isEqualTo(big(777));
        });
    }

    @Test
    void withdrawSendsFreeTokensBackToTheWallet() {
        GridClient bob = f.workers.get(3);
        BigInteger wallet = bob.tokenBalanceOf(bob.address());
        Balance before = bob.balance();

        TxResult r = bob.withdraw(big(500));

        assertThat(bob.tokenBalanceOf(bob.address())).isEqualTo(wallet.add(big(500)));
        assertThat(bob.balance().free()).isEqualTo(before.free().subtract(big(500)));
        assertThat(bob.balance().locked()).isEqualTo(before.locked());
        assertThat(GridHub.getWithdrawEvents(r.receipt())).singleElement().satisfies(e -> {
            assertThat(a(e.account)).isEqualTo(a(bob.address()));
            assertThat(a(e.to)).isEqualTo(a(bob.address()));
            assertThat(e.amount).isEqualTo(big(500));
        });
    }

    @Test
    void withdrawToAnotherAddressPaysThatAddress() {
        GridClient bob = f.workers.get(3);
        GridClient carol = f.workers.get(4);
        BigInteger bobWallet = bob.tokenBalanceOf(bob.address());
        BigInteger carolWallet = carol.tokenBalanceOf(carol.address());
        Balance bobBefore = bob.balance();
        Balance carolBefore = carol.balance();

        TransactionReceipt r = call(() -> bob.hub().withdraw(big(321), carol.address()).send());

        assertThat(bob.tokenBalanceOf(bob.address())).isEqualTo(bobWallet);
        assertThat(carol.tokenBalanceOf(carol.address())).isEqualTo(carolWallet.add(big(321)));
        assertThat(bob.balance().free()).isEqualTo(bobBefore.free().subtract(big(321)));
        assertThat(carol.balance()).isEqualTo(carolBefore);
        assertThat(GridHub.getWithdrawEvents(r)).singleElement().satisfies(e -> {
            assertThat(a(e.account)).isEqualTo(a(bob.address()));
            assertThat(a(e.to)).isEqualTo(a(carol.address()));
        });
    }

    @Test
    void withdrawingTheWholeFreeBalanceLeavesZero() {
        GridClient dave = f.owner;
        BigInteger free = dave.balance().free();
        BigInteger wallet = dave.tokenBalanceOf(dave.address());

        dave.withdraw(free);

        assertThat(dave.balance().free()).isZero();
        assertThat(dave.tokenBalanceOf(dave.address())).isEqualTo(wallet.add(free));
        dave.deposit(free); // put it back, other tests expect the fixture deposit
        assertThat(dave.balance().free()).isEqualTo(free);
    }

    @Test
    void depositOfZeroIsRefused() {
        GridClient alice = f.workers.get(0);
        Balance before = alice.balance();
        assertRevert(() -> alice.deposit(BigInteger.ZERO), "ZeroAmount", "amount must be positive");
        assertRevert(() -> alice.hub().depositFor(f.workers.get(1).address(), BigInteger.ZERO).send(),
                "ZeroAmount", "amount must be positive");
        assertThat(alice.balance()).isEqualTo(before);
    }

    @Test
    void withdrawalOfZeroIsRefused() {
        GridClient alice = f.workers.get(0);
        Balance before = alice.balance();
        assertRevert(() -> alice.withdraw(BigInteger.ZERO), "ZeroAmount", "amount must be positive");
        assertThat(alice.balance()).isEqualTo(before);
    }

    @Test
    void withdrawingMoreThanTheFreeBalanceIsRefused() {
        GridClient alice = f.workers.get(0);
        Balance before = alice.balance();
        BigInteger wallet = alice.tokenBalanceOf(alice.address());
        BigInteger tooMuch = before.free().add(BigInteger.ONE);

        assertRevert(() -> alice.withdraw(tooMuch), "InsufficientFreeBalance",
                "account " + a(alice.address()) + " has " + before.free() + " free tokens but " + tooMuch
                        + " are needed: deposit more");

        assertThat(alice.balance()).isEqualTo(before);
        assertThat(alice.tokenBalanceOf(alice.address())).isEqualTo(wallet);
    }

    @Test
    void lockedTokensCannotBeWithdrawn() {
        // a deal locks the requester's payment: only the free part may leave
        MarketTestSupport.Match m = MarketTestSupport.orders(f, 2);
        MarketTestSupport.matchAsRequester(f, m);
        Balance b = f.requester.balance();
        assertThat(b.locked()).isPositive();
        BigInteger tooMuch = b.free().add(BigInteger.ONE);

        assertRevert(() -> f.requester.withdraw(tooMuch), "InsufficientFreeBalance",
                "account " + a(f.requester.address()) + " has " + b.free() + " free tokens but " + tooMuch
                        + " are needed: deposit more");
        assertThat(f.requester.balance()).isEqualTo(b);
    }

    @Test
    void bondedTokensCannotBeWithdrawnAndStillCountInTheEscrow() {
        GridClient w = f.workers.get(3);
        Balance b = w.balance();
        BigInteger bonded = w.stakeIn(f.scheduler.address()).bond();
        assertThat(bonded).isEqualTo(Fixture.WORKER_BOND);
        BigInteger tooMuch = b.free().add(BigInteger.ONE);
        assertRevert(() -> w.withdraw(tooMuch), "InsufficientFreeBalance",
                "account " + a(w.address()) + " has " + b.free() + " free tokens but " + tooMuch
                        + " are needed: deposit more");
        assertThat(w.stakeIn(f.scheduler.address()).bond()).isEqualTo(bonded);
        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
    }

    @Test
    void depositWithoutApprovalIsRefusedByTheToken() {
        GridClient alice = f.workers.get(0);
        call(() -> token(f, alice).approve(hubAddress(f), BigInteger.ZERO).send());
        Balance before = alice.balance();
        BigInteger wallet = alice.tokenBalanceOf(alice.address());

        assertRevert(() -> alice.hub().deposit(big(5)).send(), "ERC20InsufficientAllowance",
                "token allowance of " + a(hubAddress(f)) + " is 0 but 5 are needed: approve the hub first");

        assertThat(alice.balance()).isEqualTo(before);
        assertThat(alice.tokenBalanceOf(alice.address())).isEqualTo(wallet);
    }

    @Test
    void depositAboveTheApprovalIsRefused() {
        GridClient alice = f.workers.get(0);
        call(() -> token(f, alice).approve(hubAddress(f), big(4)).send());
        Balance before = alice.balance();

        assertRevert(() -> alice.hub().deposit(big(5)).send(), "ERC20InsufficientAllowance",
                "token allowance of " + a(hubAddress(f)) + " is 4 but 5 are needed: approve the hub first");

        assertThat(alice.balance()).isEqualTo(before);
        call(() -> token(f, alice).approve(hubAddress(f), BigInteger.ZERO).send());
    }

    @Test
    void sumOfAllBalancesEqualsTheHubsTokensAfterMixedOperations() {
        GridClient alice = f.workers.get(0);
        GridClient bob = f.workers.get(1);
        alice.deposit(big(10_000));
        bob.withdraw(big(2_500));
        call(() -> token(f, alice).approve(hubAddress(f), big(40)).send());
        call(() -> alice.hub().depositFor(bob.address(), big(40)).send());
        MarketTestSupport.matchAsRequester(f, MarketTestSupport.ordersWithDataset(f, 3));
        alice.withdraw(big(1));

        assertThat(f.escrowTotal(List.of())).isEqualTo(f.hubTokens());
        assertThat(f.hubTokens()).isPositive();
    }
}
