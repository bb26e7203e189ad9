package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.job.DateWindow;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
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

    int putsBefore = s3.store.puts.get();
    GenerateWeeklyReportsJob rerun = run(settings, s3.storage(InProcessS3.SECRET));
    assertThat(rerun.count(RenderReports.UNCHANGED)).isEqualTo(reports);
    assertThat(s3.store.puts.get()).as("nothing re-uploaded").isEqualTo(putsBefore);
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
