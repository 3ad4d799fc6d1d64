package io.gridchain.e2e.multihost;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The whole network across namespaces: a requester deploys, publishes, runs a bag and downloads every result. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiHostTest {
    private Lab lab;

    @BeforeAll
    void network() {
        lab = Lab.start("multihost-" + ProcessHandle.current().pid(), 3);
    }

    @AfterAll
    void down() {
        if (lab != null) lab.close();
    }

    @Test
    void aRequesterRunsABagAcrossHostsAndDownloadsEveryResult() throws Exception {
        Ledger.Run run = Ledger.finish(lab.run("200000", 6, 5), Duration.ofSeconds(120));
        new Ledger(lab).assertDelivered(run, 6);
    }
}
