package io.gridchain.scheduler.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link StateStoreContract} on PostgreSQL: a throwaway cluster ({@link TestPostgres}) for the
 * class, a new database per test. Skipped, not failed, where no PostgreSQL server can be started.
 */
class PostgresStateStoreTest extends StateStoreContract {
    private static TestPostgres cluster;

    private String url;

    @BeforeAll
    static void startCluster() throws Exception {
        var why = TestPostgres.unavailable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "PostgreSQL tests skipped: " + why.orElse(""));
        cluster = TestPostgres.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) cluster.close();
        cluster = null;
    }

    @Override
    protected void prepareStorage() throws Exception {
        url = cluster.createDatabase();
    }

    @Override
    protected StateStore open() {
        return JdbcStateStore.postgres(url, cluster.user(), "");
    }
}
