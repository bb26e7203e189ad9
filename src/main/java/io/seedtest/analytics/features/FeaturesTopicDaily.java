package io.seedtest.analytics.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.calibration.StoredRapidGuessThresholds;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.UpsertSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The features_topic_daily transforms (docs/metrics.md defines every column). Pure functions of
 * Datasets: no IO, unit-tested on hand-made frames.
 */
public final class FeaturesTopicDaily {
  public static final String TABLE = "features_topic_daily";
  /** How far back {@code improvement} looks: the previous 7 days of the same user and topic. */
  public static final int IMPROVEMENT_LOOKBACK_DAYS = 7;
  /** Set by {@link #markRapidGuesses}: the answer was given below its item's rapid-guess threshold. */
  public static final String RAPID_GUESS = "rapid_guess";

  public static final UpsertSpec SPEC = new UpsertSpec(TABLE,
      List.of("user_id", "topic", "granularity", "period_start"),
      List.of("day", "attempts", "correct", "acc", "rt_median", "hints", "theta_mean", "theta_sd", "improvement",
          "rapid_guess_share"),
      List.of("run_id"), "day", "day");

  private FeaturesTopicDaily() {}

  /**
   * Adds {@value #RAPID_GUESS}: whether the answer's response time is below its item's stored
   * threshold ({@code thresholds}: item_id, rapid_guess_ms; null when no calibration stored any).
   * An item without a threshold has no rapid guesses.
   */
  public static Dataset<Row> markRapidGuesses(Dataset<Row> attempts, Dataset<Row> thresholds) {
    if (thresholds == null) {
      return attempts.withColumn(RAPID_GUESS, lit(false));
    }
    Dataset<Row> t = thresholds.select(col("item_id").as("_rg_item"),
        col(StoredRapidGuessThresholds.COLUMN).as("_rg_ms"));
    // the bank's size: broadcast, so the answers are not shuffled for it
    return attempts.join(broadcast(t), col(Attempts.ITEM_ID).equalTo(col("_rg_item")), "left")
        .withColumn(RAPID_GUESS, StoredRapidGuessThresholds.isRapid(col(Attempts.RESPONSE_TIME_MS), col("_rg_ms")))
        .drop("_rg_item", "_rg_ms");
  }

  /**
   * Per user × topic × period: attempts, correct, acc, exact median response time, hints and the
   * share of rapid guesses (of {@link #markRapidGuesses}; 0 when the input is not marked).
   */
  public static Dataset<Row> aggregate(Dataset<Row> validAttempts, Granularity g) {
    Column period = date_trunc(g.code(), col(Attempts.ANSWERED_AT));
    Column rapid = List.of(validAttempts.columns()).contains(RAPID_GUESS) ? col(RAPID_GUESS) : lit(false);
    return validAttempts
        .groupBy(col(Attempts.USER_ID), col(Attempts.TOPIC), period.as("period_start"))
        .agg(count(lit(1)).cast("int").as("attempts"),
            sum(when(col(Attempts.CORRECT), 1).otherwise(0)).cast("int").as("correct"),
            // percentile() is exact and averages the two middle values of an even count
            percentile(col(Attempts.RESPONSE_TIME_MS), lit(0.5)).as("rt_median"),
            sum(col(Attempts.HINTS_USED)).cast("int").as("hints"),
            sum(when(rapid, 1).otherwise(0)).as("_rapid"))
        .withColumn("acc", col("correct").divide(col("attempts")))
        .withColumn("rapid_guess_share", col("_rapid").divide(col("attempts")))
        .drop("_rapid")
        .withColumn("granularity", lit(g.code()))
        .withColumn("day", to_date(col("period_start")));
  }

  /**
   * improvement = acc of the period − accuracy over the same user and topic in the
   * {@value #IMPROVEMENT_LOOKBACK_DAYS} days before the period (attempt-weighted); null when
   * there was no activity then. Needs the lookback days in its input.
   */
  public static Dataset<Row> withImprovement(Dataset<Row> periods) {
    WindowSpec before = Window.partitionBy(col("user_id"), col("topic"), col("granularity"))
        .orderBy(col("period_start").cast("long"))
        .rangeBetween(-IMPROVEMENT_LOOKBACK_DAYS * 86_400L, -1);
    Column prevCorrect = sum(col("correct")).over(before);
    Column prevAttempts = sum(col("attempts")).over(before);
    return periods.withColumn("improvement",
        when(prevAttempts.gt(0), col("acc").minus(prevCorrect.divide(prevAttempts))));
  }

  /**
   * theta_mean / theta_sd: the student's latest ability estimate (EAP mean and posterior SD) as
   * of the end of the period, from the ability history {@code (user_id, as_of, theta, theta_se)};
   * null when she has none yet. θ is per student, so every topic row of a period shares it.
   */
  public static Dataset<Row> withTheta(Dataset<Row> periods, Dataset<Row> abilityHistory, Granularity g) {
    if (abilityHistory == null) {
      return periods.withColumn("theta_mean", lit(null).cast("double"))
          .withColumn("theta_sd", lit(null).cast("double"));
    }
    Column periodEnd = col("p.period_start").plus(
        org.apache.spark.sql.functions.expr(g == Granularity.DAY ? "INTERVAL 1 DAY" : "INTERVAL 1 HOUR"));
    Dataset<Row> keys = periods.select("user_id", "period_start").distinct().as("p");
    Dataset<Row> asOf = keys.join(abilityHistory.as("h"),
            col("p.user_id").equalTo(col("h.user_id")).and(col("h.as_of").lt(periodEnd)))
        .groupBy(col("p.user_id").as("user_id"), col("p.period_start").as("period_start"))
        .agg(max_by(col("h.theta"), col("h.as_of")).as("theta_mean"),
            max_by(col("h.theta_se"), col("h.as_of")).as("theta_sd"));
    return periods.join(asOf, new String[] {"user_id", "period_start"}, "left");
  }
}
