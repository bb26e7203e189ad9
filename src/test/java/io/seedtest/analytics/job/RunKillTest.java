package io.seedtest.analytics.job;

import static io.seedtest.analytics.testing.ExamResultsFixture.answer;
import static io.seedtest.analytics.testing.ExamResultsFixture.array;
import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.bench.KillBenchmark;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.PausePoint;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real SIGKILLs of a child JVM running aggregate-features-daily against the real PostgreSQL and a
 * real Delta lake, at each stage (read, staging COPY, merge transaction, lake merge, ledger
 * update): every target is the old or the new one, the lock is released, the next run marks the
 * dead run abandoned (or finds it committed), drops its staging tables, and produces exactly what
 * an uninterrupted run does. The same code as {@code bin/bench-kills}, on a small simulation.
 */
@Tag("spark")
@Tag("postgres")
class RunKillTest {
  @TempDir
  static Path work;

  @AfterAll
  static void dropSchemas() {
    DatabaseUrl base = DatabaseUrl.parse(TestDatabase.baseUrl());
    for (List<Object> schema : TestDatabase.query(base,
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_kills\\_%'")) {
      TestDatabase.execute(base, "DROP SCHEMA IF EXISTS " + schema.get(0) + " CASCADE");
    }
  }

  /** Twelve sessions of four users on the day (the benchmark simulates students instead). */
  private static DateWindow sessions(SparkSession spark, DatabaseUrl db, Path dir) {
    ExamResultsFixture f = new ExamResultsFixture(db).items("algebra", 100, 101, 102).items("geometry", 200, 201);
    for (int s = 1; s <= 12; s++) {
      long user = 7 + s % 4;
      String at = String.format("2026-11-20T%02d:%%02d:00Z", 8 + s);
      f.session(s, user, String.format(at, 50), array(
          answer(100 + s % 3, "algebra", s % 2 == 0, 1000 + 100 * s, s % 3, String.format(at, 40)),
          answer(200 + s % 2, "geometry", s % 3 == 0, 2000 + 50 * s, 0, String.format(at, 45))));
    }
    return DateWindow.day(LocalDate.parse("2026-11-20"));
  }

  @Test
  void aKillAtAnyStageLeavesTheTargetWholeAndTheRerunIdentical() {
    StringWriter table = new StringWriter();

    List<KillBenchmark.Result> results = new KillBenchmark(new KillBenchmark.Options(TestDatabase.baseUrl(),
        RunKillTest::sessions, work, List.of(PausePoint.Stage.values()))).run(SparkTestSession.get(),
        new PrintWriter(table, true));

    assertThat(results).hasSize(PausePoint.Stage.values().length);
    for (KillBenchmark.Result r : results) {
      String context = r.stage().label() + "\n" + table;
      assertThat(r.childExit()).as(context).isEqualTo(137);
      assertThat(r.lockFreeSeconds()).as(context).isBetween(0.0, 30.0);
      assertThat(r.stagingAfterRerun()).as(context).isZero();
      assertThat(r.rerunIdentical()).as(context).isTrue();
      boolean committed = r.stage() == PausePoint.Stage.LAKE_MERGE || r.stage() == PausePoint.Stage.LEDGER_UPDATE;
      // before the commit nothing changed; after it PostgreSQL is new and the run recorded itself
      assertThat(r.postgres()).as(context).isEqualTo(committed ? "new" : "old");
      assertThat(r.deadRunStatus()).as(context).isEqualTo(committed ? "succeeded" : "abandoned");
      assertThat(r.lake()).as(context).isIn("old", "new");
    }
    assertThat(results.stream().filter(r -> r.stage() == PausePoint.Stage.STAGING_COPY
        || r.stage() == PausePoint.Stage.MERGE_TRANSACTION).mapToInt(KillBenchmark.Result::stagingAfterKill))
        .as("a kill mid-COPY or mid-transaction leaves staging tables for the next run to drop").allMatch(n -> n > 0);
  }
}
