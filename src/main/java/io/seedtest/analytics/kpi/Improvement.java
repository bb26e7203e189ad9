package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * I_t, the week's improvement, by the plan's rule: once calibrated abilities exist for the
 * student, θ_t − θ_{t−7} (the latest estimate before the end of t minus the latest before the end
 * of t − 7, {@link AbilityTrend}), i_source = 'theta'; before that A_t − A_{t−1} (this week's
 * accuracy minus last week's, {@link Accuracy}), i_source = 'accuracy'; null when neither pair is
 * complete. The θ-delta is on the calibrated scale (linked week to week), so it is comparable
 * across students and weeks; the accuracy delta is not (adaptive item choice keeps accuracy
 * near a constant as a student improves), which is why θ wins whenever it exists.
 */
public final class Improvement {
  public static final String SOURCE_THETA = "theta";
  public static final String SOURCE_ACCURACY = "accuracy";

  private Improvement() {}

  /** Needs theta, theta_prev, a_t, a_prev; adds i_t and i_source. */
  public static Dataset<Row> withImprovement(Dataset<Row> rows) {
    Column theta = col("theta").isNotNull().and(col("theta_prev").isNotNull());
    Column acc = col("a_t").isNotNull().and(col("a_prev").isNotNull());
    return rows
        .withColumn("i_t", when(theta, col("theta").minus(col("theta_prev")))
            .when(acc, col("a_t").minus(col("a_prev"))))
        .withColumn("i_source", when(theta, lit(SOURCE_THETA)).when(acc, lit(SOURCE_ACCURACY)));
  }
}
