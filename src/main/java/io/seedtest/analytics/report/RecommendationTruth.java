package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.io.Lake;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores a week's item recommendations against the simulator's truth: for each recommended item,
 * the student's true success probability that day (her true θ at the end of the day,
 * sim_student_days, and the item's true a, b, c, sim_items) and whether it falls in the band the
 * recommender aimed at. The recommender only sees estimates (θ̂ with its SE, calibrated items with
 * theirs), so this is what the estimation error costs.
 */
public record RecommendationTruth(long recommendations, double inBand, double meanTrueP) {

  public static RecommendationTruth score(SparkSession spark, Lake lake, LocalDate weekEnding) {
    Dataset<Row> recs = lake.read(spark, ReportTables.RECOMMENDATIONS)
        .where(col("week_ending").equalTo(lit(java.sql.Date.valueOf(weekEnding)))
            .and(col("kind").equalTo(Recommendation.ITEM)));
    Dataset<Row> theta = lake.read(spark, "sim_student_days")
        .where(col("day").equalTo(lit(java.sql.Date.valueOf(weekEnding))))
        .select(col("user_id"), col("theta").as("true_theta"));
    Dataset<Row> items = lake.read(spark, "sim_items").select(col("item_id"), col("a"), col("b"), col("c"));
    Column p = col("c").plus(lit(1.0).minus(col("c"))
        .divide(lit(1.0).plus(exp(col("a").multiply(col("b").minus(col("true_theta")))))));
    Row r = recs.join(theta, "user_id").join(items, "item_id").withColumn("p_true", p)
        .agg(count("*"), avg(when(col("p_true").between(Recommender.BAND_LOW, Recommender.BAND_HIGH), 1.0)
            .otherwise(0.0)), avg(col("p_true")))
        .first();
    return new RecommendationTruth(r.getLong(0), r.isNullAt(1) ? Double.NaN : r.getDouble(1),
        r.isNullAt(2) ? Double.NaN : r.getDouble(2));
  }

  @Override
  public String toString() {
    if (recommendations == 0) {
      // nothing to average: a run too small for a calibration (or with no calibrated θ) recommends topics only
      return "no item recommendations to score: no calibrated items or no student with a calibrated θ yet "
          + "(topic-level advice only)";
    }
    return String.format(Locale.ROOT, "%d item recommendations: %.1f%% with the true success probability in "
        + "[%.2f, %.2f], mean true P %.3f", recommendations, 100 * inBand, Recommender.BAND_LOW, Recommender.BAND_HIGH,
        meanTrueP);
  }
}
