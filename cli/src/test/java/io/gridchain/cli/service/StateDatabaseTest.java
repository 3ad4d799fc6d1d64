package io.gridchain.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.cli.UserError;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class StateDatabaseTest {
    @Test
    void aPostgresqlUrlBecomesAJdbcUrlAndCredentials() {
        StateDatabase db = StateDatabase.parse("postgresql://pool:s%40cret@db.local:6543/gridchain?sslmode=require");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/gridchain?sslmode=require");
        assertThat(db.user()).isEqualTo("pool");
        assertThat(db.password()).isEqualTo("s@cret");
        assertThat(db.describe()).doesNotContain("cret");

        StateDatabase plain = StateDatabase.parse("postgres://db.local/gridchain");
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5432/gridchain");
        assertThat(plain.user()).isNull();
    }

    @Test
    void sqliteIsTheDefault() {
        assertThat(StateDatabase.parse(null).postgres()).isFalse();
        assertThat(StateDatabase.parse("sqlite").postgres()).isFalse();
    }

    @Test
    void aMalformedUrlIsAUsageErrorThatHidesThePassword() {
        for (String bad : new String[] {"mysql://u:pw@h/db", "postgresql://u:pw@h", "postgresql:///db", "db.local",
                "postgresql://u:pw@h/a/b"}) {
            assertThatThrownBy(() -> StateDatabase.parse(bad)).as(bad).isInstanceOfSatisfying(UserError.class, e -> {
                assertThat(e.exitCode()).isEqualTo(UserError.USAGE);
                assertThat(e.getMessage()).startsWith("--db must be").doesNotContain(":pw@");
            });
        }
    }

    @Test
    void anUnreachableServerIsNamedWithExitCode3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        StateDatabase db = StateDatabase.parse("postgresql://u:p@127.0.0.1:" + port + "/gridchain");
        assertThatThrownBy(db::requireReachable).isInstanceOfSatisfying(UserError.class, e -> {
            assertThat(e.exitCode()).isEqualTo(UserError.UNREACHABLE);
            assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("--db");
        });
    }
}
