package io.gridchain.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.cli.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The waiter's messages and stopping rules, with a fake clock and failures injected (no network). */
class WaiterTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong chainTime = new AtomicLong(1_000);

    private Waiter waiter(long deadline) {
        return new Waiter("watch", new Backoff(1, 2), chainTime::get, deadline, ": claim a refund",
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void waitsOutRefusedConnectionsSayingWhyAndUntilWhen() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String answer = waiter(2_000).call("scheduler", "http://h:1", () -> {
            if (calls.incrementAndGet() < 3) throw Unanswered.of(new ConnectException()); // its message is null
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(err()).contains("[watch] the scheduler at http://h:1 is unreachable (connection refused); "
                + "retrying in ").contains("until the deal's deadline 1970-01-01T00:33:20Z")
                .contains("[watch] the scheduler at http://h:1 answers again").doesNotContain("null");
    }

    @Test
    void givesUpAtTheDeadlineNamingTheService() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> waiter(1_005).call("scheduler", "http://h:1", () -> {
            if (calls.incrementAndGet() == 3) chainTime.set(1_005); // the chain reaches the deadline meanwhile
            throw new Unanswered(503, "starting");
        })).isInstanceOf(UserError.class).satisfies(e -> assertThat(e.getMessage())
                .isEqualTo("the scheduler at http://h:1 answered 503 (starting), and the deal's deadline "
                        + "1970-01-01T00:16:45Z has passed: claim a refund"));
        assertThat(calls).hasValue(3);
    }

    @Test
    void aRefusalIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> waiter(2_000).call("scheduler", "http://h:1", () -> {
            calls.incrementAndGet();
            throw new Unanswered(401, "authentication refused");
        })).isInstanceOf(UserError.class).hasMessage("the scheduler at http://h:1 answered 401 (authentication refused)");
        assertThat(calls).hasValue(1);
        assertThat(err()).isEmpty();
    }
}
