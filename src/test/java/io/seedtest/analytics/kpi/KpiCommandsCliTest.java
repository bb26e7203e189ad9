package io.seedtest.analytics.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.cli.SeedtestCli;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.sim.SimTables;
import io.seedtest.analytics.testing.SparkTestSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two subcommands as an operator meets them. */
@Tag("spark")
class KpiCommandsCliTest {
  @TempDir
  Path lake;

  @Test
  void aTargetThatIsNotANumberIsOneClearLine() throws IOException, InterruptedException {
    // the settings come from the environment, so this runs the CLI in its own JVM with the bad value
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SeedtestCli.class.getName(),
        "compute-daily-kpis", "--date", "2026-11-20", "--lake", lake.toString());
    pb.environment().remove("DATABASE_URL");
    pb.environment().put("METRICS_DEFAULT_TARGET", "high");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err.strip().lines()).as("stderr: %s", err).hasSize(1);
    assertThat(err).startsWith("seedtest: Setting METRICS_DEFAULT_TARGET='high' is invalid: expected a finite number")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void dryRunPrintsTheDistributionOfEveryKpiAndWritesNothing() {
    // embedded mode: the CLI takes DATABASE_URL from the environment, so only without one
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DATABASE_URL") == null, "DATABASE_URL is set");
    SparkSession spark = SparkTestSession.get();
    KpiFixtures f = new KpiFixtures()
        .session(1, 101, "2026-11-20T10:00:00Z", "algebra", "1110", 30_000)
        .session(2, 201, "2026-11-18T09:00:00Z", "algebra", "11", 60_000);
    Lake l = new Lake(lake);
    l.overwrite(Lake.withDay(f.answers().drop("event_day")), Lake.ATTEMPTS, Lake.DAY);
    l.overwrite(spark.createDataFrame(List.of(RowFactory.create(1000L, "algebra"), RowFactory.create(1001L, "algebra"),
        RowFactory.create(1002L, "algebra"), RowFactory.create(1003L, "algebra")), SimTables.ITEM_BANK_SCHEMA), Lake.ITEM_BANK);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = SeedtestCli.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "compute-daily-kpis", "--date", "2026-11-20", "--dry-run", "--lake", lake.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("weekly_kpi 2026-11-20: 2 students");
    for (String kpi : KpiDistribution.NUMERIC) {
      assertThat(out.toString()).contains("  " + kpi + " ");
    }
    assertThat(out.toString()).contains("theta_source: accuracy 2");
    assertThat(l.exists(spark, KpiTables.WEEKLY_KPI)).isFalse();
    assertThat(l.exists(spark, KpiTables.CHURN_MODELS)).isFalse();
    assertThat(l.exists(spark, Lake.JOB_RUNS)).isFalse();
  }
}
