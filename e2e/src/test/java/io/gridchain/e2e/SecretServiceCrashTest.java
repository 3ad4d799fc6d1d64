package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.ResultEncryption;
import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsApi.Kind;
import io.gridchain.api.sms.SmsClient;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.cli.Main;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/** `gridchain sms start` killed with SIGKILL and started again on its directory keeps every secret and log entry. */
class SecretServiceCrashTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aServiceKilledWithSigkillKeepsItsKeySecretsLogAndAnsweredRequests() throws Exception {
        try (LocalPool pool = new LocalPool(0); Processes processes = new Processes(dir)) {
            Path config = dir.resolve("config.json");
            Config.empty().withProfile("local", Profile.of(pool.net().rpcUrl(), pool.net().chain().chainId(),
                    pool.net().protocol().addresses())).withCurrentProfile("local").save(config);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String url = "http://127.0.0.1:" + port;
            String[] start = {"sms", "start", "--config", config.toString(), "--data", dir.resolve("sms").toString(),
                "--port", Integer.toString(port)};
            Process first = processes.start("sms-1", Main.class, "running", start);
            SmsClient client = new SmsClient(null);
            SmsApi.Info before = client.info(url);

            Credentials owner = pool.net().accounts().get(2);
            Credentials requester = pool.net().accounts().get(4);
            Credentials worker = pool.net().accounts().get(5);
            String app = pool.publish("salestats");
            String dataset = Words.canonical(pool.net().client(2).createDataset("ledger", "file:///l.gcds",
                    "0x" + "cd".repeat(32)));
            push(client, url, before, owner, Kind.DATASET, dataset, SmsApi.DATASET_KEY, "33".repeat(32));
            push(client, url, before, requester, Kind.REQUESTER, requester.getAddress(), "API_KEY", "kept-across-kill");
            DealRecord deal = deal(pool, app, dataset);
            ECKeyPair ephemeral = Keys.createEcKeyPair();
            SmsApi.Signed answered = Signatures.sign(JSON.writeValueAsString(release(pool, before, deal, dataset,
                    worker, requester, ephemeral)), worker);
            assertThat(post(url, answered).statusCode()).isEqualTo(200);
            SmsApi.Signed forged = Signatures.sign(JSON.writeValueAsString(new SmsApi.Release(before.address(),
                    deal.dealId(), 0, worker.getAddress(), "0x" + "00".repeat(65), publicKey(ephemeral), dataset, null,
                    null, List.of(), System.currentTimeMillis() / 1000, Signatures.nonce())), worker);
            assertThat(post(url, forged).statusCode()).isEqualTo(403);

            Processes.kill(first);
            processes.start("sms-2", Main.class, "running", start);
            SmsClient fresh = new SmsClient(null);
            assertThat(fresh.info(url)).as("the same identity: pushed secrets stay sealed to its key").isEqualTo(before);
            ECKeyPair again = Keys.createEcKeyPair();
            SmsApi.Released released = fresh.post(url, SmsApi.RELEASE, release(pool, before, deal, dataset, worker,
                    requester, again), worker, SmsApi.Released.class);
            SmsApi.Secrets secrets = JSON.readValue(ResultEncryption.open(Numeric.hexStringToByteArray(
                    released.sealed()), again.getPrivateKey()), SmsApi.Secrets.class);
            assertThat(secrets.datasetKey()).isEqualTo("33".repeat(32));
            assertThat(secrets.requester()).containsEntry("API_KEY", "kept-across-kill");
            var replay = post(url, answered);
            assertThat(replay.statusCode()).isEqualTo(403);
            assertThat(new String(replay.body(), StandardCharsets.UTF_8)).contains("was already answered");
            SmsApi.Log log = fresh.post(url, SmsApi.LOG, new SmsApi.LogQuery(before.address(), 0,
                    System.currentTimeMillis() / 1000, Signatures.nonce()), owner, SmsApi.Log.class);
            assertThat(log.entries()).extracting(SmsApi.LogEntry::released).containsExactly(true, false, true, false);
            assertThat(log.entries().get(1).reason()).contains("is not signed by");
        }
    }

    static DealRecord deal(LocalPool pool, String app, String dataset) {
        GridClient owner = pool.net().client(2);
        DatasetOrder datasetOrder = DatasetOrder.of(dataset, 1, 100);
        RequestOrder request = RequestOrder.of(pool.requester().address(), app, LocalPool.APP_PRICE,
                LocalPool.POOL_PRICE, 1, 0, 1).withDataset(dataset, 1).withParams("{\"secrets\": [\"API_KEY\"]}");
        AppOrder appOrder = pool.appOrder(app);
        WorkerpoolOrder poolOrder = pool.poolOrder();
        return pool.requester().matchOrders(appOrder, datasetOrder, poolOrder, request, pool.appOwner().sign(appOrder),
                owner.sign(datasetOrder), pool.schedulerOwner().sign(poolOrder), new byte[0]);
    }

    static SmsApi.Release release(LocalPool pool, SmsApi.Info sms, DealRecord deal, String dataset,
            Credentials worker, Credentials requester, ECKeyPair ephemeral) {
        String authorization = Signatures.authorize(pool.net().chain().chainId(),
                pool.net().protocol().addresses().hub(), deal.taskId(0), worker.getAddress(),
                pool.net().accounts().get(3));
        return new SmsApi.Release(sms.address(), deal.dealId(), 0, worker.getAddress(), authorization,
                publicKey(ephemeral), dataset, null, requester.getAddress(), List.of("API_KEY"),
                System.currentTimeMillis() / 1000, Signatures.nonce());
    }

    static void push(SmsClient client, String url, SmsApi.Info info, Credentials signer, Kind kind, String subject,
            String name, String value) {
        client.post(url, SmsApi.SECRETS, new SmsApi.Push(info.address(), kind, subject, name,
                Numeric.toHexString(ResultEncryption.seal(value.getBytes(StandardCharsets.UTF_8), info.publicKey())),
                System.currentTimeMillis() / 1000, Signatures.nonce()), signer, SmsApi.Ack.class);
    }

    static HttpResponse<byte[]> post(String url, SmsApi.Signed signed) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + SmsApi.RELEASE))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(signed))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String publicKey(ECKeyPair key) {
        return Numeric.toHexStringWithPrefixZeroPadded(key.getPublicKey(), 128);
    }
}
