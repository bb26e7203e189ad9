package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per student and as-of day s, what she did: in the week [s − 6, s], the week before
 * [s − 13, s − 7], and the lookback window [s − L + 1, s]; and E_t. Only students with at least
 * one answer in the lookback window get a row (the KPI population). Several as-of days are
 * computed in one pass (the churn model's training weeks and the day itself): each student-day
 * row is joined to the as-of days whose window holds it.
 *
 * <p>E_t = (1/7) Σ over active days d of the week of min(1, τ_d / τ̃), where τ_d is the day's time
 * on task and τ̃ the student's own baseline, the median of τ over her active days in the lookback
 * window. A day with at least her usual time counts 1, a day with half of it 0.5, an inactive day
 * 0; so 0 ≤ E_t ≤ 1, and E_t = active days / 7 for a student whose days all look alike. When her
 * baseline is 0 (no measurable time on task), each active day counts 1.
 *
 * <p>Her rhythm, for the churn model: active days of the week before, and the longest and the
 * latest gap (days between two consecutive active days of the window; null with one active day);
 * and her recent accuracy, an exponentially weighted mean of correctness over the window's answers
 * (weight {@value #ACCURACY_SMOOTHING} on a newer answer, {@value #ACCURACY_START} before the first).
 */
public final class WeeklyActivity {
  /** The columns this transform adds to (user_id, as_of_day). */
  public static final String[] COLUMNS = {"attempts_7d", "correct_7d", "active_days_7d", "time_on_task_7d_s",
      "attempts_prev_7d", "correct_prev_7d", "attempts_window", "correct_window", "active_days_window",
      "baseline_day_time_s", "last_active_day", "first_active_day", "acc_last_day", "e_t", "recency_days",
      "tenure_days", "acc_7d_raw", "acc_prev_raw", "acc_window", "active_days_prev_7d", "max_gap_days",
      "last_gap_days", "recent_accuracy"};
  /** Weight of a newer answer in {@code recent_accuracy}, and its value before any answer. */
  static final double ACCURACY_SMOOTHING = 0.10;
  static final double ACCURACY_START = 0.65;

  private WeeklyActivity() {}

  /**
   * @param userDays {@link ActivityDays#userDays} rows (only days before each as-of day's cutoff)
   * @param asOfDays one row per as-of day: {@code as_of_day} (date)
   * @param lookbackDays L
   */
  public static Dataset<Row> asOf(Dataset<Row> userDays, Dataset<Row> asOfDays, int lookbackDays) {
    int span = Math.max(lookbackDays, 14);
    Dataset<Row> joined = userDays.join(broadcast(asOfDays.select("as_of_day")),
            col("day").leq(col("as_of_day")).and(col("day").gt(date_sub(col("as_of_day"), span))))
        .withColumn("rel", datediff(col("as_of_day"), col("day")));
    Column week = col("rel").leq(6);
    Column prev = col("rel").between(7, 13);
    Column window = col("rel").lt(lookbackDays);
    Dataset<Row> agg = joined.groupBy(col("user_id"), col("as_of_day")).agg(
        sum(when(week, col("answers")).otherwise(0)).cast("int").as("attempts_7d"),
        sum(when(week, col("correct")).otherwise(0)).cast("int").as("correct_7d"),
        sum(when(week, 1).otherwise(0)).cast("int").as("active_days_7d"),
        sum(when(week, col("time_s")).otherwise(0.0)).as("time_on_task_7d_s"),
        sum(when(prev, col("answers")).otherwise(0)).cast("int").as("attempts_prev_7d"),
        sum(when(prev, col("correct")).otherwise(0)).cast("int").as("correct_prev_7d"),
        sum(when(window, col("answers")).otherwise(0)).cast("int").as("attempts_window"),
        sum(when(window, col("correct")).otherwise(0)).cast("int").as("correct_window"),
        sum(when(window, 1).otherwise(0)).cast("int").as("active_days_window"),
        percentile(when(window, col("time_s")), lit(0.5)).as("baseline_day_time_s"),
        max(when(window, col("day"))).as("last_active_day"),
        min(when(window, col("day"))).as("first_active_day"),
        max_by(col("correct").divide(col("answers")), col("day")).as("acc_last_day"),
        collect_list(when(week, col("time_s"))).as("_week_times"),
        sum(when(prev, 1).otherwise(0)).cast("int").as("active_days_prev_7d"),
        sort_array(collect_list(when(window, col("rel")))).as("_rels"),
        sort_array(collect_list(when(window, struct(col("day"), col("answers"), col("correct"))))).as("_acc_days"));
    return agg.where(col("attempts_window").gt(0))
        .withColumn("e_t", expr("CASE WHEN baseline_day_time_s > 0"
            + " THEN aggregate(_week_times, 0D, (acc, x) -> acc + least(1D, x / baseline_day_time_s)) / 7"
            + " ELSE active_days_7d / 7D END"))
        .drop("_week_times")
        // her rhythm: the longest gap between two active days of the window, and the last one
        .withColumn("max_gap_days", expr("CASE WHEN size(_rels) >= 2"
            + " THEN array_max(transform(sequence(1, size(_rels) - 1), i -> _rels[i] - _rels[i - 1])) END"))
        .withColumn("last_gap_days", expr("CASE WHEN size(_rels) >= 2 THEN _rels[1] - _rels[0] END"))
        .drop("_rels")
        // exponentially weighted accuracy, oldest day first; a day's answers count as one block at the
        // day's mean (their order within the day is not kept in the day rows)
        .withColumn("recent_accuracy", expr("aggregate(_acc_days, " + ACCURACY_START + "D, (acc, d) -> acc * pow("
            + (1 - ACCURACY_SMOOTHING) + "D, d.answers) + (1D - pow(" + (1 - ACCURACY_SMOOTHING)
            + "D, d.answers)) * d.correct / d.answers)"))
        .drop("_acc_days")
        .withColumn("recency_days", datediff(col("as_of_day"), col("last_active_day")))
        .withColumn("tenure_days", datediff(col("as_of_day"), col("first_active_day")))
        .withColumn("acc_7d_raw", when(col("attempts_7d").gt(0), col("correct_7d").divide(col("attempts_7d"))))
        .withColumn("acc_prev_raw",
            when(col("attempts_prev_7d").gt(0), col("correct_prev_7d").divide(col("attempts_prev_7d"))))
        .withColumn("acc_window", col("correct_window").divide(col("attempts_window")));
  }
}
