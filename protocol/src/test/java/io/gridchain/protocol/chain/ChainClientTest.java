package io.gridchain.protocol.chain;

import io.gridchain.protocol.FixtureTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.errors.RevertException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameterName;

class ChainClientTest extends FixtureTest {
    @Test
    void concurrentSendsFromOneAccountAllLandWithConsecutiveNonces() throws Exception {
        GridClient owner = f.appOwner;
        long nonceBefore = nonce(owner.address());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> apps = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                apps.add(pool.submit(() -> owner.createApp("app-" + n, "wasm", "http://x/" + n, Fixture.digest("c" + n))));
            }
            Set<String> created = new HashSet<>();
            for (Future<String> app : apps) created.add(app.get());
            assertThat(created).hasSize(24);
        } finally {
            pool.shutdown();
        }
        assertThat(nonce(owner.address())).isEqualTo(nonceBefore + 24);
    }

    @Test
    void aRevertingTransactionIsRefusedBeforeItIsSentAndCostsNothing() throws Exception {
        GridClient requester = f.requester;
        long nonceBefore = nonce(requester.address());
        BigInteger ethBefore = eth(requester.address());
        Balance before = requester.balance();
        BigInteger tooMuch = before.free().add(BigInteger.ONE);

        assertThatThrownBy(() -> requester.withdraw(tooMuch))
                .isInstanceOf(RevertException.class)
                .hasMessage("account " + requester.address().toLowerCase() + " has " + before.free()
                        + " free tokens but " + tooMuch + " are needed: deposit more")
                .extracting(e -> ((RevertException) e).errorName()).isEqualTo("InsufficientFreeBalance");

        assertThat(nonce(requester.address())).isEqualTo(nonceBefore);
        assertThat(eth(requester.address())).isEqualTo(ethBefore);
        requester.withdraw(BigInteger.ONE); // the local nonce was not burnt: the next send goes through
        assertThat(requester.balance().free()).isEqualTo(before.free().subtract(BigInteger.ONE));
    }

    @Test
    void aSecondConnectionUsesContractsAlreadyDeployed() {
        Protocol.Addresses addresses = f.net.protocol().addresses();
        try (ChainClient other = ChainClient.connect(f.net.rpcUrl())) {
            Protocol existing = Protocol.at(other, addresses);
            GridClient worker = existing.as(f.credentials(f.workers.get(4)));
            Balance before = worker.balance();
            worker.deposit(BigInteger.TEN);
            assertThat(f.owner.balanceOf(worker.address()).free()).isEqualTo(before.free().add(BigInteger.TEN));
            assertThat(existing.domain()).isEqualTo(f.net.protocol().domain());
        }
    }

    @Test
    void anUnreachableRpcUrlFailsWithOneActionableLine() {
        assertThatThrownBy(() -> ChainClient.connect("http://127.0.0.1:1"))
                .isInstanceOf(ChainUnreachableException.class)
                .hasMessageStartingWith("cannot reach an Ethereum node at http://127.0.0.1:1")
                .hasMessageEndingWith("check the RPC URL and that the node is running")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static long nonce(String address) throws Exception {
        return f.net.chain().web3j().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send()
                .getTransactionCount().longValueExact();
    }

    private static BigInteger eth(String address) throws Exception {
        return f.net.chain().web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }
}
