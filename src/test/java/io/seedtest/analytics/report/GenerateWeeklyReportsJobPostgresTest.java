package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.calibration.CalibrateIrtJob;
import io.seedtest.analytics.calibration.CalibrationOptions;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.kpi.ComputeDailyKpisJob;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.sim.GenerateJob;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report job end to end on PostgreSQL (a schema of its own, dropped after): simulated students
 * → calibrate-irt → aggregate-features-daily → compute-daily-kpis → generate-weekly-reports, then
 * report_artifact and report_recommendations hold one row per report and per recommendation, every
 * artifact's object exists with its checksum, and a rerun of the week writes no new rows.
 */
@Tag("spark")
@Tag("postgres")
class GenerateWeeklyReportsJobPostgresTest {
  private static final LocalDate START = LocalDate.of(2026, 10, 26);
  private static final int DAYS = 35;
  private static final SimulationSpec SPEC = SimulationSpec.realistic().withStudents(40).withItems(60).withTopics(4)
      .withWindow(START, DAYS).withSeed(23);
  private static final LocalDate DAY = START.plusDays(DAYS - 1);

  @TempDir
  static Path lakeDir;
  private static DatabaseUrl db;
  private static Settings settings;
  private static SparkSession spark;

  @BeforeAll
  static void migrate() throws SQLException {
    db = TestDatabase.fresh("report_" + ProcessHandle.current().pid());
    settings = new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 4);
    spark = SparkTestSession.get();
  }

  @AfterAll
  static void drop() throws SQLException {
    if (db != null) {
      TestDatabase.drop(db);
    }
  }

  @Test
  void simulatedStudentsGetReportsArtifactsAndRecommendationsAndARerunWritesNoNewRows() throws Exception {
    new GenerateJob().run(spark, settings, SPEC, false);
    AttemptSource source = AttemptSource.from(settings);
    run(new CalibrateIrtJob(source, CalibrationOptions.defaults()), DateWindow.day(DAY.minusDays(7)));
    run(new AggregateFeaturesDailyJob(source, Granularity.DAY), new DateWindow(START, DAY));
    run(new ComputeDailyKpisJob(source), DateWindow.day(DAY));
    ReportStorage storage = ReportStorage.load(Map.of(), settings, null);
    GenerateWeeklyReportsJob first = new GenerateWeeklyReportsJob(source, storage, ReportOptions.defaults());
    run(first, DateWindow.day(DAY));

    long students = count("SELECT count(*) FROM weekly_kpi WHERE week_ending = DATE '" + DAY + "'");
    assertThat(students).isPositive();
    assertThat(first.failed()).isZero();
    assertThat(first.count(RenderReports.WRITTEN)).isEqualTo(students);
    assertThat(count("SELECT count(*) FROM report_artifact")).isEqualTo(students);
    List<String> artifacts = strings("SELECT url || ' ' || sha256 || ' ' || bytes || ' ' || rendered_at || ' ' "
        + "|| run_id FROM report_artifact ORDER BY user_id");
    for (List<String> a : table("SELECT url, sha256, bytes FROM report_artifact")) {
      byte[] html = Files.readAllBytes(Path.of(URI.create(a.get(0))));
      assertThat(RenderReports.sha256(html)).isEqualTo(a.get(1));
      assertThat((long) html.length).isEqualTo(Long.parseLong(a.get(2)));
    }
    long recs = count("SELECT count(*) FROM report_recommendations");
    long items = count("SELECT count(*) FROM report_recommendations WHERE kind = 'item'");
    assertThat(recs).isPositive();
    // 40 students calibrate 60 items too roughly for an item to be confidently in anyone's band
    // (docs/metrics.md): they get topic advice; if an item does come, it must be calibrated and in band
    assertThat(count("SELECT count(*) FROM report_recommendations WHERE kind = 'topic'")).isEqualTo(recs - items);
    assertThat(count("SELECT count(*) FROM report_recommendations r LEFT JOIN mirt_item_params p "
        + "USING (item_id) WHERE r.kind = 'item' AND (p.calibrated IS NOT TRUE)")).as("never an uncalibrated item")
        .isZero();
    assertThat(count("SELECT count(*) FROM report_recommendations r WHERE r.kind = 'item' AND r.p_success NOT "
        + "BETWEEN " + Recommender.BAND_LOW + " AND " + Recommender.BAND_HIGH)).isZero();

    GenerateWeeklyReportsJob again = new GenerateWeeklyReportsJob(source, storage, ReportOptions.defaults());
    run(again, DateWindow.day(DAY));
    assertThat(count("SELECT count(*) FROM report_artifact WHERE input_hash ~ '^[0-9a-f]{64}$'"))
        .as("V16: every row carries its input hash").isEqualTo(students);
    assertThat(again.count(RenderReports.SKIPPED)).as("same inputs: not rendered again").isEqualTo(students);
    assertThat(again.count(RenderReports.WRITTEN)).isZero();
    assertThat(count("SELECT count(*) FROM report_artifact")).isEqualTo(students);
    assertThat(strings("SELECT url || ' ' || sha256 || ' ' || bytes || ' ' || rendered_at || ' ' || run_id "
        + "FROM report_artifact ORDER BY user_id")).as("unchanged reports keep their rows").isEqualTo(artifacts);
    assertThat(count("SELECT count(*) FROM report_recommendations")).isEqualTo(recs);
  }

  private static void run(Job job, DateWindow window) {
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), window, false, false, "test", settings, spark,
        RunContext.NONE));
  }

  private static long count(String sql) throws SQLException {
    return Long.parseLong(table(sql).get(0).get(0));
  }

  private static List<String> strings(String sql) throws SQLException {
    return table(sql).stream().map(r -> r.get(0)).toList();
  }

  private static List<List<String>> table(String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(r.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
