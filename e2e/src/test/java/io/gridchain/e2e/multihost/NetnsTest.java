package io.gridchain.e2e.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.local.LocalChain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness itself: hosts reach each other and the lab over the bridge only, and a cut link cuts them. */
class NetnsTest {
    private static final String CHAIN_ID = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}";

    @Test
    void oneHostReachesAnotherUntilItsLinkIsCut() throws Exception {
        try (Netns net = Netns.create(); HostProcesses procs = new HostProcesses(net, "netns-" + System.nanoTime())) {
            Netns.Host chain = net.add("chain");
            Netns.Host peer = net.add("peer");
            assertThat(chain.address()).isNotEqualTo(peer.address()).doesNotStartWith("127.");

            var anvil = procs.start("anvil", chain, Map.of(), List.of(LocalChain.findAnvil().toString(),
                    "--host", chain.address(), "--port", "8545", "--prune-history", "64"));
            HostProcesses.await(anvil, "Listening on", Duration.ofSeconds(20));
            String rpc = "http://" + chain.address() + ":8545";

            assertThat(curl(net, peer, rpc).out()).contains("\"result\":\"0x7a69\"");
            assertThat(labPost(rpc)).contains("\"result\":\"0x7a69\"");
            // nothing answers on the peer's own loopback: the chain is only on the chain host's address
            assertThat(curl(net, peer, "http://127.0.0.1:8545").ok()).isFalse();

            net.linkDown(peer);
            assertThat(curl(net, peer, rpc).ok()).as("the cut host reaches nothing").isFalse();
            assertThat(labPost(rpc)).as("the others still reach the chain").contains("0x7a69");
            net.linkUp(peer);
            assertThat(curl(net, peer, rpc).out()).contains("\"result\":\"0x7a69\"");
        }
    }

    private static Netns.Result curl(Netns net, Netns.Host from, String url) {
        return net.exec(from, "curl", "-sS", "--max-time", "2", "-H", "Content-Type: application/json", "-d",
                CHAIN_ID, url);
    }

    private static String labPost(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAIN_ID)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
