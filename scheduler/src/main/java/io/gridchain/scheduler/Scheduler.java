package io.gridchain.scheduler;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.BoundState;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.http.HttpMetrics;
import io.gridchain.scheduler.api.HttpLimits;
import io.gridchain.scheduler.api.WorkerHttpApi;
import io.gridchain.scheduler.delivery.DeliveryStore;
import io.gridchain.scheduler.metrics.Census;
import io.gridchain.scheduler.metrics.SchedulerMetrics;
import io.gridchain.scheduler.requester.TaskLogs;
import io.gridchain.scheduler.results.FileResultStore;
import io.gridchain.scheduler.state.JdbcStateStore;
import io.gridchain.scheduler.state.StateBinding;
import io.gridchain.scheduler.state.StateStore;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/** A running scheduler: chain connection, state, result store, planning loop and HTTP API. */
public final class Scheduler implements AutoCloseable {
    /**
     * @param key the workerpool owner's key (the scheduler signs and pays for finalization)
     * @param dataDir where the SQLite state and the result store live
     * @param postgresUrl a JDBC URL to keep state in PostgreSQL instead of SQLite; null for SQLite
     * @param freshOnMismatch whether state saved on another chain may be discarded (a devnet): the scheduler then
     *     starts fresh instead of refusing to start
     */
    public record Config(String rpcUrl, Protocol.Addresses addresses, Credentials key, String workerpool, String host,
            int port, Path dataDir, String postgresUrl, String postgresUser, String postgresPassword,
            SchedulerService.Options options, boolean freshOnMismatch) {

        /** A config that refuses state of another chain. */
        public Config(String rpcUrl, Protocol.Addresses addresses, Credentials key, String workerpool, String host,
                int port, Path dataDir, String postgresUrl, String postgresUser, String postgresPassword,
                SchedulerService.Options options) {
            this(rpcUrl, addresses, key, workerpool, host, port, dataDir, postgresUrl, postgresUser, postgresPassword,
                    options, false);
        }

        public static Config local(String rpcUrl, Protocol.Addresses addresses, Credentials key, String workerpool,
                Path dataDir) {
            return new Config(rpcUrl, addresses, key, workerpool, "127.0.0.1", 0, dataDir, null, null, null,
                    SchedulerService.Options.DEFAULT);
        }

        public Config withOptions(SchedulerService.Options value) {
            return new Config(rpcUrl, addresses, key, workerpool, host, port, dataDir, postgresUrl, postgresUser,
                    postgresPassword, value, freshOnMismatch);
        }

        public Config withPort(int value) {
            return new Config(rpcUrl, addresses, key, workerpool, host, value, dataDir, postgresUrl, postgresUser,
                    postgresPassword, options, freshOnMismatch);
        }

        public Config withFreshOnMismatch(boolean value) {
            return new Config(rpcUrl, addresses, key, workerpool, host, port, dataDir, postgresUrl, postgresUser,
                    postgresPassword, options, value);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private static final long MAX_UPLOAD_BYTES = 256L << 20;

    private final ChainClient chain;
    private final SchedulerService service;
    private final WorkerHttpApi api;
    private final String host;
    private final boolean https;

    private Scheduler(ChainClient chain, SchedulerService service, WorkerHttpApi api, String host, boolean https) {
        this.chain = chain;
        this.service = service;
        this.api = api;
        this.host = host;
        this.https = https;
    }

    public static Scheduler start(Config config) {
        return start(config, null);
    }

    /**
     * Starts a scheduler whose API serves HTTPS only with {@code tls} ({@link io.gridchain.protocol.http.Tls
     * #serverContext}), or plain HTTP when it is null. Its figures are on {@code GET /metrics} either way.
     */
    public static Scheduler start(Config config, SSLContext tls) {
        ChainClient chain = ChainClient.connect(config.rpcUrl());
        StateStore store = null;
        try {
            GridClient client = Protocol.at(chain, config.addresses()).as(config.key());
            ChainBinding node = ChainBinding.read(chain, config.addresses().hub());
            boolean postgres = config.postgresUrl() != null;
            JdbcStateStore jdbc = postgres
                    ? JdbcStateStore.postgres(config.postgresUrl(), config.postgresUser(), config.postgresPassword())
                    : JdbcStateStore.sqlite(config.dataDir().resolve("scheduler.db"));
            store = jdbc;
            Path resultsDir = config.dataDir().resolve("results");
            String where = postgres ? "PostgreSQL database " + config.postgresUrl()
                    : config.dataDir().toAbsolutePath().toString();
            BoundState.Outcome bound = StateBinding.ensure(jdbc, resultsDir, where, postgres, node, config.rpcUrl(),
                    config.freshOnMismatch());
            if (bound.action() == BoundState.Action.WIPE_AND_BIND) log.warn("{}", bound.describe());
            else log.info("{}", bound.describe());
            FileResultStore results = new FileResultStore(resultsDir);
            SchedulerService service = new SchedulerService(client, config.workerpool(), store, results,
                    config.options(), new TaskLogs(config.dataDir().resolve("logs")),
                    new DeliveryStore(config.dataDir().resolve("delivery"))).start();
            long lostAfter = config.options().lifecycle().workerLostAfter();
            SchedulerMetrics metrics = new SchedulerMetrics(
                    () -> service.read(live -> Census.of(live, System.currentTimeMillis(), lostAfter)), chain::head);
            service.onBatchLanded(metrics::batchLanded);
            WorkerHttpApi api = new WorkerHttpApi(service, config.host(), config.port(),
                    HttpLimits.DEFAULT.withMaxUploadBytes(MAX_UPLOAD_BYTES), tls,
                    app -> HttpMetrics.install(app, metrics.registry(), SchedulerMetrics.PREFIX, metrics::scrape));
            return new Scheduler(chain, service, api, config.host(), tls != null);
        } catch (RuntimeException e) {
            if (store != null) store.close();
            chain.close();
            throw e;
        }
    }

    /** The base URL workers and requesters use, e.g. http://127.0.0.1:8080 (https:// with TLS). */
    public String url() {
        return (https ? "https://" : "http://") + host + ":" + api.port();
    }

    public SchedulerService service() {
        return service;
    }

    @Override
    public void close() {
        api.close();
        service.close();
        chain.close();
    }
}
