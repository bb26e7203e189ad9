package io.seedtest.analytics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.testing.SparkTestSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, at a small size: every stage runs and the summary shows each result. */
@Tag("spark")
class DemoCommandTest {
  @TempDir
  Path lake;

  @Test
  void theDemoRunsEveryJobInOrderAndSummarisesTheirResults() {
    SparkSession spark = SparkTestSession.get();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = SeedtestCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
        "demo", "--lake", lake.toString(), "--students", "150", "--items", "120", "--days", "28", "--seed", "7");

    assertThat(exit).as(err.toString()).isZero();
    String summary = out.toString();
    assertThat(summary).contains("=== seedtest demo: results ===", "calibrations (weekly IRT, 3PL):",
        "session-end θ updates:", "RMSE updated θ", "features_topic_daily, the 8 busiest", "weekly_kpi, 8 students",
        "churn models", "job_runs:", "weekly reports:");
    assertThat(summary).containsPattern("open one in a browser:\\n  file:/\\S+/reports/week_ending=\\S+/user_id=\\d+/ko\\.html");
    for (String table : List.of("mirt_item_params", "mirt_ability", "session_ability_updates", "features_topic_daily",
        "weekly_kpi", "inactivity_events", "report_artifact", "report_recommendations")) {
      assertThat(summary).containsPattern("(?m)^" + table + " +[1-9][0-9]* +");
    }
    List<Row> runs = new Lake(lake).read(spark, Lake.JOB_RUNS).orderBy("started_at").collectAsList();
    assertThat(runs.stream().map(r -> r.getAs("job") + ":" + r.getAs("status")).collect(Collectors.toList()))
        .containsExactly("calibrate-irt:succeeded", "update-abilities:succeeded", "aggregate-features-daily:succeeded",
            "compute-daily-kpis:succeeded", "detect-inactivity:succeeded", "generate-weekly-reports:succeeded");
  }
}
