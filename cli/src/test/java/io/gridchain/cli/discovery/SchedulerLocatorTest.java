package io.gridchain.cli.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Settings;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulerLocatorTest {
    private static final String POOL = "0x1111111111111111111111111111111111111111";

    @Test
    void thePublishedUrlIsUsedWhenNothingOverridesIt() {
        SchedulerLocator.Located l = SchedulerLocator.choose(null, Optional.of("http://203.0.113.7:8082/"), POOL);
        assertThat(l.url()).isEqualTo("http://203.0.113.7:8082");
        assertThat(l.source()).contains("on-chain").contains(POOL);
    }

    @Test
    void anOverrideWinsOverThePublishedUrl() {
        SchedulerLocator.Located l = SchedulerLocator.choose(new Settings.Value("https://tunnel:9000",
                "env GRIDCHAIN_SCHEDULER"), Optional.of("http://203.0.113.7:8082"), POOL);
        assertThat(l).isEqualTo(new SchedulerLocator.Located("https://tunnel:9000", "env GRIDCHAIN_SCHEDULER"));
    }

    @Test
    void aPoolWithoutUrlSaysWhatToDoInOneLine() {
        assertThatThrownBy(() -> SchedulerLocator.choose(null, Optional.empty(), POOL))
                .isInstanceOf(UserError.class)
                .hasMessage("pool " + POOL + " has published no API URL: its owner runs `gridchain pool set-api "
                        + POOL + " URL`, or set GRIDCHAIN_SCHEDULER");
    }

    @Test
    void aPublishedUrlThatIsNotHttpIsRefusedNamingThePool() {
        assertThatThrownBy(() -> SchedulerLocator.choose(null, Optional.of("ftp://x/"), POOL))
                .isInstanceOf(UserError.class).hasMessageContaining("the API URL of pool " + POOL)
                .hasMessageContaining("must be an http(s) URL").hasMessageNotContaining("\n");
    }

    @Test
    void onlyHttpUrlsWithAHostPass() {
        assertThat(SchedulerLocator.httpUrl("URL", " https://pool.example.org// ")).isEqualTo("https://pool.example.org");
        for (String bad : new String[] {"pool.example.org:8082", "http://", "file:///etc/passwd", "http://a b", ""}) {
            assertThatThrownBy(() -> SchedulerLocator.httpUrl("URL", bad)).isInstanceOf(UserError.class)
                    .hasMessageStartingWith("URL must be an http(s) URL");
        }
    }
}
