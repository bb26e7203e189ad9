package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The churn model's features, as of day s, and its label. Every feature is a number computed from
 * the same as-of data whether the row is for training (a past week) or for scoring (today), and
 * none depends on the Bayesian setting (a model trained under one setting stays valid under the
 * other):
 *
 * <table>
 *   <tr><td>f_log_recency</td><td>ln(1 + days since her last active day)</td></tr>
 *   <tr><td>f_inactive_week</td><td>1 when she has been inactive 7 days or more</td></tr>
 *   <tr><td>f_active_7d</td><td>active days of the week / 7</td></tr>
 *   <tr><td>f_activity_rate</td><td>(active days in the window + ½) / (days since her first active day in it + 2): her own daily rate</td></tr>
 *   <tr><td>f_log_no_session</td><td>7 · ln(1 − min(0.95, f_activity_rate)): the log-chance of a week without a session at that rate</td></tr>
 *   <tr><td>f_silence</td><td>recency · ln(1 − min(0.95, f_activity_rate)): the log-chance of her current silence at that rate, had she no reason to be away</td></tr>
 *   <tr><td>f_recency_x_rate</td><td>f_log_recency · f_activity_rate: silence from a regular student says more</td></tr>
 *   <tr><td>f_engagement</td><td>E_t</td></tr>
 *   <tr><td>f_accuracy</td><td>accuracy of the week, else of the window</td></tr>
 *   <tr><td>f_accuracy_last</td><td>accuracy on her last active day</td></tr>
 *   <tr><td>f_improvement</td><td>θ_t − θ_{t−7}, else the raw accuracy delta, else 0</td></tr>
 *   <tr><td>f_trend</td><td>θ slope per week (0 without one); f_has_theta flags a θ</td></tr>
 *   <tr><td>f_log_tenure, f_newcomer</td><td>ln(1 + days since first active in the window); 1 for 7 days or fewer</td></tr>
 *   <tr><td>f_log_attempts_7d</td><td>ln(1 + answers of the week)</td></tr>
 *   <tr><td>f_has_goal, f_after_goal, f_goal_sprint</td><td>a goal; its date has passed; it is 0–14 days ahead</td></tr>
 * </table>
 *
 * Label (training only): 1.0 when she has no valid answer in the 7 days (s, s + 7], else 0.0.
 */
public final class ChurnFeatures {
  public static final List<String> FEATURES = List.of("f_log_recency", "f_inactive_week", "f_active_7d",
      "f_activity_rate", "f_log_no_session", "f_silence", "f_recency_x_rate", "f_engagement", "f_accuracy", "f_accuracy_last",
      "f_improvement", "f_trend", "f_has_theta", "f_log_tenure", "f_newcomer", "f_log_attempts_7d", "f_has_goal",
      "f_after_goal", "f_goal_sprint");
  public static final int HORIZON_DAYS = 7;

  private ChurnFeatures() {}

  /**
   * @param rows {@link WeeklyActivity} columns, theta, theta_prev, trend, and goal_date (null
   *     without a goal), per user_id and as_of_day
   */
  public static Dataset<Row> withFeatures(Dataset<Row> rows, int lookbackDays) {
    Column rate = col("active_days_window").plus(0.5)
        .divide(least(lit(lookbackDays), col("tenure_days").plus(1)).plus(1));
    Column goalIn = datediff(col("goal_date"), col("as_of_day"));
    Column thetaDelta = when(col("theta").isNotNull().and(col("theta_prev").isNotNull()),
        col("theta").minus(col("theta_prev")));
    Column accDelta = when(col("acc_7d_raw").isNotNull().and(col("acc_prev_raw").isNotNull()),
        col("acc_7d_raw").minus(col("acc_prev_raw")));
    return rows
        .withColumn("f_log_recency", log1p(col("recency_days")))
        .withColumn("f_inactive_week", flag(col("recency_days").geq(7)))
        .withColumn("f_active_7d", col("active_days_7d").divide(7.0))
        .withColumn("f_activity_rate", rate)
        .withColumn("f_log_no_session", log(lit(1.0).minus(least(lit(0.95), col("f_activity_rate")))).multiply(7.0))
        .withColumn("f_silence", col("recency_days").multiply(log(lit(1.0).minus(least(lit(0.95), col("f_activity_rate"))))))
        .withColumn("f_recency_x_rate", col("f_log_recency").multiply(col("f_activity_rate")))
        .withColumn("f_engagement", col("e_t"))
        .withColumn("f_accuracy", coalesce(col("acc_7d_raw"), col("acc_window")))
        .withColumn("f_accuracy_last", col("acc_last_day"))
        .withColumn("f_improvement", coalesce(thetaDelta, accDelta, lit(0.0)))
        .withColumn("f_trend", coalesce(col("trend").multiply(7.0), lit(0.0)))
        .withColumn("f_has_theta", flag(col("theta").isNotNull()))
        .withColumn("f_log_tenure", log1p(col("tenure_days")))
        .withColumn("f_newcomer", flag(col("tenure_days").leq(7)))
        .withColumn("f_log_attempts_7d", log1p(col("attempts_7d")))
        .withColumn("f_has_goal", flag(col("goal_date").isNotNull()))
        .withColumn("f_after_goal", flag(goalIn.lt(0)))
        .withColumn("f_goal_sprint", flag(goalIn.between(0, 14)));
  }

  /** Adds {@code label}: 1.0 when the student has no active day in (as_of_day, as_of_day + 7]. */
  public static Dataset<Row> withLabel(Dataset<Row> rows, Dataset<Row> userDays) {
    Dataset<Row> active = rows.select(col("user_id").as("_u"), col("as_of_day").as("_s"))
        .join(userDays.select(col("user_id"), col("day")),
            col("_u").equalTo(col("user_id")).and(col("day").gt(col("_s")))
                .and(col("day").leq(date_add(col("_s"), HORIZON_DAYS))), "left_semi")
        .select(col("_u").as("user_id"), col("_s").as("as_of_day")).withColumn("_active", lit(true));
    return rows.join(active, new String[] {"user_id", "as_of_day"}, "left")
        .withColumn("label", when(col("_active").isNull(), 1.0).otherwise(0.0))
        .drop("_active");
  }

  private static Column flag(Column condition) {
    return when(condition, 1.0).otherwise(0.0);
  }
}
