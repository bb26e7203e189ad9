package io.seedtest.analytics.features;

import static io.seedtest.analytics.testing.ExamResultsFixture.answer;
import static io.seedtest.analytics.testing.ExamResultsFixture.array;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.bench.PoisonAnswers;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.LakeAttemptSource;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.kpi.ComputeDailyKpisJob;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.AttemptRows;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regressions of issue 12 against a real PostgreSQL: answers that used to stop the jobs (an
 * offset of +19:00, "1e400", a 20,000-character topic) are quarantined with their field and rule
 * and the jobs succeed; a non-array {@code responses} is a quarantined session instead of nothing;
 * a large quarantined share fails the run with its own exit code and writes nothing; the lake
 * path gives the same reasons as PostgreSQL.
 */
@Tag("spark")
@Tag("postgres")
class PoisonedWindowPostgresTest {
  static final DateWindow DAY = DateWindow.day(LocalDate.parse("2026-11-20"));
  static final String LONG_TOPIC = "t".repeat(20_000);

  @TempDir
  Path lakeDir;
  DatabaseUrl db;
  final SparkSession spark = SparkTestSession.get();

  @BeforeEach
  void validDay() {
    db = TestDatabase.fresh("poisoned");
    ExamResultsFixture f = new ExamResultsFixture(db).items("algebra", 100, 101, 102, 103, 104);
    for (int s = 1; s <= 4; s++) {
      f.session(s, (long) s, "2026-11-20T10:00:00Z", array(
          answer(100, "algebra", true, 1000, 0, "2026-11-20T09:40:00Z"),
          answer(101, "algebra", false, 2000, 1, "2026-11-20T09:45:00Z"),
          answer(102, "algebra", true, 3000, 0, "2026-11-20T09:50:00Z"),
          answer(103, "algebra", true, 4000, 0, "2026-11-20T09:55:00Z"),
          answer(104, "algebra", false, 5000, 2, "2026-11-20T09:58:00Z")));
    }
  }

  @AfterEach
  void drop() {
    TestDatabase.drop(db);
  }

  @Test
  void aTwentyThousandCharacterTopicIsQuarantinedAndNoLongerFailsTheJob() {
    TestDatabase.execute(db, "INSERT INTO item_bank (item_id, topic) VALUES (900, '" + LONG_TOPIC + "')");
    new ExamResultsFixture(db).session(50, 50L, "2026-11-20T11:00:00Z", array(
        answer(100, LONG_TOPIC, true, 1000, 0, "2026-11-20T10:40:00Z"),
        "{\"item_id\": 900, \"correct\": true, \"response_time_ms\": 10, \"hints_used\": 0,"
            + " \"answered_at\": \"2026-11-20T10:41:00Z\"}"));

    JobOutcome out = run(features(new JdbcAttemptSource(db, 2)), 0.10);

    assertThat(TestDatabase.query(db, "SELECT reason, count(*) FROM quarantine GROUP BY reason"))
        .containsExactly(List.of("topic_too_long(topic: longer than 200 characters)", 2L));
    assertThat(TestDatabase.count(db, "SELECT sum(attempts) FROM features_topic_daily")).isEqualTo(20);
    assertThat(out.summary()).contains("answers read 22 = valid 20 + quarantined 2 + outside the window 0");
  }

  @Test
  void responsesThatAreNotAnArrayQuarantineTheSessionAsAWhole() {
    ExamResultsFixture f = new ExamResultsFixture(db);
    f.session(60, 60L, "2026-11-20T11:00:00Z", "{\"item_id\": 100}");
    f.session(61, 61L, "2026-11-20T11:00:00Z", "\"[]\"");
    f.session(62, 62L, "2026-11-20T11:00:00Z", "42");
    f.session(63, 63L, "2026-11-20T11:00:00Z", "null");

    JobOutcome out = run(features(new JdbcAttemptSource(db, 2)), 1.0);

    assertThat(TestDatabase.query(db, "SELECT reason FROM quarantine q JOIN exam_results e"
        + " ON q.source_key = e.id || ':0' ORDER BY e.session_id")).extracting(r -> r.get(0)).containsExactly(
            "bad_responses(responses: an object, not an array)", "bad_responses(responses: a string, not an array)",
            "bad_responses(responses: a number, not an array)", "bad_responses(responses: null)");
    assertThat(TestDatabase.count(db, "SELECT rows_quarantined FROM job_runs")).isEqualTo(4);
    assertThat(out.summary()).contains("answers read 24 = valid 20 + quarantined 4 + outside the window 0");
  }

  @Test
  void everyPoisonKindIsQuarantinedWithItsFieldAndTheFeaturesAndKpiJobsSucceed() {
    ExamResultsFixture f = new ExamResultsFixture(db);
    long session = 1000;
    for (PoisonAnswers.Kind kind : PoisonAnswers.kinds()) {
      f.session(session, session, "2026-11-20T12:00:00Z", PoisonAnswers.session(kind.field(), kind.json(), 100, "algebra",
          Instant.parse("2026-11-20T11:50:00Z")));
      session++;
    }

    run(features(new JdbcAttemptSource(db, 2)), 1.0);
    run(new ComputeDailyKpisJob(new JdbcAttemptSource(db, 2)), 1.0);

    long poisonAnswers = TestDatabase.count(db, "SELECT count(*) FROM attempt WHERE session_id >= 1000");
    assertThat(poisonAnswers).isGreaterThanOrEqualTo(PoisonAnswers.kinds().size());
    for (String job : List.of(AggregateFeaturesDailyJob.NAME, ComputeDailyKpisJob.NAME)) {
      assertThat(TestDatabase.count(db, "SELECT count(*) FROM quarantine q JOIN exam_results e"
          + " ON split_part(q.source_key, ':', 1)::bigint = e.id WHERE e.session_id >= 1000 AND q.job = '" + job + "'"))
          .as(job + ": every poison answer quarantined").isEqualTo(poisonAnswers);
    }
    assertThat(TestDatabase.query(db, "SELECT DISTINCT status FROM job_runs")).containsExactly(List.of("succeeded"));
  }

  @Test
  void aQuarantinedShareUpToTheThresholdPasses() {
    new ExamResultsFixture(db).session(70, 70L, "2026-11-20T11:00:00Z", array(
        "{\"item_id\": 100, \"topic\": \"algebra\", \"correct\": \"yes\", \"response_time_ms\": 10, \"hints_used\": 0,"
            + " \"answered_at\": \"2026-11-20T10:41:00Z\"}"));

    JobOutcome out = run(features(new JdbcAttemptSource(db, 2)), Settings.DEFAULT_MAX_QUARANTINE_SHARE);

    assertThat(out.rowsQuarantined()).as("1 of 21 answers is 4.8%, under the default 5%").isEqualTo(1);
  }

  @Test
  void aQuarantinedShareAboveTheThresholdFailsWithItsOwnExitCodeAndWritesNothing() {
    new ExamResultsFixture(db).session(70, 70L, "2026-11-20T11:00:00Z", array(
        "{\"item_id\": 100, \"topic\": \"algebra\", \"correct\": \"yes\", \"response_time_ms\": 10, \"hints_used\": 0,"
            + " \"answered_at\": \"2026-11-20T10:41:00Z\"}",
        "{\"item_id\": 101, \"topic\": \"algebra\", \"correct\": \"no\", \"response_time_ms\": 10, \"hints_used\": 0,"
            + " \"answered_at\": \"2026-11-20T10:42:00Z\"}"));

    assertThatThrownBy(() -> run(features(new JdbcAttemptSource(db, 2)), Settings.DEFAULT_MAX_QUARANTINE_SHARE))
        .isInstanceOf(SeedtestException.class)
        .hasMessageContaining("quarantined 2 of the window's 22 answers (9.1%, above the 5.0% allowed:"
            + " missing_value(correct: not a boolean)=2)")
        .satisfies(e -> assertThat(((SeedtestException) e).exitCode()).isEqualTo(Errors.QUARANTINE_THRESHOLD));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM features_topic_daily")).isZero();
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM quarantine")).isZero();
    assertThat(TestDatabase.query(db, "SELECT status FROM job_runs")).containsExactly(List.of("failed"));
    assertThat(new Lake(lakeDir).exists(spark, FeaturesTopicDaily.TABLE)).isFalse();

    run(features(new JdbcAttemptSource(db, 2)), 0.10);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM quarantine")).isEqualTo(2);
  }

  /** The embedded lake holds typed answers: the faults a type can hold get the same reasons as from PostgreSQL. */
  @Test
  void theLakePathQuarantinesWithTheSameReasons() {
    new ExamResultsFixture(db).session(80, 80L, "2026-11-20T11:00:00Z", array(
        answer(100, LONG_TOPIC, true, 1000, 0, "2026-11-20T10:40:00Z"),
        answer(101, "algebra", true, -40, 0, "2026-11-20T10:41:00Z"),
        answer(102, "algebra", true, 1000, 99, "2026-11-20T10:42:00Z"),
        "{\"item_id\": 103, \"topic\": \"algebra\", \"response_time_ms\": 10, \"hints_used\": 0,"
            + " \"answered_at\": \"2026-11-20T10:43:00Z\"}"));
    run(features(new JdbcAttemptSource(db, 2)), 1.0);
    List<Object> fromPostgres = TestDatabase.query(db, "SELECT reason FROM quarantine ORDER BY source_key").stream()
        .map(r -> r.get(0)).toList();

    String fin = "2026-11-20T11:00:00Z";
    Lake lake = new Lake(lakeDir.resolve("embedded"));
    lake.overwrite(Lake.withDay(new AttemptRows()
        .raw(80L, 80L, 80L, 1, 100L, LONG_TOPIC, true, 1000.0, 0, "2026-11-20T10:40:00Z", fin)
        .raw(80L, 80L, 80L, 2, 101L, "algebra", true, -40.0, 0, "2026-11-20T10:41:00Z", fin)
        .raw(80L, 80L, 80L, 3, 102L, "algebra", true, 1000.0, 99, "2026-11-20T10:42:00Z", fin)
        .raw(80L, 80L, 80L, 4, 103L, "algebra", null, 10.0, 0, "2026-11-20T10:43:00Z", fin)
        .toDataset()), Lake.ATTEMPTS, Lake.DAY);
    lake.overwrite(spark.createDataFrame(List.of(RowFactory.create(100L, "algebra"), RowFactory.create(101L, "algebra"),
        RowFactory.create(102L, "algebra"), RowFactory.create(103L, "algebra")), new StructType()
        .add("item_id", DataTypes.LongType).add("topic", DataTypes.StringType)), Lake.ITEM_BANK);
    Settings embedded = new Settings(Optional.empty(), lake.root(), 30, 0.0, false, 2).withMaxQuarantineShare(1.0);
    JobRunner.run(features(new LakeAttemptSource(lake)), new RunContext(UUID.randomUUID(), AggregateFeaturesDailyJob.NAME,
        DAY, false, false, "test", embedded, spark, RunContext.NONE));

    assertThat(lake.read(spark, Lake.QUARANTINE).orderBy("source_key").select("reason").as(Encoders.STRING())
        .collectAsList()).containsExactlyElementsOf(fromPostgres.stream().map(Object::toString).toList())
        .hasSize(4);
  }

  private static Job features(AttemptSource source) {
    return new AggregateFeaturesDailyJob(source, Granularity.DAY);
  }

  private JobOutcome run(Job job, double maxShare) {
    Settings settings = new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 2).withMaxQuarantineShare(maxShare);
    return JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DAY, false, false, "test", settings, spark,
        RunContext.NONE));
  }
}
