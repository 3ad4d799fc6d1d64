package io.gridchain.protocol;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of tests that share one running local protocol per test class. */
public abstract class FixtureTest {
    protected static Fixture f;

    @BeforeAll
    static void startFixture() {
        f = new Fixture();
    }

    @AfterAll
    static void stopFixture() {
        if (f != null) f.close();
        f = null;
    }
}
