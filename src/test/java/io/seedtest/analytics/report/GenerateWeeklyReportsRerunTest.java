package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.kpi.KpiTables;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole-run skip (ReportRuns): a rerun of the week whose input tables have the versions the
 * last completed run recorded reads no input and writes nothing; a changed input sends the run
 * through the per-student input hash, which renders only the student whose inputs changed.
 */
@Tag("spark")
class GenerateWeeklyReportsRerunTest {
  @TempDir
  Path root;

  @Test
  void aRerunWithNoInputChangedWritesNothingAndAChangeReRendersOnlyHer() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Settings settings = new Settings(Optional.empty(), root.resolve("lake"), 30, 0.0, false, 2);
    Lake lake = ReportLake.write(spark, root.resolve("lake"));
    int reports = ReportLake.STUDENTS + 1;

    GenerateWeeklyReportsJob first = run(spark, settings);
    assertThat(first.count(RenderReports.WRITTEN)).isEqualTo(reports);
    List<Row> runs = lake.read(spark, ReportRuns.TABLE).collectAsList();
    assertThat(runs).singleElement().satisfies(r -> {
      assertThat(r.<String>getAs("users_scope")).isEqualTo("all");
      assertThat(r.<Long>getAs("reports")).isEqualTo(reports);
      assertThat(r.<String>getAs("inputs")).contains(KpiTables.WEEKLY_KPI + "=v", Lake.ATTEMPTS + "=v");
    });
    List<Row> artifacts = lake.read(spark, ReportTables.ARTIFACT).collectAsList();
    List<Row> recommendations = lake.read(spark, ReportTables.RECOMMENDATIONS).collectAsList();
    long artifactVersion = version(spark, lake, ReportTables.ARTIFACT);
    long recommendationsVersion = version(spark, lake, ReportTables.RECOMMENDATIONS);
    long runsVersion = version(spark, lake, ReportRuns.TABLE);

    GenerateWeeklyReportsJob again = run(spark, settings);
    assertThat(again.count(RenderReports.SKIPPED)).isEqualTo(reports);
    assertThat(again.count(RenderReports.WRITTEN) + again.count(RenderReports.UNCHANGED)).isZero();
    assertThat(again.renderSeconds()).as("not even recommendations chosen").isZero();
    assertThat(again.report()).contains("nothing to do, no input table changed since run "
        + runs.get(0).getAs("run_id"));
    assertThat(version(spark, lake, ReportTables.RECOMMENDATIONS)).as("no recommendation row written")
        .isEqualTo(recommendationsVersion);
    assertThat(version(spark, lake, ReportTables.ARTIFACT)).isEqualTo(artifactVersion);
    assertThat(version(spark, lake, ReportRuns.TABLE)).isEqualTo(runsVersion);
    assertThat(lake.read(spark, ReportTables.RECOMMENDATIONS).collectAsList())
        .containsExactlyInAnyOrderElementsOf(recommendations);
    assertThat(lake.read(spark, ReportTables.ARTIFACT).collectAsList()).containsExactlyInAnyOrderElementsOf(artifacts);

    // a report file removed out of band: the listing no longer shows every report, so not skipped whole
    Path gone = root.resolve("lake/reports/week_ending=" + ReportLake.DAY + "/user_id=2/ko.html");
    Files.delete(gone);
    GenerateWeeklyReportsJob missing = run(spark, settings);
    assertThat(missing.count(RenderReports.WRITTEN)).isEqualTo(1);
    assertThat(missing.count(RenderReports.SKIPPED)).isEqualTo(reports - 1);
    assertThat(gone).exists();

    // student 3's accuracy this week changes: weekly_kpi's version moves, only she is rendered again
    List<Row> kpis = lake.read(spark, KpiTables.WEEKLY_KPI)
        .withColumn("a_t", when(col("user_id").equalTo(3).and(col("week_ending").equalTo(lit(
            java.sql.Date.valueOf(ReportLake.DAY)))), lit(0.123)).otherwise(col("a_t")))
        .collectAsList();
    lake.overwrite(spark.createDataFrame(kpis, ReportLake.KPI), KpiTables.WEEKLY_KPI);
    GenerateWeeklyReportsJob changed = run(spark, settings);
    assertThat(changed.count(RenderReports.WRITTEN)).isEqualTo(1);
    assertThat(changed.count(RenderReports.SKIPPED)).isEqualTo(reports - 1);
    Map<Long, Row> after = byUser(lake.read(spark, ReportTables.ARTIFACT).collectAsList());
    for (Row before : artifacts) {
      long user = before.getAs("user_id");
      if (user == 3) {
        assertThat(after.get(user).<String>getAs("sha256")).isNotEqualTo(before.getAs("sha256"));
      } else {
        assertThat(after.get(user)).isEqualTo(before);
      }
    }
    assertThat(lake.read(spark, ReportRuns.TABLE).collectAsList()).as("the record follows the new versions")
        .singleElement().satisfies(r -> assertThat(r.<String>getAs("inputs")).isNotEqualTo(runs.get(0).getAs("inputs")));
    assertThat(run(spark, settings).report()).contains("nothing to do");
  }

  private static GenerateWeeklyReportsJob run(SparkSession spark, Settings settings) {
    GenerateWeeklyReportsJob job = new GenerateWeeklyReportsJob(AttemptSource.from(settings),
        ReportStorage.load(Map.of(), settings, null), ReportOptions.defaults());
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(ReportLake.DAY), false, false,
        "test", settings, spark, RunContext.NONE));
    return job;
  }

  private static long version(SparkSession spark, Lake lake, String table) {
    return DeltaTable.forPath(spark, lake.path(table)).history(1).head().<Long>getAs("version");
  }

  private static Map<Long, Row> byUser(List<Row> rows) {
    Map<Long, Row> m = new java.util.TreeMap<>();
    rows.forEach(r -> m.put(r.getAs("user_id"), r));
    return m;
  }
}
