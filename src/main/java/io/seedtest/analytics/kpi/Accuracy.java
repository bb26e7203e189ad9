package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A_t, the accuracy of the week, and a_prev (A_{t−1}), that of the week before, on
 * {@link WeeklyActivity} rows: correct / answers, or with {@code METRICS_USE_BAYESIAN=true} the
 * Beta-Binomial posterior mean (c + m·p0) / (n + m) under the population prior of that week
 * ({@link BetaBinomialPrior}). Null for a week without answers: a student who did not answer has
 * no accuracy, and the prior alone would only repeat the population's.
 */
public final class Accuracy {
  private Accuracy() {}

  public static Dataset<Row> withAccuracy(Dataset<Row> activity, boolean bayesian) {
    if (!bayesian) {
      return activity.withColumn("a_t", col("acc_7d_raw")).withColumn("a_prev", col("acc_prev_raw"));
    }
    Dataset<Row> week = BetaBinomialPrior.estimate(activity, "attempts_7d", "correct_7d", "_wk");
    Dataset<Row> prev = BetaBinomialPrior.estimate(activity, "attempts_prev_7d", "correct_prev_7d", "_pv");
    Dataset<Row> joined = activity.join(org.apache.spark.sql.functions.broadcast(week), new String[] {"as_of_day"}, "left")
        .join(org.apache.spark.sql.functions.broadcast(prev), new String[] {"as_of_day"}, "left");
    Column aT = BetaBinomialPrior.shrunk(col("attempts_7d"), col("correct_7d"), col("_wk_p0"), col("_wk_m"));
    Column aPrev = BetaBinomialPrior.shrunk(col("attempts_prev_7d"), col("correct_prev_7d"), col("_pv_p0"),
        col("_pv_m"));
    return joined.withColumn("a_t", aT).withColumn("a_prev", when(col("attempts_prev_7d").gt(0), aPrev))
        .drop("_wk_p0", "_wk_m", "_pv_p0", "_pv_m");
  }
}
