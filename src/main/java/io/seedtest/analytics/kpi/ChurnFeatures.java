package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
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
 *   <tr><td>f_span_rate</td><td>(active days − ½) / (days from her first to her last active day + 2): her rate while she was coming, the current silence left out</td></tr>
 *   <tr><td>f_span_silence</td><td>recency · ln(1 − min(0.95, f_span_rate)): how unlikely her silence is at her usual rhythm</td></tr>
 *   <tr><td>f_gap_ratio</td><td>ln(1 + recency · f_span_rate): time since her last session over her usual gap</td></tr>
 *   <tr><td>f_silent_week</td><td>logit of P(no session in 7 days) for a student who has left with prior 10 % updated by her silence, else comes at f_span_rate: the two ways to a silent week in one number</td></tr>
 *   <tr><td>f_log_max_gap, f_beyond_max_gap</td><td>ln(1 + her longest gap in the window); 1 when the current silence is longer than it (a student who takes breaks has had one)</td></tr>
 *   <tr><td>f_gap_trend</td><td>ln(1 + her latest gap) − ln(1 + her usual gap): gaps growing</td></tr>
 *   <tr><td>f_days_trend</td><td>(active days of the week − of the week before) / 7</td></tr>
 *   <tr><td>f_goal_days_ahead</td><td>days of the coming week that fall in the 14 days before her goal date, / 7 (0 without a goal)</td></tr>
 *   <tr><td>f_ln_silence_likelihood, f_ln_quiet_week, f_away_logit, f_week_away_logit</td><td>her rhythm as
 *       probabilities: see {@link #withAwayFeatures}</td></tr>
 *   <tr><td>f_recent_accuracy</td><td>exponentially weighted accuracy of her answers ({@link WeeklyActivity})</td></tr>
 * </table>
 *
 * <p>Weekdays: every coming week holds the same weekdays, so a weekday pattern only matters through
 * the silence already observed; recency measured in days carries it (no separate feature).
 *
 * The table lists every feature computed; {@link #FEATURES} those a model trained today uses.
 *
 * <p>Label (training only): 1.0 when she has no valid answer in the 7 days (s, s + 7], else 0.0.
 */
public final class ChurnFeatures {
  /**
   * What a model trained today uses (issue 20, round 2): her rhythm as probabilities (a Beta
   * posterior of her daily chance of a session, the likelihood of her current silence, the posterior
   * that she is away, a quiet coming week), recency, tenure, the goal's date and her recent accuracy.
   * Nine numbers instead of round 1's 21: each of them is shaped like the log-odds it feeds, so a
   * regression fitted on a few thousand rows needs few weights (docs/metrics.md).
   */
  public static final List<String> FEATURES = List.of("f_week_away_logit", "f_log_recency", "f_ln_quiet_week",
      "f_away_logit", "f_log_tenure", "f_newcomer", "f_after_goal", "f_goal_days_ahead", "f_recent_accuracy");
  /**
   * Still computed so that a model stored before (which used them) scores as it was trained: the
   * features of issue 20's first round, and those dropped before it.
   */
  public static final List<String> EARLIER_FEATURES = List.of("f_inactive_week", "f_active_7d", "f_activity_rate",
      "f_log_no_session", "f_silence", "f_recency_x_rate", "f_has_goal", "f_goal_sprint", "f_span_rate",
      "f_span_silence", "f_gap_ratio", "f_silent_week", "f_log_max_gap", "f_beyond_max_gap", "f_gap_trend",
      "f_days_trend", "f_engagement", "f_accuracy", "f_accuracy_last", "f_improvement", "f_trend", "f_has_theta",
      "f_log_attempts_7d");
  /** Her own activity rate: the gate's second single-feature baseline (ranked alone, negated). */
  public static final String ACTIVITY_RATE = "f_activity_rate";
  /** Beta prior of her daily chance of a session, before her own days count: mean 0.3, worth 4 days. */
  static final double RATE_PRIOR_ACTIVE = 1.2;
  static final double RATE_PRIOR_QUIET = 2.8;
  /** The daily chance that a student who comes goes away (leaves, or starts a break): the prior of "away". */
  static final double AWAY_HAZARD = 0.006;
  /** The chance that a student who is away stays away the whole coming week. */
  static final double STAYS_AWAY = 0.9;
  /** Probabilities are clipped to [ε, 1 − ε] before a logit. */
  static final double EPS = 1e-6;
  /** The prior share of students gone for good behind {@code f_silent_week}. */
  static final double GONE_PRIOR = 0.10;
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
        .withColumn("f_goal_sprint", flag(goalIn.between(0, 14)))
        .withColumn("f_span_rate", col("active_days_window").minus(0.5)
            .divide(col("tenure_days").minus(col("recency_days")).plus(2)))
        .withColumn("_ln_miss", log(lit(1.0).minus(least(lit(0.95), col("f_span_rate")))))
        .withColumn("f_span_silence", col("recency_days").multiply(col("_ln_miss")))
        .withColumn("f_gap_ratio", log1p(col("recency_days").multiply(col("f_span_rate"))))
        .withColumn("f_silent_week", silentWeekLogit())
        .withColumn("f_log_max_gap", log1p(coalesce(col("max_gap_days"), lit(0))))
        .withColumn("f_beyond_max_gap", flag(col("recency_days").gt(coalesce(col("max_gap_days"), lit(0)))))
        .withColumn("f_gap_trend", coalesce(log1p(col("last_gap_days"))
            .minus(log1p(lit(1.0).divide(col("f_span_rate")).minus(1.0))), lit(0.0)))
        .withColumn("f_days_trend", col("active_days_7d").minus(col("active_days_prev_7d")).divide(7.0))
        // when(...) first: least/greatest skip nulls, so without a goal they would count all 7 days
        .withColumn("f_goal_days_ahead", when(goalIn.isNull(), lit(0.0)).otherwise(greatest(lit(0),
            least(lit(HORIZON_DAYS), goalIn).minus(greatest(lit(1), goalIn.minus(14))).plus(1)).divide(7.0)))
        .drop("_ln_miss")
        .transform(ChurnFeatures::withAwayFeatures)
        .withColumn("f_recent_accuracy", coalesce(col("recent_accuracy"), lit(WeeklyActivity.ACCURACY_START)));
  }

  /**
   * Her rhythm as probabilities (issue 20, round 2). Her daily chance q of a session has the Beta
   * posterior Beta(A, B): A = prior + active days after her first one (that one is given), B = prior +
   * quiet days between her first and last active day. With k = days since her last active day:
   * <ul>
   *   <li>{@code f_ln_silence_likelihood}: ln E[(1 − q)^k], the chance of her silence had she kept
   *       coming (= Σ_{i<k} ln((B + i)/(A + B + i)));
   *   <li>{@code f_ln_quiet_week}: ln E[(1 − q)^7 | that silence], a quiet week while still coming;
   *   <li>{@code f_away_logit}: the logit of "she is away" (left, or on a break): prior
   *       1 − (1 − h)^k that she went away during the silence, h = {@value #AWAY_HAZARD} a day,
   *       against the silence's likelihood had she stayed;
   *   <li>{@code f_week_away_logit}: the logit of away · {@value #STAYS_AWAY} + (1 − away) · quiet
   *       week: the two ways to a week without a session in one number.
   * </ul>
   * The regression weighs these; the constants only shape them (they are priors, not fitted).
   */
  static Dataset<Row> withAwayFeatures(Dataset<Row> rows) {
    String a = "(" + RATE_PRIOR_ACTIVE + "D + active_days_window - 1)";
    String b = "(" + RATE_PRIOR_QUIET + "D + (tenure_days - recency_days) - (active_days_window - 1))";
    String lnH = Double.toString(Math.log1p(-AWAY_HAZARD));
    double lo = Math.log(EPS / (1 - EPS));
    return rows
        .withColumn("f_ln_silence_likelihood", expr("CASE WHEN recency_days <= 0 THEN 0D ELSE aggregate("
            + "sequence(0, recency_days - 1), 0D, (acc, i) -> acc + ln((" + b + " + i) / (" + a + " + " + b + " + i)))"
            + " END"))
        .withColumn("f_ln_quiet_week", expr("aggregate(sequence(0, " + (HORIZON_DAYS - 1) + "), 0D, (acc, i) -> acc"
            + " + ln((" + b + " + recency_days + i) / (" + a + " + " + b + " + recency_days + i)))"))
        .withColumn("f_away_logit", expr("CASE WHEN recency_days <= 0 THEN " + lo + "D ELSE greatest(" + lo
            + "D, least(" + (-lo) + "D, ln(1D - exp(recency_days * " + lnH + "D)) - recency_days * " + lnH
            + "D - f_ln_silence_likelihood)) END"))
        .withColumn("_away", expr("1D / (1D + exp(-f_away_logit))"))
        .withColumn("_p_week", expr("greatest(" + EPS + "D, least(" + (1 - EPS) + "D, _away * " + STAYS_AWAY
            + "D + (1D - _away) * exp(f_ln_quiet_week)))"))
        .withColumn("f_week_away_logit", expr("ln(_p_week / (1D - _p_week))"))
        .drop("_away", "_p_week");
  }

  /**
   * logit(g + (1 − g)·(1 − q)⁷) with q = f_span_rate and g the posterior that she has left: prior
   * {@link #GONE_PRIOR}, times the likelihood ratio 1 / (1 − q)^recency of her silence.
   */
  private static Column silentWeekLogit() {
    Column priorLogOdds = lit(Math.log(GONE_PRIOR / (1 - GONE_PRIOR)));
    Column gone = lit(1.0).divide(lit(1.0).plus(exp(priorLogOdds.minus(col("f_span_silence")).multiply(-1.0))));
    Column quiet = exp(col("_ln_miss").multiply(HORIZON_DAYS));
    Column p = least(lit(1 - 1e-6), gone.plus(lit(1.0).minus(gone).multiply(quiet)));
    return log(p.divide(lit(1.0).minus(p)));
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
