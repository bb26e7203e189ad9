package io.seedtest.analytics.job;

import static io.seedtest.analytics.testing.ExamResultsFixture.answer;
import static io.seedtest.analytics.testing.ExamResultsFixture.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.PublishTimeouts;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.RunLock;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a run ends in job_runs whatever happens to it, against a real PostgreSQL: an Error fails
 * the row, a dead run is marked abandoned by the next one and its staging tables dropped (a live
 * run's are kept), and a lock held elsewhere fails the publish within the lock timeout (exit 7).
 */
@Tag("spark")
@Tag("postgres")
class RunLifecycleTest {
  private static final DateWindow DAY = DateWindow.day(LocalDate.parse("2026-11-20"));
  private static final DateWindow OTHER_DAY = DateWindow.day(LocalDate.parse("2026-11-19"));
  private static final String FEATURES = AggregateFeaturesDailyJob.NAME;

  @TempDir
  Path lake;
  DatabaseUrl db;

  @BeforeEach
  void seed() {
    db = TestDatabase.fresh("lifecycle");
    new ExamResultsFixture(db).items("algebra", 100, 101)
        .session(1, 7L, "2026-11-20T10:00:00Z", array(
            answer(100, "algebra", true, 1000, 0, "2026-11-20T09:40:00Z"),
            answer(101, "algebra", false, 3000, 1, "2026-11-20T09:45:00Z")));
  }

  @AfterEach
  void drop() {
    TestDatabase.drop(db);
  }

  private JobOutcome run(Job job, PublishTimeouts timeouts) {
    Settings settings = new Settings(Optional.of(db), lake, 30, 0.0, false, 2).withPublishTimeouts(timeouts);
    return JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DAY, false, false, "test", settings,
        SparkTestSession.get(), RunContext.NONE));
  }

  private Job features() {
    return new AggregateFeaturesDailyJob(new JdbcAttemptSource(db, 2), Granularity.DAY);
  }

  @Test
  void anErrorEndsTheRowAsFailedWithItsReason() {
    Job failing = new Job() {
      @Override
      public String name() {
        return FEATURES;
      }

      @Override
      public JobResult run(RunContext ctx) {
        throw new OutOfMemoryError("Java heap space");
      }
    };

    assertThatThrownBy(() -> run(failing, PublishTimeouts.DEFAULTS)).isInstanceOf(OutOfMemoryError.class);

    assertThat(TestDatabase.query(db, "SELECT status, message, finished_at IS NOT NULL FROM job_runs"))
        .containsExactly(List.of("failed", "java.lang.OutOfMemoryError: Java heap space", true));
  }

  @Test
  void theNextRunMarksDeadRunsAbandonedAndDropsOnlyTheirStagingTables() throws Exception {
    UUID deadSameDay = deadRun(DAY);
    UUID deadOtherDay = deadRun(OTHER_DAY);
    UUID aliveOtherJob = UUID.randomUUID();
    insertRunning(aliveOtherJob, "compute-daily-kpis", DAY);
    String deadStaging = staging(deadSameDay);
    String deadStaging2 = staging(deadOtherDay);
    String liveStaging = staging(aliveOtherJob);

    try (RunLock otherJobRunning = RunLock.acquire(Optional.of(db), lake, "compute-daily-kpis", DAY.toString())) {
      run(features(), PublishTimeouts.DEFAULTS);
    }

    assertThat(TestDatabase.query(db, "SELECT run_id::text, status, message LIKE 'abandoned: %', finished_at IS NOT NULL"
        + " FROM job_runs WHERE run_id IN ('" + deadSameDay + "', '" + deadOtherDay + "', '" + aliveOtherJob + "')"
        + " ORDER BY status, run_id")).containsExactlyInAnyOrder(
        List.of(deadSameDay.toString(), "abandoned", true, true),
        List.of(deadOtherDay.toString(), "abandoned", true, true),
        java.util.Arrays.asList(aliveOtherJob.toString(), "running", null, false));
    assertThat(TestDatabase.query(db, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        + " AND tablename LIKE 'stg\\_%'")).containsExactly(List.of(liveStaging))
        .doesNotContain(List.of(deadStaging), List.of(deadStaging2));
  }

  @Test
  void aRunningRowWhoseWindowLockIsHeldIsLeftAlone() {
    UUID alive = deadRun(OTHER_DAY);

    try (RunLock held = RunLock.acquire(Optional.of(db), lake, FEATURES, OTHER_DAY.toString())) {
      run(features(), PublishTimeouts.DEFAULTS);
    }

    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs WHERE run_id = '" + alive + "'"))
        .containsExactly(List.of("running"));
  }

  @Test
  void aLockHeldByAnotherSessionFailsThePublishWithinTheLockTimeout() throws Exception {
    run(features(), PublishTimeouts.DEFAULTS);
    new ExamResultsFixture(db).session(2, 7L, "2026-11-20T12:00:00Z",
        array(answer(100, "algebra", true, 900, 0, "2026-11-20T11:55:00Z")));
    PublishTimeouts shortWait = new PublishTimeouts(Duration.ofMillis(500), Duration.ofMinutes(5));

    long t0 = System.nanoTime();
    try (Connection analyst = db.connect(); Statement st = analyst.createStatement()) {
      analyst.setAutoCommit(false);
      st.executeQuery("SELECT * FROM features_topic_daily FOR UPDATE").close();

      assertThatThrownBy(() -> run(features(), shortWait))
          .isInstanceOf(SeedtestException.class)
          .hasMessageContaining("timed out waiting for a lock held by another session")
          .hasMessageContaining("SEEDTEST_PUBLISH_LOCK_TIMEOUT")
          .satisfies(e -> assertThat(((SeedtestException) e).exitCode()).isEqualTo(Errors.TIMEOUT))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      analyst.rollback();
    }

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs ORDER BY started_at"))
        .containsExactly(List.of("succeeded"), List.of("failed"));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'stg\\_%'"
        + " AND schemaname = current_schema()")).isZero();
  }

  private UUID deadRun(DateWindow window) {
    UUID id = UUID.randomUUID();
    insertRunning(id, FEATURES, window);
    return id;
  }

  private void insertRunning(UUID id, String job, DateWindow w) {
    TestDatabase.execute(db, "INSERT INTO job_runs (run_id, job, window_from, window_to, args, started_at, status)"
        + " VALUES ('" + id + "', '" + job + "', '" + w.from() + "', '" + w.to() + "', '', now(), 'running')");
  }

  /** A staging table named as {@link io.seedtest.analytics.io.PgUpsertWriter} names a run's. */
  private String staging(UUID run) {
    String name = "stg_features_topic_daily_" + run.toString().replace("-", "").substring(0, 16);
    TestDatabase.execute(db, "CREATE UNLOGGED TABLE " + name + " (x int)");
    return name;
  }
}
