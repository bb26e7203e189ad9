package io.seedtest.analytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an engineer sees at 2 a.m. when DATABASE_URL is wrong: one line on stderr, a non-zero
 * exit code, no stack trace, never the password. (The local server trusts every login, so a
 * wrong password cannot be refused here; an unknown role is the same SQLSTATE class, 28.)
 */
@Tag("spark")
@Tag("postgres")
class DatabaseUrlErrorsCliTest {
  private static final String SECRET = "Sup3r-s3cret-pw";

  @TempDir
  Path lake;

  @BeforeAll
  static void spark() {
    SparkTestSession.get();
  }

  private record Result(int exit, String out, String err) {}

  private Result run(String url) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SeedtestCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
        "aggregate-features-daily", "--date", "2026-11-20", "--database-url", url, "--lake", lake.toString());
    return new Result(exit, out.toString(), err.toString());
  }

  private static void assertOneCleanLine(Result r) {
    assertThat(r.err.strip().lines()).as("stderr: %s", r.err).hasSize(1);
    assertThat(r.err).startsWith("seedtest: ").doesNotContain(SECRET).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(r.out).doesNotContain(SECRET);
  }

  @Test
  void wrongHost() {
    Result r = run("postgresql://analytics:" + SECRET + "@127.0.0.1:1/seedtest");

    assertThat(r.exit).isEqualTo(5);
    assertOneCleanLine(r);
    assertThat(r.err).contains("Cannot connect to PostgreSQL at postgresql://analytics:***@127.0.0.1:1/seedtest");
  }

  @Test
  void wrongCredentialsAreConfigurationNotARetry() {
    Result r = run("postgresql://no_such_role_x:" + SECRET + "@127.0.0.1:5432/postgres");

    assertThat(r.exit).isEqualTo(2);
    assertOneCleanLine(r);
    assertThat(r.err).contains("no_such_role_x").contains("refused the login").contains("28000");
  }

  @Test
  void wrongDatabaseNameIsConfigurationNotARetry() {
    Result r = run("postgresql://postgres:" + SECRET + "@127.0.0.1:5432/no_such_database_x");

    assertThat(r.exit).isEqualTo(2);
    assertOneCleanLine(r);
    assertThat(r.err).contains("has no such database").contains("3D000");
  }

  @Test
  void missingTable() {
    DatabaseUrl empty = TestDatabase.empty("nomigrate");
    String url = TestDatabase.baseUrl().replace("postgres@", "postgres:" + SECRET + "@")
        + "?currentSchema=" + empty.jdbcUrl().replaceAll(".*currentSchema=", "");

    Result r = run(url);

    assertThat(r.exit).isEqualTo(2);
    assertOneCleanLine(r);
    assertThat(r.err).contains("does not exist").contains("seedtest migrate");
  }

  @Test
  void malformedUrl() {
    Result r = run("mysql://root:" + SECRET + "@db/x");

    assertThat(r.exit).isEqualTo(2);
    assertOneCleanLine(r);
  }
}
