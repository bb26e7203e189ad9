package io.seedtest.analytics.features;

import static io.seedtest.analytics.testing.ExamResultsFixture.answer;
import static io.seedtest.analytics.testing.ExamResultsFixture.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.RunLock;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The features job end to end against a real PostgreSQL and a real Delta lake. */
@Tag("spark")
@Tag("postgres")
class AggregateFeaturesDailyJobPostgresTest {
  private static final DateWindow DAY = DateWindow.day(LocalDate.parse("2026-11-20"));
  private static final String FEATURES_SQL =
      "SELECT user_id, topic, day::text, attempts, correct, acc, rt_median, hints, improvement, rapid_guess_share,"
          + " run_id::text, updated_at"
          + " FROM features_topic_daily ORDER BY user_id, topic, day";

  @TempDir
  Path lakeDir;
  DatabaseUrl db;
  SparkSession spark = SparkTestSession.get();

  @BeforeEach
  void seed() {
    db = TestDatabase.fresh("features");
    new ExamResultsFixture(db)
        .items("algebra", 100, 101, 102)
        .items("geometry", 200, 201)
        // the day before: history for improvement
        .session(1, 7L, "2026-11-19T10:00:00Z", array(
            answer(100, "algebra", false, 4000, 1, "2026-11-19T09:50:00Z"),
            answer(101, "algebra", true, 3000, 0, "2026-11-19T09:55:00Z")))
        // the day itself, user 7: three algebra answers and one geometry
        .session(2, 7L, "2026-11-20T10:00:00Z", array(
            answer(100, "algebra", true, 1000, 0, "2026-11-20T09:40:00Z"),
            answer(101, "algebra", true, 3000, 2, "2026-11-20T09:45:00Z"),
            answer(102, "algebra", false, 2000, 0, "2026-11-20T09:50:00Z"),
            answer(200, "geometry", true, 5000, 0, "2026-11-20T09:55:00Z")))
        // user 8 answers just before midnight; the session closes after midnight
        .session(3, 8L, "2026-11-21T00:05:00Z", array(
            answer(201, "geometry", false, 6000, 1, "2026-11-20T23:58:00Z"),
            answer(200, "geometry", true, 2000, 0, "2026-11-21T00:02:00Z")));
  }

  private RunContext context(boolean dryRun, boolean strict, RunContext.PublishHooks hooks) {
    Settings settings = new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 2)
        // the fixtures are dirty on purpose; the quarantine threshold has its own tests
        .withMaxQuarantineShare(1.0);
    return new RunContext(UUID.randomUUID(), AggregateFeaturesDailyJob.NAME, DAY, dryRun, strict, "test",
        settings, spark, hooks);
  }

  private JobOutcome run(boolean dryRun, boolean strict, RunContext.PublishHooks hooks) {
    return JobRunner.run(new AggregateFeaturesDailyJob(new JdbcAttemptSource(db, 2), Granularity.DAY),
        context(dryRun, strict, hooks));
  }

  @Test
  void upsertsTheDayIntoPostgresAndTheLake() {
    JobOutcome out = run(false, false, RunContext.NONE);

    assertThat(out.rowsWritten()).isEqualTo(3);
    assertThat(TestDatabase.query(db, "SELECT user_id, topic, day::text, attempts, correct, acc, rt_median, hints,"
        + " improvement FROM features_topic_daily ORDER BY user_id, topic")).containsExactly(
        java.util.Arrays.asList(7L, "algebra", "2026-11-20", 3, 2, 2.0 / 3, 2000.0, 2, 2.0 / 3 - 0.5),
        java.util.Arrays.asList(7L, "geometry", "2026-11-20", 1, 1, 1.0, 5000.0, 0, null),
        java.util.Arrays.asList(8L, "geometry", "2026-11-20", 1, 0, 0.0, 6000.0, 1, null));
    assertThat(spark.read().format("delta").load(new Lake(lakeDir).path(FeaturesTopicDaily.TABLE)).count())
        .isEqualTo(3);
    assertThat(TestDatabase.query(db, "SELECT status, rows_written, rows_quarantined FROM job_runs"))
        .containsExactly(List.of("succeeded", 3L, 0L));
  }

  /**
   * The thresholds stored with the items: item 100 at 1500 ms, 200 at 5500 ms. User 7's algebra:
   * 100 in 1000 ms is rapid, 101 and 102 have no threshold → 1/3; her geometry 200 in 5000 ms → 1/1;
   * user 8's 201 has none → 0.
   */
  @Test
  void rapidGuessShareUsesTheThresholdsStoredWithTheItems() {
    TestDatabase.execute(db, "INSERT INTO mirt_item_params (item_id, model, answers, calibration_id, calibrated,"
        + " rapid_guess_ms) VALUES (100, '3pl', 10, 'c1', false, 1500), (200, '3pl', 10, 'c1', false, 5500)");

    run(false, false, RunContext.NONE);

    assertThat(TestDatabase.query(db, "SELECT user_id, topic, rapid_guess_share FROM features_topic_daily"
        + " ORDER BY user_id, topic")).containsExactly(
        List.of(7L, "algebra", 1.0 / 3), List.of(7L, "geometry", 1.0), List.of(8L, "geometry", 0.0));
  }

  @Test
  void rerunningTheSameDayLeavesIdenticalRows() {
    run(false, false, RunContext.NONE);
    List<List<Object>> first = TestDatabase.query(db, FEATURES_SQL);

    run(false, false, RunContext.NONE);

    assertThat(TestDatabase.query(db, FEATURES_SQL)).isEqualTo(first);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM job_runs WHERE status = 'succeeded'")).isEqualTo(2);
    assertThat(spark.read().format("delta").load(new Lake(lakeDir).path(FeaturesTopicDaily.TABLE)).count())
        .isEqualTo(3);
  }

  @Test
  void aFailureBetweenStagingAndMergeLeavesTheTargetUntouched() {
    run(false, false, RunContext.NONE);
    List<List<Object>> before = TestDatabase.query(db, FEATURES_SQL);
    new ExamResultsFixture(db).session(4, 9L, "2026-11-20T15:00:00Z",
        array(answer(100, "algebra", true, 1000, 0, "2026-11-20T14:55:00Z")));

    assertThatThrownBy(() -> run(false, false, new RunContext.PublishHooks() {
      @Override
      public void afterStaging() {
        throw new IllegalStateException("injected: killed between staging and merge");
      }
    })).hasMessageContaining("injected");

    assertThat(TestDatabase.query(db, FEATURES_SQL)).isEqualTo(before);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'stg\\_%'")).isZero();
    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs ORDER BY started_at"))
        .containsExactly(List.of("succeeded"), List.of("failed"));
  }

  @Test
  void withLakeWritesOffPostgresGetsEverythingAndTheLakeNothing() {
    Settings noLake = context(false, false, RunContext.NONE).settings().withLakeWrites(false);
    JobRunner.run(new AggregateFeaturesDailyJob(new JdbcAttemptSource(db, 2), Granularity.DAY),
        new RunContext(UUID.randomUUID(), AggregateFeaturesDailyJob.NAME, DAY, false, false, "test", noLake, spark,
            RunContext.NONE));

    assertThat(TestDatabase.count(db, "SELECT count(*) FROM features_topic_daily")).isEqualTo(3);
    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs")).containsExactly(List.of("succeeded"));
    assertThat(new Lake(lakeDir).exists(spark, FeaturesTopicDaily.TABLE)).isFalse();
    assertThat(new Lake(lakeDir).exists(spark, Lake.JOB_RUNS)).isFalse();
  }

  @Test
  void dryRunWritesNothing() {
    JobOutcome out = run(true, false, RunContext.NONE);

    assertThat(out.rowsWritten()).isEqualTo(3);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM features_topic_daily")).isZero();
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM job_runs")).isZero();
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM quarantine")).isZero();
    assertThat(new Lake(lakeDir).exists(spark, FeaturesTopicDaily.TABLE)).isFalse();
  }

  @Test
  void aSecondConcurrentRunOfTheSameJobAndDayExitsWithAClearMessage() {
    try (RunLock held = RunLock.acquire(Optional.of(db), lakeDir, AggregateFeaturesDailyJob.NAME, DAY.toString())) {
      assertThatThrownBy(() -> run(false, false, RunContext.NONE))
          .isInstanceOf(SeedtestException.class)
          .hasMessageContaining("Another run of aggregate-features-daily for 2026-11-20 is in progress")
          .satisfies(e -> assertThat(((SeedtestException) e).exitCode()).isEqualTo(3));
    }
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM features_topic_daily")).isZero();
  }

  @Test
  void eachKindOfBadRowLandsInQuarantineWithItsReason() {
    new ExamResultsFixture(db)
        .session(10, 9L, "2026-11-20T18:00:00Z", "[" + String.join(", ",
            "{\"item_id\": null, \"topic\": \"algebra\", \"correct\": true, \"response_time_ms\": 10, \"hints_used\": 0, \"answered_at\": \"2026-11-20T17:00:00Z\"}",
            "{\"item_id\": \"abc\", \"topic\": \"algebra\", \"correct\": true, \"response_time_ms\": 10, \"hints_used\": 0, \"answered_at\": \"2026-11-20T17:00:00Z\"}",
            "{\"item_id\": 100, \"topic\": \"algebra\", \"correct\": \"yes\", \"response_time_ms\": 10, \"hints_used\": 0, \"answered_at\": \"2026-11-20T17:01:00Z\"}",
            "{\"item_id\": 101, \"topic\": \"algebra\", \"correct\": true, \"response_time_ms\": 10, \"hints_used\": 0, \"answered_at\": \"2026-02-30T17:02:00Z\"}",
            answer(102, "algebra", true, -40, 0, "2026-11-20T17:03:00Z"),
            answer(200, "geometry", true, 1000, -2, "2026-11-20T17:04:00Z"),
            answer(201, "geometry", true, 1000, 0, "2026-11-20T19:30:00Z"),
            answer(999, "algebra", true, 1000, 0, "2026-11-20T17:05:00Z"),
            answer(100, "algebra", true, 1000, 0, "2026-11-20T17:06:00Z"),
            answer(100, "algebra", false, 1000, 0, "2026-11-20T17:07:00Z")) + "]");

    JobOutcome out = run(false, false, RunContext.NONE);

    assertThat(out.rowsQuarantined()).isEqualTo(9);
    assertThat(TestDatabase.query(db, "SELECT reason FROM quarantine")).extracting(r -> r.get(0))
        .containsExactlyInAnyOrder("null_id(item_id: null)", "null_id(item_id: not a whole number in the BIGINT range)",
            "missing_value(correct: not a boolean)",
            "missing_value(answered_at: not an ISO-8601 timestamp with an offset, years 1000-2999)",
            "bad_response_time(response_time_ms: negative)", "bad_hints(hints_used: negative)",
            "future_timestamp(answered_at: after its session finished)", "unknown_item(item_id: not in item_bank)",
            "duplicate_answer(item_id: answered again in the session)");
    assertThat(TestDatabase.count(db, "SELECT rows_quarantined FROM job_runs")).isEqualTo(9);
    assertThat(TestDatabase.count(db, "SELECT attempts FROM features_topic_daily WHERE user_id = 9")).isEqualTo(1);
  }

  @Test
  void strictFailsTheRunAndWritesNothingWhenRowsAreQuarantined() {
    new ExamResultsFixture(db).session(10, 9L, "2026-11-20T18:00:00Z",
        array(answer(999, "algebra", true, 1000, 0, "2026-11-20T17:05:00Z")));

    assertThatThrownBy(() -> run(false, true, RunContext.NONE))
        .isInstanceOf(SeedtestException.class)
        .hasMessageContaining("quarantined 1 rows (unknown_item(item_id: not in item_bank)=1) and --strict is set");

    assertThat(TestDatabase.count(db, "SELECT count(*) FROM features_topic_daily")).isZero();
    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs")).containsExactly(List.of("failed"));
  }
}
