package io.gridchain.protocol.attacks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the attack tests: one real anvil with the protocol deployed per test class. */
abstract class AttackTest {
    static AttackKit k;

    @BeforeAll
    static void startChain() {
        k = new AttackKit();
    }

    @AfterAll
    static void stopChain() {
        if (k != null) k.close();
        k = null;
    }
}
