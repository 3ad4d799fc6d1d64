package io.gridchain.protocol.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

class LocalChainTest {

    /**
     * Hand-assembled contract, independent of the Solidity sources: every call emits
     * LOG1(topic0 = 0x2a, no data). Init code copies the 8-byte runtime {@code 602a60006000a100}.
     */
    private static final String EMITTER_INIT = "0x6008600c60003960086000f3" + "602a60006000a100";
    private static final String TOPIC_2A = "0x" + "0".repeat(62) + "2a";

    @Test
    void startsAnswersAndStopsCleanly() throws Exception {
        LocalChain chain = LocalChain.start();
        int port;
        try {
            port = chain.port();
            assertThat(chain.rpcUrl()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(chain.chainId()).isEqualTo(31337L);
            assertThat(chain.devPrivateKeys()).hasSize(10);

            Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
            try {
                assertThat(web3j.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(31337));
                assertThat(web3j.ethBlockNumber().send().getBlockNumber()).isEqualTo(BigInteger.ZERO);

                // the hardcoded keys are the accounts anvil derived from the dev mnemonic, all funded
                List<String> accounts = web3j.ethAccounts().send().getAccounts();
                List<String> fromKeys = chain.devPrivateKeys().stream()
                        .map(k -> Credentials.create(k).getAddress())
                        .collect(Collectors.toList());
                assertThat(accounts).containsExactlyElementsOf(fromKeys);
                BigInteger balance = web3j.ethGetBalance(fromKeys.get(9), DefaultBlockParameterName.LATEST)
                        .send().getBalance();
                assertThat(balance).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(10_000)));
            } finally {
                web3j.shutdown();
            }
        } finally {
            chain.close();
        }
        assertThat(chain.isAlive()).isFalse();
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            }
        }).isInstanceOf(IOException.class);
        chain.close(); // idempotent
    }

    /**
     * With --prune-history, are logs of old blocks still served by eth_getLogs from block 0?
     * (Mines 25 blocks, each with one log-emitting call.)
     */
    @Test
    void oldLogsSurvivePruneHistory() throws Exception {
        try (LocalChain chain = LocalChain.start()) {
            Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
            try {
                Credentials dev = Credentials.create(chain.devPrivateKeys().get(1));
                PollingTransactionReceiptProcessor receipts = new PollingTransactionReceiptProcessor(web3j, 20, 500);
                RawTransactionManager txm = new RawTransactionManager(web3j, dev, chain.chainId(), receipts);
                BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice().multiply(BigInteger.TWO);
                BigInteger gas = BigInteger.valueOf(100_000);

                String hash = txm.sendTransaction(gasPrice, gas, null, EMITTER_INIT, BigInteger.ZERO, true)
                        .getTransactionHash();
                TransactionReceipt deployed = receipts.waitForTransactionReceipt(hash);
                String emitter = deployed.getContractAddress();
                assertThat(emitter).isNotNull();

                int calls = 25;
                for (int i = 0; i < calls; i++) {
                    String h = txm.sendTransaction(gasPrice, gas, emitter, "0x", BigInteger.ZERO).getTransactionHash();
                    TransactionReceipt r = receipts.waitForTransactionReceipt(h);
                    assertThat(r.getLogs()).hasSize(1);
                }
                BigInteger head = web3j.ethBlockNumber().send().getBlockNumber();
                assertThat(head).isEqualTo(BigInteger.valueOf(calls + 1)); // lone txs mine one block each

                EthFilter filter = new EthFilter(
                        DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST, emitter);
                filter.addSingleTopic(TOPIC_2A);
                EthLog logs = web3j.ethGetLogs(filter).send();
                assertThat(logs.hasError()).as("eth_getLogs error: %s",
                        logs.hasError() ? logs.getError().getMessage() : "").isFalse();
                assertThat(logs.getLogs()).hasSize(calls);
                EthLog.LogObject first = (EthLog.LogObject) logs.getLogs().get(0);
                assertThat(first.getBlockNumber()).isEqualTo(BigInteger.TWO);
            } finally {
                web3j.shutdown();
            }
        }
    }

    @Test
    void findsAnvilInContractsNodeModules() {
        // only meaningful when the env override is not set by the caller
        if (System.getenv(LocalChain.ANVIL_ENV) != null) return;
        assertThat(LocalChain.findAnvil().toString()).endsWith("/bin/anvil");
    }
}
