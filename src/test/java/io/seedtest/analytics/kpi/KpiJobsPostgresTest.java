package io.seedtest.analytics.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both KPI jobs end to end against a real PostgreSQL and a real Delta lake: upsert, rerun,
 * dry run, bad input, an empty day, and the trigger beside the nightly run.
 */
@Tag("spark")
@Tag("postgres")
class KpiJobsPostgresTest {
  static final LocalDate DAY = LocalDate.parse("2026-11-20");
  /** Every column of weekly_kpi that carries a value (not who computed it, when, in which run). */
  static final String VALUES = "user_id, week_ending, a_t, i_t, i_source, e_t, r_t, p_goal, s_churn, target_theta,"
      + " target_source, goal_date, horizon_days, theta_source, theta, theta_se, theta_as_of, trend, trend_se,"
      + " predictive_mean, predictive_sd, model_version, churn_source, attempts_7d, correct_7d, active_days_7d,"
      + " time_on_task_7d_s, baseline_day_time_s, a_prev, attempts_prev_7d, attempts_window, active_days_window,"
      + " last_active_day, recency_days, tenure_days, revisited_topics, lookback_days, bayesian";

  @TempDir
  Path lakeDir;
  DatabaseUrl db;
  SparkSession spark = SparkTestSession.get();

  @BeforeEach
  void seed() {
    db = TestDatabase.fresh("kpi");
    ExamResultsFixture f = new ExamResultsFixture(db).items("algebra", 100, 101, 102, 103, 104)
        .items("geometry", 200, 201, 202, 203, 204);
    session(f, 1, 1L, "2026-11-20T10:00:00Z", "algebra", "1110", 30_000);
    session(f, 2, 2L, "2026-10-31T09:00:00Z", "algebra", "1110", 60_000);
    session(f, 3, 2L, "2026-11-18T09:00:00Z", "algebra", "11", 60_000);
    session(f, 4, 2L, "2026-11-20T09:00:00Z", "geometry", "100", 20_000);
    session(f, 5, 3L, "2026-11-11T18:00:00Z", "algebra", "10", 30_000);
    session(f, 6, 3L, "2026-11-19T18:00:00Z", "algebra", "1110", 45_000);
    session(f, 7, 4L, "2026-11-17T12:00:00Z", "geometry", "11000", 10_000);
    session(f, 8, 6L, "2026-11-12T15:00:00Z", "algebra", "101", 20_000);   // crosses 7 days on 11-19
    session(f, 9, 7L, "2026-11-05T10:00:00Z", "geometry", "11", 20_000);
    session(f, 10, 7L, "2026-11-20T09:00:00Z", "geometry", "110", 20_000); // back after 15 days
    TestDatabase.execute(db, "INSERT INTO goals VALUES (2, 1.0, DATE '2026-12-20'), (3, 0.5, DATE '2026-11-30')");
  }

  /** A session of answers a minute apart; {@code correct} as 1/0 characters. */
  static void session(ExamResultsFixture f, long session, Long user, String start, String topic, String correct,
      double rtMs) {
    Instant t0 = Instant.parse(start);
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < correct.length(); i++) {
      answers.add(ExamResultsFixture.answer((topic.equals("algebra") ? 100 : 200) + i, topic, correct.charAt(i) == '1',
          rtMs, 0, t0.plusSeconds(60L * i).toString()));
    }
    f.session(session, user, t0.plusSeconds(60L * correct.length() + 5).toString(),
        ExamResultsFixture.array(answers.toArray(String[]::new)));
  }

  Settings settings() {
    return new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 2)
        // the fixtures are dirty on purpose; the quarantine threshold has its own tests
        .withMaxQuarantineShare(1.0);
  }

  JobOutcome daily(LocalDate day, boolean dryRun) {
    return run(new ComputeDailyKpisJob(new JdbcAttemptSource(db, 2)), day, dryRun);
  }

  JobOutcome trigger(String clock) {
    return run(new DetectInactivityJob(new JdbcAttemptSource(db, 2), Clock.fixed(Instant.parse(clock), ZoneOffset.UTC)),
        DAY, false);
  }

  /**
   * Runs the job; waits while another JVM holds the job's lock for the same day (advisory locks are
   * per database, and other builds may run these tests against the shared test database at once).
   */
  JobOutcome run(Job job, LocalDate day, boolean dryRun) {
    for (int attempt = 1; ; attempt++) {
      try {
        return JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(day), dryRun, false,
            "test", settings(), spark, RunContext.NONE));
      } catch (io.seedtest.analytics.SeedtestException e) {
        if (e.exitCode() != io.seedtest.analytics.Errors.LOCKED || attempt >= 60) {
          throw e;
        }
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  List<List<Object>> kpis(String where) {
    return TestDatabase.query(db, "SELECT " + VALUES + " FROM weekly_kpi WHERE " + where + " ORDER BY user_id");
  }

  /**
   * A day in the life, in the order production runs it (each step's runs are the expensive part of
   * this class, so it is one flow): the model the previous night left for the day is in place;
   * the trigger runs during the day (twice: each event is recorded and acted on once); the nightly run computes
   * every student, the trigger's students with exactly the trigger's values; a rerun rewrites
   * nothing; a later trigger leaves the nightly rows alone; a day without answers is a clean run
   * with zero rows. Bad input rides along: a student whose answers carry no times (quarantined, no
   * row) and one whose answers are timed at 0 ms (valid, no measurable time on task).
   */
  @Test
  void aDayOfTheNightlyRunAndTheTrigger() {
    ExamResultsFixture f = new ExamResultsFixture(db);
    f.session(20, 5L, "2026-11-20T12:00:00Z", "[{\"item_id\": 100, \"topic\": \"algebra\", \"correct\": true,"
        + " \"hints_used\": 0}, {\"item_id\": 101, \"topic\": \"algebra\", \"correct\": false, \"hints_used\": 0}]");
    session(f, 21, 8L, "2026-11-20T07:00:00Z", "algebra", "11", 0);
    session(f, 22, 8L, "2026-11-19T13:00:00Z", "algebra", "1", 0);
    // what the previous night's run left: the model serving 2026-11-20 (a fallback with fixed rates)
    TestDatabase.execute(db, "INSERT INTO churn_models (model_version, serves_from, trained_at, outcomes_through, algorithm,"
        + " fallback, fallback_reason, train_weeks, n_train, n_test, features, coefficients, intercept, params, run_id)"
        + " VALUES ('churn-2026-11-20-buckets', DATE '2026-11-20', now(), DATE '2026-11-19', 'recency_buckets', true,"
        + " 'test', '', 0, 0, 'recency_days', '{\"<=0\":0.1,\"<=1\":0.2,\"<=2\":0.3,\"<=3\":0.4,\"<=5\":0.5,"
        + "\"<=7\":0.6,\"<=14\":0.7,\">14\":0.8}', 0, '{}', '" + UUID.randomUUID() + "')");

    // --- the trigger during the day (the day's answers are all in by noon)
    trigger("2026-11-20T12:00:00Z");

    String events = "SELECT user_id, event_type, event_day::text, gap_days, detected_at, run_id::text FROM inactivity_events ORDER BY 1";
    List<List<Object>> recorded = TestDatabase.query(db, events);
    assertThat(recorded).extracting(r -> r.subList(0, 3)).containsExactly(
        List.of(3L, "returned", "2026-11-19"), List.of(6L, "inactive_7d", "2026-11-19"),
        List.of(7L, "returned", "2026-11-20"));
    List<List<Object>> provisional = kpis("week_ending = DATE '2026-11-20'");
    assertThat(provisional).extracting(r -> r.get(0)).containsExactly(3L, 6L, 7L);
    assertThat(TestDatabase.query(db, "SELECT DISTINCT computed_by, model_version FROM weekly_kpi"))
        .containsExactly(List.of("trigger", "churn-2026-11-20-buckets"));
    assertThat(TestDatabase.query(db, "SELECT s_churn FROM weekly_kpi WHERE user_id = 6"))
        .as("8 days silent: the 8–14 bucket").containsExactly(List.of(0.7));

    JobOutcome hourLater = trigger("2026-11-20T12:40:00Z");

    assertThat(TestDatabase.query(db, events)).as("each event is recorded once, by the first run that saw it")
        .isEqualTo(recorded);
    assertThat(hourLater.summary()).contains("new events in").contains(": none;").contains("0 students recomputed");
    assertThat(kpis("week_ending = DATE '2026-11-20'")).isEqualTo(provisional);

    // --- the nightly run
    daily(DAY, false);

    assertThat(kpis("user_id IN (3, 6, 7)")).as("the nightly run computes the trigger's rows").isEqualTo(provisional);
    assertThat(TestDatabase.query(db, "SELECT user_id, computed_by FROM weekly_kpi ORDER BY user_id"))
        .extracting(r -> r.get(0)).as("student 5 has only quarantined answers").containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM weekly_kpi WHERE computed_by <> 'daily'")).isZero();
    assertThat(TestDatabase.query(db, "SELECT a_t, e_t, r_t, i_source, theta_source, target_source"
        + " FROM weekly_kpi WHERE user_id = 1")).containsExactly(java.util.Arrays.asList(0.75, 1.0 / 7, null, null,
        "accuracy", "default"));
    assertThat(TestDatabase.query(db, "SELECT r_t, i_source, target_source, s_churn FROM weekly_kpi WHERE user_id = 3"))
        .containsExactly(List.of(1.5, "accuracy", "goal", 0.2));
    assertThat(TestDatabase.query(db, "SELECT e_t, time_on_task_7d_s, baseline_day_time_s FROM weekly_kpi WHERE user_id = 8"))
        .containsExactly(List.of(2.0 / 7, 0.0, 0.0));
    assertThat(TestDatabase.query(db, "SELECT split_part(reason, '(', 1), count(*) FROM quarantine GROUP BY 1"))
        .containsExactly(List.of("missing_value", 2L));
    assertThat(TestDatabase.query(db, "SELECT serves_from::text, algorithm, fallback FROM churn_models ORDER BY 1"))
        .as("the run trains the model serving tomorrow (a fallback: little history)")
        .containsExactly(List.of("2026-11-20", "recency_buckets", true), List.of("2026-11-21", "recency_buckets", true));
    assertThat(new Lake(lakeDir).read(spark, KpiTables.WEEKLY_KPI).count()).isEqualTo(7);
    List<List<Object>> first = TestDatabase.query(db, "SELECT *, updated_at FROM weekly_kpi ORDER BY 1, 2");
    List<List<Object>> models = TestDatabase.query(db, "SELECT * FROM churn_models ORDER BY 1");

    daily(DAY, false);

    assertThat(TestDatabase.query(db, "SELECT *, updated_at FROM weekly_kpi ORDER BY 1, 2"))
        .as("a rerun: same values, same run id and updated_at, nothing rewritten").isEqualTo(first);
    assertThat(TestDatabase.query(db, "SELECT * FROM churn_models ORDER BY 1")).as("models are never retrained")
        .isEqualTo(models);
    assertThat(new Lake(lakeDir).read(spark, KpiTables.WEEKLY_KPI).count()).isEqualTo(7);

    // --- the trigger after the nightly run, even seeing the same events as new (their records lost)
    TestDatabase.execute(db, "DELETE FROM inactivity_events");
    JobOutcome late = trigger("2026-11-20T12:00:00Z");

    assertThat(late.summary()).contains("0 students recomputed").contains("3 already final");
    assertThat(TestDatabase.query(db, "SELECT *, updated_at FROM weekly_kpi ORDER BY 1, 2"))
        .as("the trigger never touches a row of the nightly run").isEqualTo(first);

    // --- a day without answers
    JobOutcome empty = daily(LocalDate.parse("2026-06-01"), false);

    assertThat(empty.rowsWritten()).isZero();
    assertThat(TestDatabase.query(db, "SELECT job, status, rows_written, rows_quarantined FROM job_runs"
        + " WHERE window_from = DATE '2026-06-01'")).containsExactly(List.of("compute-daily-kpis", "succeeded", 0L, 0L));
    assertThat(TestDatabase.query(db, "SELECT job, status, rows_quarantined FROM job_runs ORDER BY started_at"))
        .extracting(r -> r.get(0) + " " + r.get(1)).containsExactly("detect-inactivity succeeded",
            "detect-inactivity succeeded", "compute-daily-kpis succeeded", "compute-daily-kpis succeeded",
            "detect-inactivity succeeded", "compute-daily-kpis succeeded");
  }
}
