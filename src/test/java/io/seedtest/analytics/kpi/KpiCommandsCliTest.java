package io.seedtest.analytics.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.cli.SeedtestCli;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.sim.SimTables;
import io.seedtest.analytics.testing.SparkTestSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  private record Result(int exit, String out, String err) {}

  /** The CLI with exactly {@code env} as its environment: the process's own (a DATABASE_URL, say) never leaks in. */
  private static Result cli(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SeedtestCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void aTargetThatIsNotANumberIsOneClearLine() {
    Result r = cli(Map.of("METRICS_DEFAULT_TARGET", "high"),
        "compute-daily-kpis", "--date", "2026-11-20", "--lake", lake.toString());

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err.strip().lines()).as("stderr: %s", r.err).hasSize(1);
    assertThat(r.err).startsWith("seedtest: Setting METRICS_DEFAULT_TARGET='high' is invalid: expected a finite number")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void dryRunPrintsTheDistributionOfEveryKpiAndWritesNothing() {
    // embedded mode: the CLI is given an environment without DATABASE_URL, whatever the process has
    SparkSession spark = SparkTestSession.get();
    KpiFixtures f = new KpiFixtures()
        .session(1, 101, "2026-11-20T10:00:00Z", "algebra", "1110", 30_000)
        .session(2, 201, "2026-11-18T09:00:00Z", "algebra", "11", 60_000);
    Lake l = new Lake(lake);
    l.overwrite(Lake.withDay(f.answers().drop("event_day")), Lake.ATTEMPTS, Lake.DAY);
    l.overwrite(spark.createDataFrame(List.of(RowFactory.create(1000L, "algebra"), RowFactory.create(1001L, "algebra"),
        RowFactory.create(1002L, "algebra"), RowFactory.create(1003L, "algebra")), SimTables.ITEM_BANK_SCHEMA), Lake.ITEM_BANK);

    Result r = cli(Map.of(), "compute-daily-kpis", "--date", "2026-11-20", "--dry-run", "--lake", lake.toString());

    assertThat(r.exit).as(r.err).isZero();
    String out = r.out;
    assertThat(out).contains("weekly_kpi 2026-11-20: 2 students");
    for (String kpi : KpiDistribution.NUMERIC) {
      assertThat(out).contains("  " + kpi + " ");
    }
    assertThat(out).contains("theta_source: accuracy 2");
    assertThat(l.exists(spark, KpiTables.WEEKLY_KPI)).isFalse();
    assertThat(l.exists(spark, KpiTables.CHURN_MODELS)).isFalse();
    assertThat(l.exists(spark, Lake.JOB_RUNS)).isFalse();
  }
}
