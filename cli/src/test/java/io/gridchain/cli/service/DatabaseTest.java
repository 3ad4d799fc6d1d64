package io.gridchain.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.cli.UserError;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    @Test
    void aPostgresUrlBecomesTheJdbcUrlAndDecodedCredentials() {
        Database d = Database.parse("postgresql://grid%40chain:p%40ss:w+rd@db.example.org:6543/grid?sslmode=require");
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6543/grid?sslmode=require");
        assertThat(d.user()).isEqualTo("grid@chain");
        assertThat(d.password()).isEqualTo("p@ss:w+rd");
        assertThat(d.where()).isEqualTo("db.example.org:6543");
        assertThat(d.toString()).doesNotContain("p@ss");
        Database defaults = Database.parse("postgres://me@127.0.0.1/db");
        assertThat(defaults.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/db");
        assertThat(defaults.password()).isNull();
    }

    @Test
    void malformedUrlsAreUsageErrorsThatHideThePassword() {
        for (String bad : new String[] {"mysql://u:secret@h/db", "postgresql://u:secret@/db", "postgresql://h:5432/db",
            "postgresql://u:secret@h:5432", "postgresql://u:secret@h:port/db", "not a url"}) {
            assertThatThrownBy(() -> Database.parse(bad)).as(bad).isInstanceOfSatisfying(UserError.class, e -> {
                assertThat(e.exitCode()).isEqualTo(2);
                assertThat(e.getMessage()).startsWith("--db must be a PostgreSQL URL like").doesNotContain("secret");
            });
        }
    }
}
