package io.seedtest.analytics.cli;

import static org.apache.spark.sql.functions.col;

import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.kpi.KpiTables;
import io.seedtest.analytics.report.ReportTables;
import io.seedtest.analytics.ability.OnlineThetaSummary;
import io.seedtest.analytics.ability.SessionTables;
import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The closing report of {@code demo}: every result table, where it is, how many rows, a sample. */
final class DemoSummary {
  /** Tables in pipeline order; absent ones (later stages not run) are skipped. */
  private static final List<String> TABLES = List.of("attempts", "item_bank", "sim_items", "sim_students",
      "sim_student_days", "goals", IrtTables.CALIBRATIONS, IrtTables.ITEM_PARAMS, IrtTables.ITEM_PARAMS_HISTORY,
      IrtTables.ABILITY, IrtTables.ABILITY_HISTORY, SessionTables.UPDATES, FeaturesTopicDaily.TABLE,
      KpiTables.WEEKLY_KPI, KpiTables.CHURN_MODELS, KpiTables.INACTIVITY_EVENTS, ReportTables.ARTIFACT,
      ReportTables.RECOMMENDATIONS, "quarantine", "job_runs");

  private final SparkSession spark;
  private final Settings settings;

  DemoSummary(SparkSession spark, Settings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  void print(PrintWriter out) {
    Lake lake = new Lake(settings.lake());
    out.println();
    out.println("=== seedtest demo: results ===");
    out.println("Delta lake: " + lake.root() + settings.database().map(db -> "   PostgreSQL: " + db).orElse(""));
    out.printf("%-26s %12s  %s%n", "table", "rows", "path");
    for (String t : TABLES) {
      if (lake.exists(spark, t)) {
        out.printf("%-26s %12d  %s%n", t, lake.read(spark, t).count(), lake.path(t));
      }
    }
    if (lake.exists(spark, IrtTables.CALIBRATIONS)) {
      out.println();
      out.println("calibrations (weekly IRT, 3PL):");
      sample(out, lake.read(spark, IrtTables.CALIBRATIONS).orderBy("as_of"), "as_of", "students", "items_calibrated",
          "answers", "iterations", "log_likelihood", "converged", "link_method");
      out.println("item parameters: " + lake.path(IrtTables.ITEM_PARAMS) + "; abilities: " + lake.path(IrtTables.ABILITY));
    }
    OnlineThetaSummary.fromLake(spark, lake).ifPresent(f -> {
      out.println();
      f.lines().forEach(out::println);
    });
    if (lake.exists(spark, FeaturesTopicDaily.TABLE)) {
      out.println();
      out.println("features_topic_daily, the 8 busiest user-topic-days:");
      sample(out, lake.read(spark, FeaturesTopicDaily.TABLE).orderBy(col("attempts").desc(), col("user_id")),
          "user_id", "topic", "day", "attempts", "acc", "rt_median", "hints", "theta_mean", "improvement");
    }
    if (lake.exists(spark, KpiTables.WEEKLY_KPI)) {
      out.println();
      out.println("weekly_kpi, 8 students of the last day (P = goal probability, S = churn probability):");
      sample(out, lake.read(spark, KpiTables.WEEKLY_KPI).orderBy(col("week_ending").desc(), col("user_id")),
          "user_id", "week_ending", "i_t", "e_t", "r_t", "a_t", "p_goal", "s_churn", "theta_source");
    }
    if (lake.exists(spark, KpiTables.CHURN_MODELS)) {
      out.println("churn models (held-out week):");
      sample(out, lake.read(spark, KpiTables.CHURN_MODELS).orderBy("serves_from"), "serves_from", "algorithm",
          "n_train", "n_test", "auc", "brier", "ece");
    }
    if (lake.exists(spark, Lake.JOB_RUNS)) {
      out.println();
      out.println("job_runs:");
      sample(out, lake.read(spark, Lake.JOB_RUNS).orderBy("started_at"), "job", "window_from", "window_to",
          "status", "rows_read", "rows_written", "rows_quarantined");
    }
    out.println();
    out.println("Explore: notebooks/README.md, or in spark-shell: spark.read.format(\"delta\").load(\""
        + lake.path(FeaturesTopicDaily.TABLE) + "\")");
    out.flush();
  }

  /** Up to 8 rows of {@code cols}, each column as wide as its longest cell. */
  private static void sample(PrintWriter out, Dataset<Row> ds, String... cols) {
    List<Row> rows = ds.selectExpr(cols).limit(8).collectAsList();
    String[][] cells = new String[rows.size() + 1][cols.length];
    int[] width = new int[cols.length];
    for (int i = 0; i < cols.length; i++) {
      cells[0][i] = cols[i];
      for (int r = 0; r < rows.size(); r++) {
        Object v = rows.get(r).get(i);
        cells[r + 1][i] = v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.3f", d) : String.valueOf(v);
      }
      for (String[] line : cells) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    for (String[] line : cells) {
      StringBuilder b = new StringBuilder("  ");
      for (int i = 0; i < cols.length; i++) {
        b.append(String.format("%-" + (width[i] + 2) + "s", line[i]));
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
