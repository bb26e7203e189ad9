package io.seedtest.analytics.calibration;

import static io.seedtest.analytics.testing.ExamResultsFixture.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every estimate kept (V13): a 2PL calibration after a 3PL one of the same window adds its θ rows
 * beside the 3PL's in mirt_ability_history (PostgreSQL and lake), and the readers'
 * {@link AbilityHistory} still see one θ per (user, as_of, source): the latest calibration's.
 */
@Tag("spark")
@Tag("postgres")
class AbilityHistoryByCalibrationTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-10-31");
  private static final int STUDENTS = 200;
  private static final int ITEMS = 12;
  private static final SparkSession SPARK = SparkTestSession.get();

  private static DatabaseUrl db;
  @TempDir
  static Path lakeDir;

  @BeforeAll
  static void seed() {
    db = TestDatabase.fresh("abhist");
    ExamResultsFixture fixture = new ExamResultsFixture(db);
    ItemParams[] bank = IrtFixtures.itemBank(7L, ITEMS);
    IrtFixtures.Cohort cohort = IrtFixtures.cohort(8L, bank, IrtFixtures.range(0, ITEMS), STUDENTS, 8, 0.0, 1.0);
    StringBuilder items = new StringBuilder("INSERT INTO item_bank (item_id, topic) VALUES (1, 'algebra')");
    for (int j = 1; j < ITEMS; j++) {
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
      sessions.add("(" + (s + 1) + ", " + (s + 1) + ", '" + finished.minusSeconds(1800) + "', '" + finished + "', '"
          + ExamResultsFixture.array(answers.toArray(String[]::new)) + "'::jsonb)");
    }
    TestDatabase.execute(db, "INSERT INTO exam_results (session_id, user_id, started_at, finished_at, responses) "
        + "VALUES " + String.join(", ", sessions));
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(db);
  }

  private static Settings settings() {
    return new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 2);
  }

  private static void calibrate(ItemModel model) {
    JobRunner.run(new CalibrateIrtJob(new JdbcAttemptSource(db, 2), CalibrationOptions.defaults().withModel(model)),
        new RunContext(UUID.randomUUID(), CalibrateIrtJob.NAME, DateWindow.day(AS_OF), false, false, "test",
            settings(), SPARK, RunContext.NONE));
  }

  @Test
  void aSecondModelOnTheSameWindowKeepsTheFirstModelsThetas() {
    calibrate(ItemModel.THREE_PL);
    calibrate(ItemModel.TWO_PL);

    assertThat(TestDatabase.query(db, "SELECT calibration_id, count(*) FROM mirt_ability_history "
        + "GROUP BY calibration_id ORDER BY 1")).containsExactly(
            List.of("2pl-2026-05-03..2026-10-31", (long) STUDENTS), List.of("3pl-2026-05-03..2026-10-31", (long) STUDENTS));
    Dataset<Row> lake = SPARK.read().format("delta").load(lakeDir.resolve(IrtTables.ABILITY_HISTORY).toString());
    assertThat(lake.count()).isEqualTo(2L * STUDENTS);

    Dataset<Row> latest = AbilityHistory.read(SPARK, settings()).orElseThrow();
    assertThat(latest.count()).isEqualTo(STUDENTS);
    assertThat(latest.select("calibration_id").distinct().collectAsList())
        .extracting(r -> r.getString(0)).containsExactly("2pl-2026-05-03..2026-10-31");
    assertThat(AbilityHistory.read(SPARK, new io.seedtest.analytics.io.Lake(lakeDir)).count()).isEqualTo(STUDENTS);

    calibrate(ItemModel.THREE_PL);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM mirt_ability_history")).as("a rerun adds nothing")
        .isEqualTo(2L * STUDENTS);
    assertThat(AbilityHistory.read(SPARK, settings()).orElseThrow().select("calibration_id").distinct()
        .collectAsList()).as("the latest calibration is the one created last, not the one rerun last")
        .extracting(r -> r.getString(0)).containsExactly("2pl-2026-05-03..2026-10-31");
  }
}
