package io.seedtest.analytics.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.calibration.CalibrateIrtJob;
import io.seedtest.analytics.calibration.CalibrationOptions;
import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.LakeAttemptSource;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.MirtPublished;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * seedtest import end to end, one test per shape, each ending in a calibration: LSAT7 long CSV
 * into PostgreSQL (2PL and 3PL without priors equal to mirt's published log-likelihoods, 2PL
 * slopes and their SEs against mirt's); wide raw CSV with an answer key into the lake; Parquet
 * (written here from the shipped timed CSV) into the lake. Bad files name row and field.
 */
@Tag("spark")
@Tag("postgres")
@Tag("slow")
class ImportAnswersJobTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final LocalDate EXAM = LocalDate.parse("2026-06-01");
  private static DatabaseUrl db;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void database() {
    db = TestDatabase.fresh("import");
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(db);
  }

  private static String resource(String name) {
    return Path.of("src/test/resources", name).toAbsolutePath().toString();
  }

  private static JobOutcome run(Job job, Settings settings, boolean dryRun) {
    return JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(EXAM), dryRun, false,
        "test", settings, SPARK, RunContext.NONE));
  }

  private static Row calibrate(Settings settings, CalibrationOptions options) {
    AttemptSource source = settings.database().isPresent() ? new JdbcAttemptSource(db, 2)
        : new LakeAttemptSource(new Lake(settings.lake()));
    CalibrationOptions o = options.withWeeks(1).withMinAnswers(5);
    run(new CalibrateIrtJob(source, o), settings, false);
    String id = o.calibrationId(new DateWindow(EXAM.minusDays(6), EXAM));
    return new Lake(settings.lake()).read(SPARK, IrtTables.CALIBRATIONS)
        .where(org.apache.spark.sql.functions.col("calibration_id").equalTo(id)).first();
  }

  /** mirt 1.47's LSAT7 2PL (logLik, a1 and its interval) and 3PL without priors (logLik). */
  @Test
  void lsat7LongCsvIntoPostgresCalibratesToMirtsNumbers() {
    Settings settings = new Settings(Optional.of(db), tmp.resolve("pg-lake"), 30, 0.0, false, 2);
    ImportOptions options = ImportOptions.of(resource("irt/lsat7_long.csv")).withTime(null, EXAM);
    run(new ImportAnswersJob(options), settings, false);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM exam_results")).isEqualTo(1000);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM attempt")).isEqualTo(5000);
    run(new ImportAnswersJob(options), settings, false);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM exam_results")).as("a rerun adds nothing").isEqualTo(1000);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM import_ids WHERE kind = 'item'")).isEqualTo(5);

    CalibrationOptions ml = CalibrationOptions.defaults().withPriors(false);
    Row twoPl = calibrate(settings, ml.withModel(ItemModel.TWO_PL));
    assertThat(twoPl.<Double>getAs("log_likelihood")).isCloseTo(MirtPublished.logLikelihood("LSAT7", "2PL"),
        within(0.01));
    List<List<Object>> slopes = TestDatabase.query(db, "SELECT i.external_id, h.a, h.se_a FROM mirt_item_params_history h"
        + " JOIN import_ids i ON i.kind = 'item' AND i.id = h.item_id WHERE h.calibration_id LIKE '2pl-mle-%'"
        + " ORDER BY 1");
    double[] a = MirtPublished.estimates("LSAT7", "2PL", "a1");
    double[][] ci = MirtPublished.intervals("LSAT7", "2PL", "a1");
    for (int j = 0; j < 5; j++) {
      assertThat(slopes.get(j).get(0)).isEqualTo("Item_" + (j + 1));
      assertThat(((Number) slopes.get(j).get(1)).doubleValue()).isCloseTo(a[j], within(0.01));
      double mirtSe = (ci[j][1] - ci[j][0]) / (2 * 1.959964);
      assertThat(((Number) slopes.get(j).get(2)).doubleValue() / mirtSe).isCloseTo(1.0, within(0.02));
    }
    Row threePl = calibrate(settings, ml.withModel(ItemModel.THREE_PL));
    assertThat(threePl.<Double>getAs("log_likelihood"))
        .isCloseTo(MirtPublished.logLikelihood("LSAT7", "3PL (no priors)"), within(0.01));
  }

  @Test
  void wideRawCsvWithAKeyIntoTheLakeCalibrates() {
    Settings settings = new Settings(Optional.empty(), tmp.resolve("wide-lake"), 30, 0.0, false, 2);
    ImportAnswersJob job = new ImportAnswersJob(ImportOptions.of(resource("import/lsat7_wide_raw.csv"))
        .withKey(resource("import/lsat7_key.csv"), "9").withTime(null, EXAM));
    run(job, settings, true);
    assertThat(job.report()).contains("400 students on 5 items").contains("not answered (empty or '9'): 11 cells")
        .contains("cannot be read: none");
    run(job, settings, false);
    assertThat(new Lake(settings.lake()).read(SPARK, "attempts").count()).isEqualTo(400 * 5 - 11);
    Row fit = calibrate(settings, CalibrationOptions.defaults().withModel(ItemModel.TWO_PL));
    assertThat(fit.<Boolean>getAs("converged")).isTrue();
    assertThat(fit.<Integer>getAs("items_calibrated")).isEqualTo(5);
  }

  @Test
  void parquetIntoTheLakeCalibrates() {
    String parquet = tmp.resolve("lsat7.parquet").toString();
    SPARK.read().option("header", "true").csv(resource("import/lsat7_long_timed.csv")).write().parquet(parquet);
    Settings settings = new Settings(Optional.empty(), tmp.resolve("parquet-lake"), 30, 0.0, false, 2);
    run(new ImportAnswersJob(ImportOptions.of(parquet).withTime(ZoneId.of("Europe/Berlin"), null)), settings, false);
    List<Row> first = new Lake(settings.lake()).read(SPARK, "attempts").orderBy("answered_at").limit(1).collectAsList();
    assertThat(first.get(0).getTimestamp(first.get(0).fieldIndex("answered_at")).toInstant().toString())
        .as("09:00 in Berlin").isEqualTo("2026-06-01T07:00:00Z");
    Row fit = calibrate(settings, CalibrationOptions.defaults().withModel(ItemModel.TWO_PL));
    assertThat(fit.<Long>getAs("answers")).isEqualTo(2000L);
    assertThat(fit.<Boolean>getAs("converged")).isTrue();
  }

  @Test
  void badFilesNameRowAndField() {
    Settings settings = new Settings(Optional.empty(), tmp.resolve("bad-lake"), 30, 0.0, false, 2);
    assertThatThrownBy(() -> run(new ImportAnswersJob(ImportOptions.of(resource("import/bad_long.csv"))
        .withTime(null, EXAM)), settings, false))
        .isInstanceOf(SeedtestException.class)
        .hasMessageContaining("row 2, field correct ('maybe'): not a scored answer")
        .hasMessageContaining("1 more cell(s)").hasMessageContaining("item_id: 1")
        .hasMessageContaining("Nothing was written");
    assertThatThrownBy(() -> run(new ImportAnswersJob(ImportOptions.of(resource("import/bad_wide.csv"))
        .withKey(resource("import/lsat7_key.csv"), null).withTime(null, EXAM)), settings, false))
        .hasMessageContaining("row 1, field Item_9").hasMessageContaining("no entry in the answer key");
    assertThatThrownBy(() -> run(new ImportAnswersJob(ImportOptions.of(resource("import/lsat7_long_timed.csv"))),
        settings, false)).hasMessageContaining("row 1, field answered_at ('2026-06-01 09:00:00'): has no time zone");
    assertThat(new Lake(settings.lake()).exists(SPARK, "attempts")).isFalse();
  }

  /**
   * Two exams in one lake, calibrated in their own scopes: the later one does not try to link to
   * the other exam's calibration, and a rerun of the earlier one still updates the current tables.
   */
  @Test
  void calibrationsOfDifferentScopesAreNotLinked() {
    Settings settings = new Settings(Optional.empty(), tmp.resolve("scope-lake"), 30, 0.0, false, 2);
    LocalDate later = EXAM.plusDays(7);
    run(new ImportAnswersJob(ImportOptions.of(resource("irt/lsat7_long.csv")).withTime(null, EXAM)), settings, false);
    run(new ImportAnswersJob(ImportOptions.of(resource("irt/lsat6_long.csv")).withTime(null, later)), settings, false);
    AttemptSource source = new LakeAttemptSource(new Lake(settings.lake()));
    CalibrationOptions lsat7 = CalibrationOptions.defaults().withModel(ItemModel.TWO_PL).withWeeks(1).withScope("lsat7");
    CalibrationOptions lsat6 = lsat7.withScope("lsat6");
    run(new CalibrateIrtJob(source, lsat7), settings, false);
    JobRunner.run(new CalibrateIrtJob(source, lsat6), new RunContext(UUID.randomUUID(), CalibrateIrtJob.NAME,
        DateWindow.day(later), false, false, "test", settings, SPARK, RunContext.NONE));
    JobOutcome rerun = run(new CalibrateIrtJob(source, lsat7), settings, false);

    List<Row> rows = new Lake(settings.lake()).read(SPARK, IrtTables.CALIBRATIONS).orderBy("calibration_id")
        .select("calibration_id", "link_method", "link_reference").collectAsList();
    assertThat(rows).extracting(r -> r.getString(0)).containsExactly("lsat6:2pl-2026-06-02..2026-06-08",
        "lsat7:2pl-2026-05-26..2026-06-01");
    assertThat(rows).extracting(r -> r.getString(1)).containsOnly("none_first_calibration");
    assertThat(rerun.summary()).doesNotContain("current tables left as they are");
  }
}
