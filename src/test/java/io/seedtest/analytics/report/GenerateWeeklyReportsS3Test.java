package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.kpi.KpiTables;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports into a real S3 server (s3proxy, in-process): the upload, a rerun that stores nothing,
 * the server going away mid-run, wrong credentials. One lake per test method, so each starts empty.
 */
@Tag("spark")
class GenerateWeeklyReportsS3Test {
  static SparkSession spark;
  static InProcessS3 s3;
  @TempDir
  Path root;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkTestSession.get();
    s3 = new InProcessS3();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  private GenerateWeeklyReportsJob run(Settings settings, ReportStorage storage) {
    GenerateWeeklyReportsJob job = new GenerateWeeklyReportsJob(AttemptSource.from(settings), storage,
        ReportOptions.defaults());
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(ReportLake.DAY), false, false,
        "test", settings, spark, RunContext.NONE));
    return job;
  }

  @Test
  void uploadsThenARerunUploadsNothingThenTheServerStopsMidRunAndARerunFinishes() throws Exception {
    Settings settings = new Settings(Optional.empty(), root.resolve("lake"), 30, 0.0, false, 2);
    Lake lake = ReportLake.write(spark, root.resolve("lake"));
    int reports = ReportLake.STUDENTS + 1;

    GenerateWeeklyReportsJob first = run(settings, s3.storage(InProcessS3.SECRET));
    assertThat(first.count(RenderReports.WRITTEN)).isEqualTo(reports);
    List<Row> rows = lake.read(spark, ReportTables.ARTIFACT).collectAsList();
    assertThat(rows).hasSize(reports);
    for (Row r : rows) {
      String key = "weekly/week_ending=" + ReportLake.DAY + "/user_id=" + r.getAs("user_id") + "/ko.html";
      assertThat(r.<String>getAs("url")).isEqualTo("s3://" + InProcessS3.BUCKET + "/" + key);
      assertThat(s3.contentType(key)).isEqualTo("text/html; charset=utf-8");
      assertThat(s3.metadata(key)).containsEntry(S3ReportStore.SHA256_METADATA, r.getAs("sha256"));
    }

    assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("input_hash")).matches("[0-9a-f]{64}"));

    int putsBefore = s3.store.puts.get();
    int headsBefore = s3.store.heads.get();
    long artifactVersion = version(lake, ReportTables.ARTIFACT);
    long recommendationsVersion = version(lake, ReportTables.RECOMMENDATIONS);
    GenerateWeeklyReportsJob rerun = run(settings, s3.storage(InProcessS3.SECRET));
    assertThat(version(lake, ReportTables.ARTIFACT)).as("no MERGE into report_artifact").isEqualTo(artifactVersion);
    assertThat(version(lake, ReportTables.RECOMMENDATIONS)).as("no MERGE into report_recommendations")
        .isEqualTo(recommendationsVersion);
    assertThat(rerun.count(RenderReports.SKIPPED)).as("nothing re-rendered").isEqualTo(reports);
    assertThat(rerun.renderSeconds()).as("only recommendations chosen").isLessThan(first.renderSeconds());
    assertThat(s3.store.puts.get()).as("nothing re-uploaded").isEqualTo(putsBefore);
    assertThat(s3.store.heads.get()).as("one listing, no HEAD per report").isEqualTo(headsBefore);
    assertThat(lake.read(spark, ReportTables.ARTIFACT).collectAsList()).as("no new or changed rows")
        .containsExactlyInAnyOrderElementsOf(rows);

    // A new week's lake (another as-of) with the server going away after 2 uploads.
    Path other = root.resolve("lake2");
    Settings settings2 = new Settings(Optional.empty(), other, 30, 0.0, false, 2);
    Lake lake2 = ReportLake.write(spark, other);
    s3.store.stopAfter = s3.store.puts.get() + 2;
    ReportStorage elsewhere = new ReportStorage("s3://" + InProcessS3.BUCKET + "/second", s3.storage("").endpoint(),
        "us-east-1", true, InProcessS3.KEY, InProcessS3.SECRET);
    GenerateWeeklyReportsJob broken = run(settings2, elsewhere);
    assertThat(broken.failed()).isPositive();
    assertThat(broken.firstError()).isNotBlank();
    s3.start();
    List<Row> partial = lake2.read(spark, ReportTables.ARTIFACT).collectAsList();
    assertThat(partial).hasSize((int) (reports - broken.failed()));
    for (Row r : partial) {
      assertThat(s3.exists(r.<String>getAs("url").substring(("s3://" + InProcessS3.BUCKET + "/").length())))
          .as("a row only for an object that exists").isTrue();
    }
    GenerateWeeklyReportsJob finish = run(settings2, elsewhere);
    assertThat(finish.failed()).isZero();
    assertThat(lake2.read(spark, ReportTables.ARTIFACT).count()).isEqualTo(reports);
  }

  private long version(Lake lake, String table) {
    return io.delta.tables.DeltaTable.forPath(spark, lake.path(table)).history(1).head().<Long>getAs("version");
  }

  @Test
  void aRerunRendersOnlyWhatChangedOrWentMissing() throws Exception {
    Settings settings = new Settings(Optional.empty(), root.resolve("lake"), 30, 0.0, false, 2);
    Lake lake = ReportLake.write(spark, root.resolve("lake"));
    int reports = ReportLake.STUDENTS + 1;
    ReportStorage storage = new ReportStorage("s3://" + InProcessS3.BUCKET + "/changes", s3.storage("").endpoint(),
        "us-east-1", true, InProcessS3.KEY, InProcessS3.SECRET);
    int putsAtStart = s3.store.puts.get();
    assertThat(run(settings, storage).count(RenderReports.WRITTEN)).isEqualTo(reports);
    assertThat(s3.store.puts.get()).as("one PUT per report").isEqualTo(putsAtStart + reports);
    Map<Long, Row> before = byUser(lake.read(spark, ReportTables.ARTIFACT).collectAsList());

    // deleted out of band: uploaded again with the same bytes, the row is unchanged
    String gone = "changes/week_ending=" + ReportLake.DAY + "/user_id=2/ko.html";
    s3.store.removeBlob(InProcessS3.BUCKET, gone);
    int puts = s3.store.puts.get();
    GenerateWeeklyReportsJob missing = run(settings, storage);
    assertThat(missing.count(RenderReports.WRITTEN)).isEqualTo(1);
    assertThat(missing.count(RenderReports.SKIPPED)).isEqualTo(reports - 1);
    assertThat(s3.store.puts.get()).isEqualTo(puts + 1);
    assertThat(s3.exists(gone)).isTrue();
    assertThat(s3.metadata(gone)).containsEntry(S3ReportStore.SHA256_METADATA, before.get(2L).getAs("sha256"));
    assertThat(byUser(lake.read(spark, ReportTables.ARTIFACT).collectAsList())).isEqualTo(before);

    // student 3's accuracy this week changes: only her report is rendered, stored and its row updated
    List<Row> kpis = lake.read(spark, KpiTables.WEEKLY_KPI)
        .withColumn("a_t", when(col("user_id").equalTo(3).and(col("week_ending").equalTo(lit(
            java.sql.Date.valueOf(ReportLake.DAY)))), lit(0.123)).otherwise(col("a_t")))
        .collectAsList();
    lake.overwrite(spark.createDataFrame(kpis, ReportLake.KPI), KpiTables.WEEKLY_KPI);
    puts = s3.store.puts.get();
    GenerateWeeklyReportsJob changed = run(settings, storage);
    assertThat(changed.count(RenderReports.WRITTEN)).isEqualTo(1);
    assertThat(changed.count(RenderReports.SKIPPED)).isEqualTo(reports - 1);
    assertThat(s3.store.puts.get()).isEqualTo(puts + 1);
    Map<Long, Row> after = byUser(lake.read(spark, ReportTables.ARTIFACT).collectAsList());
    assertThat(after).hasSize(reports);
    for (long user : before.keySet()) {
      if (user == 3) {
        assertThat(after.get(user).<String>getAs("sha256")).isNotEqualTo(before.get(user).getAs("sha256"));
        assertThat(after.get(user).<String>getAs("input_hash")).isNotEqualTo(before.get(user).getAs("input_hash"));
      } else {
        assertThat(after.get(user)).isEqualTo(before.get(user));
      }
    }
  }

  @Test
  void aTableWrittenBeforeTheInputHashRendersOnceMoreThenSkips() throws Exception {
    Settings settings = new Settings(Optional.empty(), root.resolve("lake"), 30, 0.0, false, 2);
    Lake lake = ReportLake.write(spark, root.resolve("lake"));
    int reports = ReportLake.STUDENTS + 1;
    ReportStorage storage = new ReportStorage("s3://" + InProcessS3.BUCKET + "/legacy", s3.storage("").endpoint(),
        "us-east-1", true, InProcessS3.KEY, InProcessS3.SECRET);
    run(settings, storage);
    // the lake table as written before V16: no input_hash column
    List<Row> old = lake.read(spark, ReportTables.ARTIFACT).drop("input_hash").collectAsList();
    lake.overwrite(spark.createDataFrame(old, lake.read(spark, ReportTables.ARTIFACT).drop("input_hash").schema()),
        ReportTables.ARTIFACT, "week_ending");
    assertThat(lake.read(spark, ReportTables.ARTIFACT).columns()).doesNotContain("input_hash");

    int puts = s3.store.puts.get();
    int heads = s3.store.heads.get();
    GenerateWeeklyReportsJob again = run(settings, storage);
    assertThat(again.count(RenderReports.UNCHANGED)).as("rendered, same checksum").isEqualTo(reports);
    assertThat(s3.store.puts.get()).isEqualTo(puts);
    assertThat(s3.store.heads.get()).as("listed objects are compared by HEAD").isEqualTo(heads + reports);
    assertThat(lake.read(spark, ReportTables.ARTIFACT).collectAsList())
        .allSatisfy(r -> assertThat(r.<String>getAs("input_hash")).matches("[0-9a-f]{64}"));
    assertThat(run(settings, storage).count(RenderReports.SKIPPED)).isEqualTo(reports);
  }

  private static Map<Long, Row> byUser(List<Row> rows) {
    Map<Long, Row> m = new TreeMap<>();
    rows.forEach(r -> m.put(r.getAs("user_id"), r));
    return m;
  }

  @Test
  void wrongCredentialsFailOnOneLineWithoutTheSecret() {
    Settings settings = new Settings(Optional.empty(), root.resolve("lake"), 30, 0.0, false, 2);
    ReportLake.write(spark, root.resolve("lake"));
    String wrong = "wrong-secret-do-not-print";
    assertThatThrownBy(() -> run(settings, s3.storage(wrong)))
        .isInstanceOf(SeedtestException.class)
        .satisfies(e -> {
          assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain("\n").contains("refused access")
              .contains("HTTP 403");
          assertThat(((SeedtestException) e).exitCode()).isEqualTo(io.seedtest.analytics.Errors.CONFIG);
        });
  }
}
