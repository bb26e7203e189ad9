package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.sim.SimulatedData;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.sim.Simulator;
import io.seedtest.analytics.testing.LogCapture;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibrate-irt job end to end in embedded mode (answers from a source, results in a Delta
 * lake) on the simulator's RECOVERY design, small: 1,500 students × 60 items, 30 answers each,
 * plus a few bad rows. Two weekly calibrations run once for the class (Delta writes are the
 * slow part); the other tests each run one job in a lake of their own.
 */
@Tag("spark")
@Tag("slow")
class CalibrateIrtJobLakeTest {
  private static final SparkSession SPARK = SparkTestSession.get();
  private static final SimulationSpec SPEC = SimulationSpec.recovery(1_500, 60, 30, 20261123L)
      .withWindow(LocalDate.parse("2026-08-03"), 91);
  private static final LocalDate AS_OF = SPEC.endDay();
  private static final String FIRST = "3pl-2026-05-04..2026-11-01";
  private static final String SECOND = "3pl-2026-05-11..2026-11-08";
  private static final int STUDENTS = 1_500;
  private static final long SPARSE_ITEM = 9_999L;
  private static final long ONLY_SPARSE_STUDENT = 77_777L;

  private static Dataset<Row> attempts;
  private static Dataset<Row> bank;
  @TempDir
  static Path sharedLake;
  private static CalibrationReport firstReport;
  private static CalibrationReport secondReport;
  private static JobOutcome firstOutcome;
  private static JobOutcome secondOutcome;
  private static List<Row> firstAbilities;
  /** The shared lake's tables after both runs, read once (each Delta read costs seconds). */
  private static final java.util.Map<String, Dataset<Row>> SHARED = new java.util.HashMap<>();
  /** What Delta warned during the two calibrations' MERGEs. */
  private static final List<String> DELTA_WARNINGS = new java.util.ArrayList<>();

  @TempDir
  Path lakeDir;

  /**
   * The simulated answers plus: item 9999 (in the bank) answered by student 1 and by student
   * 77777, who answered nothing else; and an answer with a negative response time.
   */
  @BeforeAll
  static void simulateAndCalibrateTwoWeeks() {
    SimulatedData sim = Simulator.generate(SPARK, SPEC);
    Timestamp at = Timestamp.from(Instant.parse("2026-10-20T10:00:00Z"));
    Timestamp finished = Timestamp.from(Instant.parse("2026-10-20T10:30:00Z"));
    Dataset<Row> extra = SPARK.createDataFrame(List.of(
        RowFactory.create(900_001L, 900_001L, 1L, 1, SPARSE_ITEM, "topic_1", true, 20_000.0, 0, at, finished),
        RowFactory.create(900_002L, 900_002L, ONLY_SPARSE_STUDENT, 1, SPARSE_ITEM, "topic_1", false, 20_000.0, 0, at,
            finished),
        RowFactory.create(900_003L, 900_003L, 77_778L, 1, 5L, "topic_1", false, -5.0, 0, at, finished)),
        Attempts.SCHEMA);
    attempts = sim.attempts().union(extra).cache();
    bank = sim.itemBank().union(SPARK.createDataFrame(List.of(RowFactory.create(SPARSE_ITEM, "topic_1")),
        sim.itemBank().schema())).cache();
    attempts.count();
    try (LogCapture delta = LogCapture.of("org.apache.spark.sql.delta", Level.WARN)) {
      CalibrateIrtJob first = new CalibrateIrtJob(new DatasetAttemptSource(attempts, bank), CalibrationOptions.defaults(),
          r -> firstReport = r);
      firstOutcome = run(first, AS_OF, sharedLake);
      firstAbilities = new Lake(sharedLake).read(SPARK, IrtTables.ABILITY).orderBy("user_id")
          .select("user_id", "theta", "theta_se").collectAsList();
      CalibrateIrtJob second = new CalibrateIrtJob(new DatasetAttemptSource(attempts, bank), CalibrationOptions.defaults(),
          r -> secondReport = r);
      secondOutcome = run(second, AS_OF.plusDays(7), sharedLake);
      DELTA_WARNINGS.addAll(delta.messages());
    }
    for (String name : List.of(IrtTables.CALIBRATIONS, IrtTables.ITEM_PARAMS, IrtTables.ITEM_PARAMS_HISTORY,
        IrtTables.ABILITY, IrtTables.ABILITY_HISTORY, IrtTables.ITEM_DRIFT, "quarantine")) {
      Dataset<Row> t = table(sharedLake, name).cache();
      t.count();
      SHARED.put(name, t);
    }
  }

  @AfterAll
  static void release() {
    attempts.unpersist();
    bank.unpersist();
    SHARED.values().forEach(Dataset::unpersist);
  }

  private static JobOutcome run(CalibrateIrtJob job, LocalDate asOf, Path lake) {
    Settings settings = new Settings(Optional.empty(), lake, 30, 0.0, false, 2);
    return JobRunner.run(job, new RunContext(UUID.randomUUID(), CalibrateIrtJob.NAME, DateWindow.day(asOf), false,
        false, "test", settings, SPARK, RunContext.NONE));
  }

  private static Dataset<Row> table(Path lake, String name) {
    return new Lake(lake).read(SPARK, name);
  }

  private static Dataset<Row> shared(String name) {
    return SHARED.get(name);
  }

  /**
   * Delta's "Merge source has 0 rows in initial scan but 1500 rows in second scan" was logged by
   * the second calibration's MERGE of mirt_ability_history before DeltaMerge materialised its
   * sources: a MERGE source that differs between Delta's two scans can give wrong results.
   */
  @Test
  void everyMergeSourceIsTheSameInBothOfDeltasScans() {
    assertThat(DELTA_WARNINGS).noneMatch(m -> m.contains("rows in initial scan but"));
  }

  @Test
  void writesTheCalibrationItsItemsAndEveryStudentsAbility() {
    Row cal = shared(IrtTables.CALIBRATIONS).where(col("calibration_id").equalTo(FIRST)).first();
    assertThat(cal.<Boolean>getAs("converged")).isTrue();
    assertThat(cal.<String>getAs("link_method")).isEqualTo(Linking.NONE_FIRST);
    // The simulator's students answer genuinely: NT15 finds a handful of fast answers (0.04%
    // measured), which are left out of the answers used.
    java.util.regex.Matcher rapid = java.util.regex.Pattern.compile("of the valid ones (\\d+) rapid guesses left out")
        .matcher(firstOutcome.summary());
    assertThat(rapid.find()).as(firstOutcome.summary()).isTrue();
    long rapidGuesses = Long.parseLong(rapid.group(1));
    assertThat(rapidGuesses).isLessThanOrEqualTo(45);
    assertThat(cal.<Long>getAs("answers")).isEqualTo(45_000L - rapidGuesses);
    assertThat(cal.<Long>getAs("students")).isEqualTo((long) STUDENTS);
    assertThat(cal.<Integer>getAs("items")).isEqualTo(61);
    assertThat(cal.<Integer>getAs("items_calibrated")).isEqualTo(60);
    assertThat(cal.<Integer>getAs("iterations")).isEqualTo(firstReport.result().iterations());
    assertThat(cal.<Double>getAs("max_scaled_gradient")).isLessThan(0.02);
    assertThat(cal.<Double>getAs("log_likelihood")).isEqualTo(firstReport.result().logLikelihood());
    assertThat(shared(IrtTables.ITEM_PARAMS_HISTORY).where(col("calibration_id").equalTo(FIRST)).count())
        .isEqualTo(61);
    assertThat(shared(IrtTables.ABILITY_HISTORY).where(col("calibration_id").equalTo(FIRST)).count())
        .isEqualTo(STUDENTS);
    // item fit of 3PL data under the 3PL: computed for every calibrated item, none misfitting
    Row fit = shared(IrtTables.ITEM_PARAMS_HISTORY).where(col("calibration_id").equalTo(FIRST).and(col("calibrated")))
        .agg(org.apache.spark.sql.functions.count(col("rmsd")), org.apache.spark.sql.functions.max(col("rmsd")))
        .first();
    assertThat(fit.getLong(0)).isEqualTo(60);
    assertThat(fit.getDouble(1)).isBetween(0.0, 0.08);
    // rapid-guess thresholds stored with the items (V18): NT15 of the item's mean time in the window
    Row thresholds = shared(IrtTables.ITEM_PARAMS_HISTORY).where(col("calibration_id").equalTo(FIRST))
        .agg(org.apache.spark.sql.functions.count(col("rapid_guess_ms")),
            org.apache.spark.sql.functions.min(col("rapid_guess_ms")),
            org.apache.spark.sql.functions.max(col("rapid_guess_ms")))
        .first();
    assertThat(thresholds.getLong(0)).isEqualTo(61);
    assertThat(thresholds.getDouble(1)).isGreaterThan(0.0);
    assertThat(thresholds.getDouble(2)).isLessThanOrEqualTo(10_000.0).isGreaterThan(thresholds.getDouble(1));
    double meanOfItem7 = attempts.where(col(Attempts.ITEM_ID).equalTo(7L))
        .agg(org.apache.spark.sql.functions.avg(col(Attempts.RESPONSE_TIME_MS))).first().getDouble(0);
    Row item7 = shared(IrtTables.ITEM_PARAMS).where(col("item_id").equalTo(7L)).first();
    assertThat(item7.<Double>getAs("rapid_guess_ms")).isCloseTo(Math.min(0.15 * meanOfItem7, 10_000.0),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(firstAbilities).allSatisfy(r -> assertThat(r.getDouble(2)).isBetween(0.2, 1.0));
    // read: every valid answer of the window plus the quarantined one
    assertThat(firstOutcome.rowsRead()).isEqualTo(45_000 + 2 + 1);
    assertThat(firstOutcome.rowsWritten()).isEqualTo(1 + 61 + STUDENTS + 61 + STUDENTS);
    for (String name : IrtTables.ALL) {
      assertNoNonFiniteNumbers(name, shared(name));
    }
  }

  /**
   * Bad input: an item answered by two students is flagged and not calibrated (no parameters, not
   * NaN), the student whose only answer it is gets no θ, a malformed answer is quarantined with
   * its reason, and the run succeeds.
   */
  @Test
  void sparseItemsAreFlaggedAndBadRowsQuarantined() {
    assertThat(firstOutcome.rowsQuarantined()).isEqualTo(1);
    assertThat(shared("quarantine").select(org.apache.spark.sql.functions.split(col("reason"), "\\(").getItem(0))
        .as(Encoders.STRING()).collectAsList())
        .containsOnly("bad_response_time");
    Row sparse = shared(IrtTables.ITEM_PARAMS_HISTORY)
        .where(col("calibration_id").equalTo(FIRST).and(col("item_id").equalTo(SPARSE_ITEM))).first();
    assertThat(sparse.<Boolean>getAs("calibrated")).isFalse();
    assertThat(sparse.<String>getAs("flag")).isEqualTo("too_few_answers (2 < 20)");
    assertThat(sparse.isNullAt(sparse.fieldIndex("a"))).isTrue();
    assertThat(sparse.isNullAt(sparse.fieldIndex("se_b"))).isTrue();
    assertThat(sparse.<Integer>getAs("answers")).isEqualTo(2);
    assertThat(shared(IrtTables.ABILITY).where(col("user_id").equalTo(ONLY_SPARSE_STUDENT)).count()).isZero();
    assertThat(shared(IrtTables.ABILITY).where(col("user_id").equalTo(1L)).first().<Integer>getAs("answers_used"))
        .isEqualTo(30);
  }

  /**
   * A week later over (here) the same answers: the second calibration links to the first through
   * the 60 common items, warm-started from it; since nothing changed the link is the identity and
   * every θ stays where it was.
   */
  @Test
  void aLaterCalibrationLinksToThePreviousOneAndWarmStarts() {
    Linking link = secondReport.link();
    assertThat(link.method()).isEqualTo(Linking.STOCKING_LORD);
    assertThat(link.reference()).isEqualTo(FIRST);
    assertThat(link.commonItems()).isEqualTo(60);
    // Same answers, nothing drifted: every common item tested, none flagged or purged.
    assertThat(link.anchorItems()).isEqualTo(60);
    assertThat(link.purgedItems()).isZero();
    Dataset<Row> drift = shared(IrtTables.ITEM_DRIFT).where(col("calibration_id").equalTo(SECOND));
    assertThat(drift.count()).isEqualTo(60);
    assertThat(drift.where(col("flag").or(col("anchor").equalTo(false))).count()).isZero();
    assertThat(drift.where(col("reference_calibration_id").equalTo(FIRST).and(col("q").between(0.0, 1.0))).count())
        .isEqualTo(60);
    assertThat(secondOutcome.summary()).contains("drift: 60 items tested, 0 flagged");
    // the drift test's sampling SEs (V19) are stored for the next calibration, narrower than the
    // posterior ones under the default priors
    Dataset<Row> history = shared(IrtTables.ITEM_PARAMS_HISTORY)
        .where(col("calibration_id").equalTo(SECOND).and(col("calibrated")));
    assertThat(history.where(col(IrtTables.SAMPLING_SE_B).isNull().or(col(IrtTables.SAMPLING_SE_A).isNull())).count())
        .isZero();
    assertThat(history.where(col(IrtTables.SAMPLING_SE_B).lt(col("se_b"))).count()).isGreaterThan(30);
    assertThat(link.transform().a()).isCloseTo(1.0, within(0.01));
    assertThat(link.transform().b()).isCloseTo(0.0, within(0.01));
    assertThat(secondReport.result().iterations()).isLessThan(firstReport.result().iterations());
    List<Row> after = shared(IrtTables.ABILITY).orderBy("user_id").select("user_id", "theta", "theta_se")
        .collectAsList();
    assertThat(after).hasSize(firstAbilities.size());
    for (int i = 0; i < after.size(); i++) {
      assertThat(after.get(i).getDouble(1)).isCloseTo(firstAbilities.get(i).getDouble(1), within(0.02));
    }
    Row cal = shared(IrtTables.CALIBRATIONS).where(col("calibration_id").equalTo(SECOND)).first();
    assertThat(cal.<String>getAs("link_method")).isEqualTo(Linking.STOCKING_LORD);
    assertThat(cal.<String>getAs("link_reference")).isEqualTo(FIRST);
    assertThat(cal.<Integer>getAs("link_common_items")).isEqualTo(60);
    assertThat(cal.<Double>getAs("link_a")).isEqualTo(link.transform().a());
    assertThat(shared(IrtTables.CALIBRATIONS).count()).isEqualTo(2);
    assertThat(shared(IrtTables.ABILITY_HISTORY).count()).isEqualTo(2L * STUDENTS);
    assertThat(shared(IrtTables.ITEM_PARAMS).count()).isEqualTo(61);
    assertThat(shared(IrtTables.ITEM_PARAMS).where(col("calibration_id").equalTo(SECOND)).count()).isEqualTo(61);
  }

  /**
   * A run stopped by the iteration cap is written and recorded as not converged, and says so in
   * its summary. 2PL: c and its SE are not estimated and come out as 0 and NULL, never NaN.
   */
  @Test
  void aRunStoppedByTheIterationCapIsRecordedAsNotConverged() {
    CalibrateIrtJob job = new CalibrateIrtJob(new DatasetAttemptSource(attempts, bank),
        CalibrationOptions.defaults().withModel(ItemModel.TWO_PL).withMaxIterations(3));

    JobOutcome out = run(job, AS_OF, lakeDir);

    Row cal = table(lakeDir, IrtTables.CALIBRATIONS).first();
    assertThat(cal.<Boolean>getAs("converged")).isFalse();
    assertThat(cal.<Integer>getAs("iterations")).isEqualTo(3);
    assertThat(cal.<Double>getAs("max_scaled_gradient")).isGreaterThan(0.02);
    assertThat(out.summary()).contains("NOT CONVERGED (iteration cap)");
    assertThat(out.summary()).containsPattern(
        "answers read \\d+ = valid [1-9]\\d* \\+ quarantined \\d+ \\+ outside the window \\d+");
    Dataset<Row> items = table(lakeDir, IrtTables.ITEM_PARAMS).cache();
    Row item = items.where(col("item_id").equalTo(5L)).first();
    assertThat(item.<Double>getAs("c")).isZero();
    assertThat(item.isNullAt(item.fieldIndex("se_c"))).isTrue();
    assertThat(item.<Double>getAs("se_b")).isPositive();
    assertNoNonFiniteNumbers(IrtTables.ITEM_PARAMS, items);
    items.unpersist();
  }

  @Test
  void aWindowWithoutAnswersIsACleanRunThatWritesNoRows() {
    List<CalibrationReport> reports = new java.util.ArrayList<>();
    CalibrateIrtJob job = new CalibrateIrtJob(new DatasetAttemptSource(attempts, bank), CalibrationOptions.defaults(),
        reports::add);

    JobOutcome out = run(job, LocalDate.parse("2025-01-31"), lakeDir);

    assertThat(out.rowsWritten()).isZero();
    assertThat(out.rowsRead()).isZero();
    assertThat(out.summary()).startsWith("nothing to calibrate: no valid answers in 2024-08-03..2025-01-31");
    assertThat(reports).isEmpty();
    for (String t : List.of(IrtTables.CALIBRATIONS, IrtTables.ITEM_PARAMS, IrtTables.ABILITY)) {
      assertThat(new Lake(lakeDir).exists(SPARK, t)).as(t).isFalse();
    }
    assertThat(table(lakeDir, Lake.JOB_RUNS).where(col("status").equalTo("succeeded")).count()).isEqualTo(1);
  }

  /** Every double column holds finite numbers or NULL: never NaN or ±Infinity. */
  private static void assertNoNonFiniteNumbers(String name, Dataset<Row> t) {
    Column[] bad = Arrays.stream(t.schema().fields()).filter(f -> f.dataType().equals(DataTypes.DoubleType))
        .map(StructField::name)
        .map(c -> org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
            col(c).isNaN().or(col(c).equalTo(lit(Double.POSITIVE_INFINITY)))
                .or(col(c).equalTo(lit(Double.NEGATIVE_INFINITY))), 1).otherwise(0)))
        .toArray(Column[]::new);
    Row r = t.agg(bad[0], Arrays.copyOfRange(bad, 1, bad.length)).first();
    for (int i = 0; i < r.length(); i++) {
      assertThat(r.isNullAt(i) ? 0L : r.getLong(i)).as("non-finite values in %s column %d", name, i).isZero();
    }
  }
}
