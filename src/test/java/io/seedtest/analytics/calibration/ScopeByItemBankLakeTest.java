package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.LakeAttemptSource;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.ability.UpdateAbilitiesJob;
import io.seedtest.analytics.ability.UpdateAbilitiesOptions;
import io.seedtest.analytics.sim.SimulatedData;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.sim.Simulator;
import io.seedtest.analytics.testing.LogCapture;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two exams in one lake whose items and students never meet (exam X: items and students of one
 * simulation; exam Y: the same design with other item and student ids), each given in weeks 1 and
 * 3 (X) or 2 and 4 (Y), calibrated week by week without --scope. The scope is derived from the
 * items: each exam's second calibration links to its own first (not to the other exam's, which is
 * the latest earlier one), and a calibration of X is not held back from the current tables by Y's
 * later one. Then update-abilities replays week 5 of X into the lake. Every Delta MERGE of these
 * runs is watched: Delta's warning about a MERGE source that changed between its two scans fails
 * the test (DeltaMerge materialises its sources).
 */
@Tag("spark")
class ScopeByItemBankLakeTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final LocalDate WEEK1 = LocalDate.parse("2026-09-07");
  private static final long Y_OFFSET = 1_000_000L;
  private static final Map<String, JobOutcome> OUTCOMES = new LinkedHashMap<>();
  private static final List<String> DELTA_WARNINGS = new ArrayList<>();
  private static JobOutcome update;
  private static List<Row> calibrations;

  @TempDir
  static Path lakeDir;

  @BeforeAll
  static void twoExamsFourWeeks() {
    SimulationSpec spec = SimulationSpec.recovery(300, 15, 15, 20261202L).withWindow(WEEK1, 7);
    SimulatedData sim = Simulator.generate(SPARK, spec);
    Dataset<Row> x = sim.attempts();
    Dataset<Row> y = x.withColumn("item_id", col("item_id").plus(Y_OFFSET))
        .withColumn("user_id", col("user_id").plus(Y_OFFSET));
    Dataset<Row> attempts = week(x, 0, 0).union(week(y, 1, 1)).union(week(x, 2, 2)).union(week(y, 3, 3))
        .union(week(x, 4, 4));
    Dataset<Row> bank = sim.itemBank().union(sim.itemBank().select(col("item_id").plus(Y_OFFSET).as("item_id"),
        concat(lit("y_"), col("topic")).as("topic")));
    Lake lake = new Lake(lakeDir);
    lake.overwrite(Lake.withDay(attempts), Lake.ATTEMPTS, Lake.DAY);
    lake.overwrite(bank, Lake.ITEM_BANK);
    Settings settings = new Settings(Optional.empty(), lakeDir, 30, 0.0, false, 2);
    CalibrationOptions options = CalibrationOptions.defaults().withModel(ItemModel.TWO_PL).withWeeks(1);
    try (LogCapture delta = LogCapture.of("org.apache.spark.sql.delta", Level.WARN)) {
      // Y's first week before X's first: X then has a later calibration, of another exam
      for (String run : List.of("Y1", "X1", "X2", "Y2")) {
        int weekIndex = switch (run) {
          case "X1" -> 0;
          case "Y1" -> 1;
          case "X2" -> 2;
          default -> 3;
        };
        LocalDate asOf = WEEK1.plusDays(7L * weekIndex + 6);
        OUTCOMES.put(run, JobRunner.run(new CalibrateIrtJob(new LakeAttemptSource(lake), options),
            new RunContext(UUID.randomUUID(), CalibrateIrtJob.NAME, DateWindow.day(asOf), false, false, "test",
                settings, SPARK, RunContext.NONE)));
      }
      UpdateAbilitiesJob job = new UpdateAbilitiesJob(UpdateAbilitiesOptions.defaults());
      update = JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), null, false, false, "test",
          settings.withMaxQuarantineShare(1.0), SPARK, RunContext.NONE));
      DELTA_WARNINGS.addAll(delta.messages());
    }
    calibrations = lake.read(SPARK, IrtTables.CALIBRATIONS).orderBy("as_of")
        .select("calibration_id", "link_method", "link_reference", "link_common_items").collectAsList();
  }

  /** Exam rows moved by {@code weeks} weeks, with result and session ids of their own. */
  private static Dataset<Row> week(Dataset<Row> exam, int weeks, int copy) {
    String shift = "INTERVAL " + (7 * weeks) + " DAYS";
    long ids = 10_000_000L * copy;
    return exam.withColumn("result_id", col("result_id").plus(ids))
        .withColumn("session_id", col("session_id").plus(ids))
        .withColumn("answered_at", col("answered_at").plus(org.apache.spark.sql.functions.expr(shift)))
        .withColumn("finished_at", col("finished_at").plus(org.apache.spark.sql.functions.expr(shift)));
  }

  private static String id(int weekIndex) {
    LocalDate to = WEEK1.plusDays(7L * weekIndex + 6);
    return "2pl-" + to.minusDays(6) + ".." + to;
  }

  @Test
  void eachExamLinksOnlyToItsOwnEarlierCalibration() {
    assertThat(calibrations).extracting(r -> r.getString(0)).containsExactly(id(0), id(1), id(2), id(3));
    Map<String, Row> byId = new LinkedHashMap<>();
    calibrations.forEach(r -> byId.put(r.getString(0), r));
    // first calibrations of each exam: no earlier calibration shares an item with them
    assertThat(byId.get(id(0)).getString(1)).isEqualTo(Linking.NONE_FIRST);
    assertThat(byId.get(id(1)).getString(1)).isEqualTo(Linking.NONE_FIRST);
    // X week 3 links to X week 1 (not Y week 2, the latest earlier one), over all 15 items
    assertThat(byId.get(id(2)).getString(1)).isEqualTo(Linking.STOCKING_LORD);
    assertThat(byId.get(id(2)).getString(2)).isEqualTo(id(0));
    assertThat(byId.get(id(2)).getInt(3)).isEqualTo(15);
    // Y week 4 links to Y week 2 (not X week 3)
    assertThat(byId.get(id(3)).getString(1)).isEqualTo(Linking.STOCKING_LORD);
    assertThat(byId.get(id(3)).getString(2)).isEqualTo(id(1));
    assertThat(byId.get(id(3)).getInt(3)).isEqualTo(15);
  }

  @Test
  void anotherExamsLaterCalibrationDoesNotHoldBackTheCurrentTables() {
    assertThat(OUTCOMES.get("X1").summary()).doesNotContain("current tables left as they are");
    Lake lake = new Lake(lakeDir);
    // every item of both exams has current parameters, from its own exam's latest calibration
    List<Row> current = lake.read(SPARK, IrtTables.ITEM_PARAMS).groupBy("calibration_id").count()
        .orderBy("calibration_id").collectAsList();
    assertThat(current).extracting(r -> r.getString(0) + "=" + r.getLong(1))
        .containsExactly(id(2) + "=15", id(3) + "=15");
  }

  @Test
  void noMergeSourceChangedBetweenDeltasTwoScans() {
    assertThat(update.summary()).contains("updated");
    assertThat(DELTA_WARNINGS).noneMatch(m -> m.contains("rows in initial scan but"));
  }
}
