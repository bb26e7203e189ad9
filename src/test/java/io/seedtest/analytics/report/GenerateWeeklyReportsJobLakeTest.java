package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.testing.SparkTestSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job in embedded mode: reports under the lake's folder, tables in the lake. */
@Tag("spark")
class GenerateWeeklyReportsJobLakeTest {
  @TempDir
  static Path root;
  static SparkSession spark;
  static Settings settings;
  static Lake lake;

  @BeforeAll
  static void lake() {
    spark = SparkTestSession.get();
    settings = new Settings(Optional.empty(), root.resolve("lake"), 30, 0.0, false, 2);
    lake = ReportLake.write(spark, root.resolve("lake"));
  }

  static GenerateWeeklyReportsJob run(ReportOptions options, boolean dryRun) {
    GenerateWeeklyReportsJob job = new GenerateWeeklyReportsJob(AttemptSource.from(settings),
        ReportStorage.load(Map.of(), settings, null), options);
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(ReportLake.DAY), dryRun, false,
        "test", settings, spark, RunContext.NONE));
    return job;
  }

  @Test
  void rendersStoresListsAndARerunChangesNothing() throws Exception {
    GenerateWeeklyReportsJob first = run(ReportOptions.defaults(), false);
    // (another test of the class may have stored this week's Korean reports already)
    assertThat(first.count(RenderReports.WRITTEN) + first.count(RenderReports.UNCHANGED))
        .isEqualTo(ReportLake.STUDENTS + 1);
    assertThat(first.failed()).isZero();
    // (the English test of the class may have added a row in locale en)
    List<Row> artifacts = lake.read(spark, ReportTables.ARTIFACT).where("locale = 'ko'").orderBy("user_id")
        .collectAsList();
    assertThat(artifacts).hasSize(ReportLake.STUDENTS + 1);
    for (Row a : artifacts) {
      String url = a.getAs("url");
      assertThat(url).startsWith("file:/").endsWith("/week_ending=" + ReportLake.DAY + "/user_id=" + a.getAs("user_id")
          + "/ko.html");
      byte[] bytes = Files.readAllBytes(Path.of(URI.create(url)));
      assertThat(RenderReports.sha256(bytes)).isEqualTo(a.getAs("sha256"));
      assertThat((long) bytes.length).isEqualTo(a.<Long>getAs("bytes"));
    }
    String html = Files.readString(Path.of(URI.create(artifacts.get(0).getAs("url"))), StandardCharsets.UTF_8);
    assertThat(html).contains("&lt;script&gt;").doesNotContain("<script");

    GenerateWeeklyReportsJob again = run(ReportOptions.defaults(), false);
    // same inputs, files listed in place: skipped before rendering
    assertThat(again.count(RenderReports.SKIPPED)).isEqualTo(ReportLake.STUDENTS + 1);
    assertThat(again.count(RenderReports.WRITTEN)).isZero();
    // the rows still carry the first run's id: nothing about them changed
    assertThat(lake.read(spark, ReportTables.ARTIFACT).where("locale = 'ko'").collectAsList())
        .containsExactlyInAnyOrderElementsOf(artifacts);
  }

  @Test
  void recommendationsFollowTheRules() {
    run(ReportOptions.defaults(), false);
    List<Row> recs = lake.read(spark, ReportTables.RECOMMENDATIONS).where("week_ending = DATE'" + ReportLake.DAY + "'")
        .orderBy("user_id", "rank").collectAsList();
    List<Row> items = recs.stream().filter(r -> r.getLong(0) != ReportLake.NEWCOMER).toList();
    // θ = 0 with SE 0.3 and a = 1.2 items spaced 0.08 in b: only 4 unanswered items reach q ≥ 0.75
    // (Recommender.CONFIDENCE); the rule gives fewer than top-N rather than an item it is unsure of
    assertThat(items).hasSize(ReportLake.STUDENTS * 4);
    for (Row r : items) {
      long item = r.getAs("item_id");
      assertThat(item < ReportLake.RECENT_FROM || item > ReportLake.RECENT_TO)
          .as("item %d: never one answered in the last 4 weeks", item).isTrue();
      assertThat(item).as("never an uncalibrated item").isLessThanOrEqualTo(ReportLake.CALIBRATED);
      assertThat(r.<Double>getAs("p_success")).isBetween(Recommender.BAND_LOW, Recommender.BAND_HIGH);
    }
    // the 3 weakest topics form the first tier, ranked within by q (in-band probability), not by topic
    assertThat(items.stream().limit(4).map(r -> r.<String>getAs("topic")).toList()).as("weakest topic in the first tier")
        .contains(ReportFixtures.MARKUP);
    List<Row> newcomer = recs.stream().filter(r -> r.getLong(0) == ReportLake.NEWCOMER).toList();
    assertThat(newcomer).singleElement().satisfies(r -> {
      assertThat(r.<String>getAs("kind")).isEqualTo(Recommendation.TOPIC);
      assertThat(r.<String>getAs("topic")).isEqualTo("algebra");
      assertThat(r.isNullAt(r.fieldIndex("item_id"))).isTrue();
    });
  }

  @Test
  void englishAndASubsetAndADryRunThatStoresNothing() {
    GenerateWeeklyReportsJob dry = run(new ReportOptions(ReportLocale.EN, List.of(ReportLake.NEWCOMER), 3), true);
    assertThat(dry.count(RenderReports.DRY_RUN)).isEqualTo(1);
    assertThat(Files.exists(root.resolve("lake/reports/week_ending=" + ReportLake.DAY + "/user_id=99/en.html")))
        .isFalse();
    GenerateWeeklyReportsJob en = run(new ReportOptions(ReportLocale.EN, List.of(ReportLake.NEWCOMER), 3), false);
    assertThat(en.count(RenderReports.WRITTEN)).isEqualTo(1);
    assertThat(root.resolve("lake/reports/week_ending=" + ReportLake.DAY + "/user_id=99/en.html")).exists()
        .content(StandardCharsets.UTF_8).contains("Weekly learning report");
  }
}
