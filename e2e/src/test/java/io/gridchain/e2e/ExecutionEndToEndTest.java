package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.ResultEncryption;
import io.gridchain.apps.ExampleApps;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.ResultArchive;
import io.gridchain.runtime.ResultDigest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

class ExecutionEndToEndTest {
    static LocalPool pool;

    @BeforeAll
    static void start() {
        pool = new LocalPool(3);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void aDealFlowsToThreeWorkersToConsensusAndTheDownloadedResultEqualsALocalRun() throws Exception {
        String app = pool.publish("primes");
        BigInteger requesterBefore = pool.requester().balance().free();
        DealRecord deal = pool.request(app, "100000", 3, 5);

        LocalPool.await("3 certified tasks", Duration.ofSeconds(60), () -> {
            for (long i = 0; i < 3; i++) {
                if (pool.requester().taskStatus(deal.taskId(i)) != GridClient.TaskStatus.FINALIZED) return false;
            }
            return true;
        });

        for (long i = 0; i < 3; i++) {
            String taskId = deal.taskId(i);
            String certified = pool.requester().resultDigest(taskId);
            var download = pool.get("/v1/results/" + certified);
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(LocalPool.sha256(download.body())).isEqualTo(certified);

            Path downloaded = Files.createTempDirectory("download");
            ResultArchive.decode(download.body(), downloaded);
            Path local = Files.createTempDirectory("local").resolve("out");
            ExecutionResult run = pool.runtime().run(ExecutionRequest.of("primes", ExampleApps.load("primes"), local)
                    .withArgs("100000").withSeed(Numeric.toBigInt(taskId).longValue()));
            assertThat(run.succeeded()).isTrue();
            assertThat(ResultDigest.of(downloaded)).isEqualTo(ResultDigest.of(local)).isEqualTo(certified);
            assertThat(Files.readString(downloaded.resolve("result.txt"), StandardCharsets.UTF_8))
                    .isEqualTo("primes below 100000: 9592\n");

            JsonNode view = new ObjectMapper().readTree(pool.get("/v1/tasks/" + taskId).body());
            assertThat(view.get("status").asText()).isEqualTo("FINALIZED");
            assertThat(view.get("digest").asText()).isEqualTo(certified);
        }
        assertThat(pool.requester().balance().free())
                .isEqualTo(requesterBefore.subtract(BigInteger.valueOf(3 * (LocalPool.APP_PRICE + LocalPool.POOL_PRICE))));
    }

    @Test
    void anEncryptedResultIsServedSealedAndOnlyTheBeneficiaryOpensIt() throws Exception {
        String app = pool.publish("primes");
        var key = pool.net().accounts().get(4).getEcKeyPair();
        String publicKey = Numeric.toHexStringWithPrefixZeroPadded(key.getPublicKey(), 128);
        DealRecord deal = pool.request(app, "{\"args\": \"1000\", \"encryptTo\": \"" + publicKey + "\"}", 1, 5);
        String taskId = deal.taskId(0);
        LocalPool.await("the certified task", Duration.ofSeconds(60),
                () -> pool.requester().taskStatus(taskId) == GridClient.TaskStatus.FINALIZED);

        String certified = pool.requester().resultDigest(taskId);
        var download = pool.get("/v1/results/" + certified);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue(ResultEncryption.HEADER)).hasValue(ResultEncryption.SCHEME);
        assertThat(LocalPool.sha256(download.body())).as("served sealed, not in the clear").isNotEqualTo(certified);
        byte[] archive = ResultEncryption.open(download.body(), key.getPrivateKey());
        assertThat(LocalPool.sha256(archive)).isEqualTo(certified);
        Path opened = Files.createTempDirectory("opened");
        ResultArchive.decode(archive, opened);
        assertThat(Files.readString(opened.resolve("result.txt"), StandardCharsets.UTF_8))
                .isEqualTo("primes below 1000: 168\n");
    }
}
