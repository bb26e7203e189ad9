package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * P = P(θ at the goal date ≥ target | state), a normal predictive:
 *
 * <pre>
 *   θ_goal ~ N(μ, σ²),   μ = θ_t + β·h_eff,   σ² = SE_t² + h_eff²·v_β + q·h_eff,   P = Φ((μ − target) / σ)
 * </pre>
 *
 * with θ_t, SE_t the student's latest ability estimate (posterior mean and SD), h the days from t
 * to her goal date (0 once it has passed; {@value #DEFAULT_HORIZON_DAYS} for a student without a
 * goal, whose target is {@code METRICS_DEFAULT_TARGET}), h_eff = τ(1 − e^(−h/τ)) the damped horizon
 * and q the growth's own variance per effective day, both measured on the ability history by
 * {@link TrendDynamics} (learning decelerates; without enough history τ = ∞, q = 0: h_eff = h), and
 * the trend β:
 *
 * <ul>
 *   <li>{@code METRICS_USE_BAYESIAN=false}: β = her least-squares slope β̂ (0 when she has none),
 *       v_β = 0: the trend is taken at face value;
 *   <li>{@code METRICS_USE_BAYESIAN=true}: β and v_β are the posterior of her slope under the
 *       population prior N(μ, τ²) ({@link TrendPrior}): v_β = 1/(1/τ² + 1/s²),
 *       β = v_β(μ/τ² + β̂/s²); without a slope of her own, β = μ and v_β = τ². The uncertainty of
 *       the trend then widens the predictive, more so the further away the goal; and her distance to
 *       her own goal, θ_t − target, is shrunk toward the population's ({@link GoalDistancePrior}).
 * </ul>
 *
 * <p>No θ yet (theta_source = 'accuracy'): her accuracy over the lookback window, shrunk toward
 * the population's (Beta-Binomial, always, so 0/1 rates stay finite), stands in for θ on the
 * logit scale, θ̃ = logit(Ã) − logit(p̄), with SE {@value #FALLBACK_THETA_SD} (the population's
 * spread: with adaptive item choice, accuracy says little about ability) and the population trend
 * (μ, τ² in the Bayesian setting, else 0).
 */
public final class GoalProbability {
  public static final int DEFAULT_HORIZON_DAYS = 28;
  public static final double FALLBACK_THETA_SD = 1.0;
  public static final String THETA_CALIBRATED = "calibrated";
  public static final String THETA_ACCURACY = "accuracy";
  // No random generator: only the distribution function is used, and the default one is costly to seed.
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private GoalProbability() {}

  /**
   * @param rows with theta, theta_se, trend, trend_se, attempts_window, correct_window, as_of_day,
   *     and the goal's target_theta_goal / goal_date (null without a goal)
   * @param windowPrior as_of_day, _wn_p0, _wn_m: the population prior over the lookback window
   * @return rows plus target_theta, target_source, horizon_days, theta_source, predictive_mean,
   *     predictive_sd, p_goal
   */
  public static Dataset<Row> withGoalProbability(Dataset<Row> rows, Dataset<Row> windowPrior, double defaultTarget,
      boolean bayesian, TrendPrior prior, TrendDynamics dynamics, GoalDistancePrior distance) {
    Dataset<Row> r = rows.join(org.apache.spark.sql.functions.broadcast(windowPrior), new String[] {"as_of_day"}, "left");
    Column hasGoal = col("target_theta_goal").isNotNull();
    Column horizon = when(hasGoal.and(col("goal_date").isNotNull()),
        greatest(lit(0), datediff(col("goal_date"), col("as_of_day")))).otherwise(lit(DEFAULT_HORIZON_DAYS));
    Column hDays = col("horizon_days").cast("double");
    Column h = Double.isInfinite(dynamics.tau()) ? hDays
        : lit(dynamics.tau()).multiply(lit(1.0).minus(org.apache.spark.sql.functions.exp(hDays.divide(-dynamics.tau()))));
    Column q = lit(dynamics.processVarPerDay()).multiply(h);
    Column calibrated = col("theta").isNotNull();

    double tau2 = prior.sd() * prior.sd();
    Column beta;
    Column vBeta;
    if (bayesian) {
      Column hasSlope = col("trend").isNotNull().and(col("trend_se").gt(0));
      Column s2 = pow(col("trend_se"), 2);
      Column post = lit(1.0).divide(lit(1.0 / tau2).plus(lit(1.0).divide(s2)));
      beta = when(hasSlope, post.multiply(lit(prior.mean() / tau2).plus(col("trend").divide(s2))))
          .otherwise(lit(prior.mean()));
      vBeta = when(hasSlope, post).otherwise(lit(tau2));
    } else {
      beta = coalesce(col("trend"), lit(0.0));
      vBeta = lit(0.0);
    }
    Column fallbackBeta = bayesian ? lit(prior.mean()) : lit(0.0);
    Column fallbackV = bayesian ? lit(tau2) : lit(0.0);

    Column shrunk = col("correct_window").plus(col("_wn_m").multiply(col("_wn_p0")))
        .divide(col("attempts_window").plus(col("_wn_m")));
    Column thetaProxy = logit(shrunk).minus(logit(col("_wn_p0")));

    // the Bayesian setting shrinks her distance to her own goal toward the population's (GoalDistancePrior)
    Column thetaState = col("theta");
    Column thetaVar = pow(col("theta_se"), 2);
    if (bayesian && distance.shrinks()) {
      double sd2 = distance.sd() * distance.sd();
      Column w = lit(sd2).divide(lit(sd2).plus(thetaVar));
      Column shrunkDistance = lit(distance.mean()).plus(w.multiply(col("theta").minus(col("target_theta_goal"))
          .minus(distance.mean())));
      thetaState = when(hasGoal, col("target_theta_goal").plus(shrunkDistance)).otherwise(col("theta"));
      thetaVar = when(hasGoal, w.multiply(thetaVar)).otherwise(thetaVar);
    }
    Column mean = when(calibrated, thetaState.plus(beta.multiply(h)))
        .otherwise(thetaProxy.plus(fallbackBeta.multiply(h)));
    Column sd = when(calibrated, sqrt(thetaVar.plus(vBeta.multiply(h).multiply(h)).plus(q)))
        .otherwise(sqrt(lit(FALLBACK_THETA_SD * FALLBACK_THETA_SD).plus(fallbackV.multiply(h).multiply(h)).plus(q)));
    return r
        .withColumn("target_theta", coalesce(col("target_theta_goal"), lit(defaultTarget)))
        .withColumn("target_source", when(hasGoal, lit("goal")).otherwise(lit("default")))
        .withColumn("goal_date", when(hasGoal, col("goal_date")))
        .withColumn("horizon_days", horizon.cast("int"))
        .withColumn("theta_source", when(calibrated, lit(THETA_CALIBRATED)).otherwise(lit(THETA_ACCURACY)))
        .withColumn("predictive_mean", mean)
        .withColumn("predictive_sd", sd)
        .withColumn("p_goal", normalCdf().apply(
            col("predictive_mean").minus(col("target_theta")).divide(col("predictive_sd"))))
        .drop("_wn_p0", "_wn_m", "target_theta_goal");
  }

  /** Φ as a null-safe UDF on doubles (Spark SQL has no normal distribution function). */
  private static UserDefinedFunction normalCdf() {
    return functions.udf((UDF1<Double, Double>) x -> x == null ? null : STANDARD_NORMAL.cumulativeProbability(x),
        DataTypes.DoubleType).withName("normal_cdf");
  }

  /** logit, with p clamped to [1e-6, 1 − 1e-6] so a population that is always right stays finite. */
  private static Column logit(Column p) {
    Column q = org.apache.spark.sql.functions.least(lit(1 - 1e-6), greatest(lit(1e-6), p));
    return log(q.divide(lit(1.0).minus(q)));
  }
}
