package io.seedtest.analytics.calibration;

import static io.seedtest.analytics.testing.ExamResultsFixture.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * calibrate-irt against a real PostgreSQL (exam_results → attempt view over JDBC) and a real
 * lake: all five result tables, job_runs and quarantine in one transaction; a rerun of the same
 * window rewrites nothing; and the database itself refuses NaN. (Dry runs are the runner's, tested
 * with the features job.)
 */
@Tag("spark")
@Tag("postgres")
class CalibrateIrtJobPostgresTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-10-31");
  private static final String ID = "3pl-2026-05-03..2026-10-31";
  private static final int STUDENTS = 800;
  private static final int ITEMS = 40;
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final List<String> TABLES = List.of(IrtTables.CALIBRATIONS, IrtTables.ITEM_PARAMS,
      IrtTables.ITEM_PARAMS_HISTORY, IrtTables.ABILITY, IrtTables.ABILITY_HISTORY);

  private static DatabaseUrl db;
  @TempDir
  static Path lakeDir;

  /**
   * 800 students answer 25 of 40 3PL items each (500 answers per item) in one session each in
   * October; item 999 (in the bank) is answered by one student only; one answer has a negative
   * response time.
   */
  @BeforeAll
  static void seed() {
    db = TestDatabase.fresh("calib");
    ExamResultsFixture fixture = new ExamResultsFixture(db);
    ItemParams[] bank = IrtFixtures.itemBank(5L, ITEMS);
    IrtFixtures.Cohort cohort = IrtFixtures.cohort(6L, bank, IrtFixtures.range(0, ITEMS), STUDENTS, 25, 0.0, 1.0);
    StringBuilder items = new StringBuilder("INSERT INTO item_bank (item_id, topic) VALUES (999, 'algebra')");
    for (int j = 0; j < ITEMS; j++) {
      items.append(", (").append(j + 1).append(", 'algebra')");
    }
    TestDatabase.execute(db, items.toString());
    List<String> sessions = new ArrayList<>();
    for (int s = 0; s < STUDENTS; s++) {
      Instant finished = Instant.parse("2026-10-01T12:00:00Z").plusSeconds(s * 2_700L);
      List<String> answers = new ArrayList<>();
      for (int i = cohort.responses().from(s); i < cohort.responses().to(s); i++) {
        int k = i - cohort.responses().from(s);
        answers.add(answer(cohort.responses().itemIndex()[i] + 1, "algebra", cohort.responses().correct()[i] == 1,
            20_000, 0, finished.minusSeconds(60L * (30 - k)).toString()));
      }
      if (s == 0) {
        answers.add(answer(999, "algebra", true, 20_000, 0, finished.minusSeconds(30).toString()));
      }
      if (s == 1) {
        answers.add(answer(7, "algebra", true, -50, 0, finished.minusSeconds(20).toString()));
      }
      sessions.add("(" + (s + 1) + ", " + (s + 1) + ", '" + finished.minusSeconds(1800) + "', '" + finished + "', '"
          + ExamResultsFixture.array(answers.toArray(String[]::new)) + "'::jsonb)");
    }
    TestDatabase.execute(db, "INSERT INTO exam_results (session_id, user_id, started_at, finished_at, responses) "
        + "VALUES " + String.join(", ", sessions));
  }

  private static JobOutcome run(boolean dryRun) {
    Settings settings = new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 2);
    return JobRunner.run(new CalibrateIrtJob(new JdbcAttemptSource(db, 2), CalibrationOptions.defaults()),
        new RunContext(UUID.randomUUID(), CalibrateIrtJob.NAME, DateWindow.day(AS_OF), dryRun, false, "test",
            settings, SPARK, RunContext.NONE));
  }

  private static List<List<List<Object>>> snapshot() {
    List<List<List<Object>>> all = new ArrayList<>();
    for (String t : TABLES) {
      all.add(TestDatabase.query(db, "SELECT * FROM " + t + " ORDER BY 1, 2"));
    }
    return all;
  }

  @Test
  void writesAllFiveTablesWithTheLedgerAndQuarantineAndARerunChangesNothing() {
    JobOutcome out = run(false);

    assertThat(out.rowsQuarantined()).isEqualTo(1);
    assertThat(out.rowsRead()).isEqualTo(STUDENTS * 25L + 1 + 1);
    assertThat(TestDatabase.query(db, "SELECT calibration_id, as_of::text, window_from::text, model, priors, students, "
        + "items, items_calibrated, answers, converged, link_method, link_a, link_b FROM calibrations"))
        .containsExactly(List.of(ID, "2026-10-31", "2026-05-03", "3pl", true, (long) STUDENTS, 41, 40,
            STUDENTS * 25L, true, Linking.NONE_FIRST, 1.0, 0.0));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM mirt_item_params WHERE calibrated")).isEqualTo(40);
    assertThat(TestDatabase.query(db, "SELECT calibrated, flag, a IS NULL, answers FROM mirt_item_params "
        + "WHERE item_id = 999")).containsExactly(List.of(false, "too_few_answers (1 < 20)", true, 1));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM mirt_item_params_history WHERE calibration_id = '"
        + ID + "'")).isEqualTo(41);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM mirt_ability WHERE source = 'calibration'"))
        .isEqualTo(STUDENTS);
    assertThat(TestDatabase.query(db, "SELECT DISTINCT (as_of AT TIME ZONE 'UTC')::text, calibration_id FROM mirt_ability_history"))
        .containsExactly(List.of("2026-10-31 23:59:59.999999", ID));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM mirt_ability WHERE theta_se <= 0 OR theta_se >= 1"))
        .isZero();
    assertThat(TestDatabase.query(db, "SELECT split_part(reason, '(', 1), job FROM quarantine"))
        .containsExactly(List.of("bad_response_time", CalibrateIrtJob.NAME));
    assertThat(TestDatabase.query(db, "SELECT status, rows_written, rows_quarantined FROM job_runs"))
        .containsExactly(List.of("succeeded", 1L + 41 + 41 + STUDENTS + STUDENTS, 1L));
    List<List<List<Object>>> first = snapshot();
    double thetaMean = ((Number) TestDatabase.query(db, "SELECT avg(theta) FROM mirt_ability").get(0).get(0))
        .doubleValue();
    assertThat(thetaMean).isCloseTo(0.0, within(0.15));

    run(false);

    assertThat(snapshot()).as("a rerun of the same window rewrites nothing, not even updated_at").isEqualTo(first);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM job_runs WHERE status = 'succeeded'")).isEqualTo(2);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'stg\\_%'")).isZero();
    assertThat(SPARK.read().format("delta").load(lakeDir.resolve(IrtTables.ABILITY).toString()).count())
        .isEqualTo(STUDENTS);
  }

  /** The last line of defence: whatever a job does, the tables refuse NaN and infinities. */
  @Test
  void theDatabaseRefusesNonFiniteEstimates() {
    for (String value : List.of("'NaN'", "'Infinity'", "'-Infinity'")) {
      assertThatThrownBy(() -> TestDatabase.execute(db, "INSERT INTO mirt_ability (user_id, theta, theta_se, "
          + "answers_used, as_of, source) VALUES (-1, " + value + ", 0.3, 1, now(), 'calibration')"))
          .hasMessageContaining("check constraint");
      assertThatThrownBy(() -> TestDatabase.execute(db, "INSERT INTO mirt_item_params (item_id, model, a, b, c, "
          + "answers, calibration_id, calibrated) VALUES (-1, '3pl', 1, " + value + ", 0.2, 1, 'x', true)"))
          .hasMessageContaining("check constraint");
    }
  }
}
