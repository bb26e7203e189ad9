package io.seedtest.analytics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  @Test
  void parsesThePlatformFormAndKeepsThePasswordOutOfTheJdbcUrl() {
    DatabaseUrl u = DatabaseUrl.parse("postgresql://analytics:p%40ss%3Aword@db.internal:6543/seedtest?sslmode=require");

    assertThat(u.host()).isEqualTo("db.internal");
    assertThat(u.port()).isEqualTo(6543);
    assertThat(u.database()).isEqualTo("seedtest");
    assertThat(u.user()).isEqualTo("analytics");
    assertThat(u.properties().getProperty("password")).isEqualTo("p@ss:word");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/seedtest?sslmode=require");
    assertThat(u.toString()).isEqualTo("postgresql://analytics:***@db.internal:6543/seedtest").doesNotContain("p@ss");
  }

  @Test
  void parsesJdbcUrlsWithCredentialsAsParameters() {
    DatabaseUrl u = DatabaseUrl.parse("jdbc:postgresql://localhost/seedtest?user=etl&password=hunter2&currentSchema=x");

    assertThat(u.port()).isEqualTo(5432);
    assertThat(u.user()).isEqualTo("etl");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/seedtest?currentSchema=x").doesNotContain("hunter2");
    assertThat(u.sparkOptions()).containsEntry("password", "hunter2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://u:topsecret@h/db", "postgresql://u:topsecret@/db", "postgresql://u:topsecret@h",
      "postgresql://h:5432/db", "postgresql://u:topsecret@h:notaport/db"})
  void rejectsBadUrlsWithOneLineThatNeverShowsThePassword(String raw) {
    assertThatThrownBy(() -> DatabaseUrl.parse(raw))
        .isInstanceOf(SeedtestException.class)
        .hasMessageStartingWith("DATABASE_URL '")
        .hasMessageNotContaining("topsecret")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
