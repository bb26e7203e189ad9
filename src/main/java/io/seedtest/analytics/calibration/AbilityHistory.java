package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.ServingTables;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * mirt_ability_history as its readers (features, KPIs, the inactivity watcher, the session-end
 * replay) use it: one θ per (user_id, as_of, source). The table keeps every calibration's
 * estimate (keyed by calibration_id since V13: a 3PL run after a 2PL run of the same window adds
 * its rows beside the 2PL's); where several share (user_id, as_of, source) the one of the latest
 * calibration counts (calibrations.created_at, then calibration_id), which is what the readers saw
 * before V13, when the later run replaced the earlier one's rows.
 */
public final class AbilityHistory {
  private AbilityHistory() {}

  /** From PostgreSQL or the lake (as {@link ServingTables}), empty when there is no history. */
  public static Optional<Dataset<Row>> read(SparkSession spark, Settings settings) {
    return ServingTables.readIfExists(spark, settings, IrtTables.ABILITY_HISTORY)
        .map(h -> latest(h, ServingTables.readIfExists(spark, settings, IrtTables.CALIBRATIONS).orElse(null)));
  }

  /** From the lake, null when it has no history. */
  public static Dataset<Row> read(SparkSession spark, Lake lake) {
    if (!lake.exists(spark, IrtTables.ABILITY_HISTORY)) {
      return null;
    }
    return latest(lake.read(spark, IrtTables.ABILITY_HISTORY),
        lake.exists(spark, IrtTables.CALIBRATIONS) ? lake.read(spark, IrtTables.CALIBRATIONS) : null);
  }

  /**
   * One row per (user_id, as_of, source) of {@code history}: the latest calibration's.
   *
   * @param calibrations the calibrations table (calibration_id, created_at), or null
   */
  public static Dataset<Row> latest(Dataset<Row> history, Dataset<Row> calibrations) {
    Dataset<Row> ranked = calibrations == null
        ? history.withColumn("_created", lit(null).cast("timestamp"))
        : history.join(broadcast(calibrations.select(col("calibration_id").as("_cid"),
                col("created_at").cast("timestamp").as("_created"))),
            col("calibration_id").equalTo(col("_cid")), "left").drop("_cid");
    return ranked
        .withColumn("_rank", row_number().over(Window.partitionBy("user_id", "as_of", "source")
            .orderBy(col("_created").desc_nulls_last(), col("calibration_id").desc())))
        .where(col("_rank").equalTo(1))
        .drop("_rank", "_created");
  }
}
