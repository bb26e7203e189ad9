package io.seedtest.analytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.Errors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What reaches the operator when something nobody anticipated breaks: one line and a documented code. */
class UnexpectedFailureCliTest {
  private String err;

  private int fail(Throwable t) {
    StringWriter w = new StringWriter();
    int code = SeedtestCli.failure(t, new PrintWriter(w, true), Map.of());
    err = w.toString();
    return code;
  }

  @Test
  void anErrorIsOneLineWithExitCode1AndItsStackTraceInAFile() throws Exception {
    int code = fail(new RuntimeException("wrapped", new OutOfMemoryError("Java heap space")));

    assertThat(code).isEqualTo(Errors.INTERNAL);
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(err).startsWith("seedtest: unexpected failure, java.lang.RuntimeException: wrapped")
        .doesNotContain("\tat ");
    Path trace = Path.of(err.replaceAll("(?s).*Stack trace: (\\S+)\\. .*", "$1"));
    assertThat(Files.readString(trace)).contains("OutOfMemoryError: Java heap space").contains("\tat ");
    Files.delete(trace);
  }

  @Test
  void databaseErrorsMapBySqlStateClass() {
    assertThat(fail(new IllegalStateException(new SQLException("connection reset", "08006")))).isEqualTo(Errors.UNAVAILABLE);
    assertThat(fail(new SQLException("password authentication failed", "28P01"))).isEqualTo(Errors.CONFIG);
    assertThat(fail(new SQLException("permission denied for table exam_results", "42501"))).isEqualTo(Errors.CONFIG);
    assertThat(fail(new SQLException("canceling statement due to lock timeout", "55P03"))).isEqualTo(Errors.TIMEOUT);
    assertThat(fail(new SQLException("canceling statement due to statement timeout", "57014"))).isEqualTo(Errors.TIMEOUT);
    assertThat(fail(new SQLException("date/time field value out of range", "22008"))).isEqualTo(Errors.INTERNAL);
    assertThat(err.strip().lines()).hasSize(1);
    assertThat(err).contains("a retry will fail the same way");
  }
}
