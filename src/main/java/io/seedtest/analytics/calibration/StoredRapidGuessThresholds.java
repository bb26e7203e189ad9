package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.ServingTables;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The rapid-guess thresholds the last calibration stored with each item
 * ({@code mirt_item_params.rapid_guess_ms}, V18), as the jobs after it read them: the daily
 * features count the answers below them, the session-end update leaves those out. One threshold per
 * item, so every job calls the same answer a rapid guess.
 */
public final class StoredRapidGuessThresholds {
  /** The column of mirt_item_params (and its history) holding the threshold in ms. */
  public static final String COLUMN = "rapid_guess_ms";

  private StoredRapidGuessThresholds() {}

  /**
   * (item_id, rapid_guess_ms) of the items that have a threshold, from PostgreSQL or the lake;
   * empty when there is no calibration yet or its table predates the column (a lake written before
   * V18, until the next calibration adds it).
   */
  public static Optional<Dataset<Row>> read(SparkSession spark, Settings settings) {
    return ServingTables.readIfExists(spark, settings, IrtTables.ITEM_PARAMS)
        .filter(p -> List.of(p.columns()).contains(COLUMN))
        .map(p -> p.where(col(COLUMN).isNotNull()).select(col("item_id"), col(COLUMN)));
  }

  /**
   * Whether an answer is a rapid guess: its response time is below its item's threshold. False
   * when the item has no threshold or the answer no time.
   */
  public static Column isRapid(Column responseTimeMs, Column thresholdMs) {
    return coalesce(responseTimeMs.lt(thresholdMs), lit(false));
  }
}
