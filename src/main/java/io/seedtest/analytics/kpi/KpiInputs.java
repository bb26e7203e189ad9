package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;

import io.seedtest.analytics.calibration.AbilityHistory;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.ServingTables;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the KPI jobs' inputs besides the answers: our own ability history and the platform's goals,
 * from PostgreSQL or the lake, each optional (before the first calibration there is no history; a
 * platform may have no goals table).
 */
final class KpiInputs {
  private KpiInputs() {}

  static Dataset<Row> abilityHistory(SparkSession spark, Settings settings) {
    Optional<Dataset<Row>> t = AbilityHistory.read(spark, settings);
    return t.map(d -> d.select(col("user_id").cast("long").as("user_id"), col("as_of").cast("timestamp").as("as_of"),
            col("theta").cast("double").as("theta"), col("theta_se").cast("double").as("theta_se"),
            col("source").cast("string").as("source"))
        .where(col("theta").isNotNull().and(col("theta_se").gt(0)).and(col("as_of").isNotNull())))
        .orElse(null);
  }

  static Dataset<Row> goals(SparkSession spark, Settings settings) {
    return ServingTables.readIfExists(spark, settings, KpiTables.GOALS)
        .map(d -> d.select(col("user_id").cast("long").as("user_id"), col("target_theta").cast("double").as("target_theta"),
            col("goal_date").cast("date").as("goal_date")))
        .orElse(null);
  }

  static Optional<Dataset<Row>> weeklyKpi(SparkSession spark, Settings settings) {
    return ServingTables.readIfExists(spark, settings, KpiTables.WEEKLY_KPI);
  }
}
