package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How much of a student's recent trend carries into the future, measured on the ability history
 * itself by a backtest, so P's predictive is calibrated by the platform's own data rather than by
 * assumption. Learning decelerates (diminishing returns, students who stop), so a slope measured
 * over the last weeks overstates the gain of the next months; the trend is damped:
 *
 * <pre>
 *   expected gain over h days = β · h_eff(h),   h_eff(h) = τ · (1 − e^(−h/τ))
 * </pre>
 *
 * (h_eff ≈ h for h ≪ τ; it levels off at τ), and the gain varies around it with a random-walk
 * variance q per effective day. Estimation: at the origin o = cutoff − {@value #BACKTEST_DAYS}
 * days, for every student with a slope as of o (β, as P would have used it: raw, or the posterior
 * under the trend prior of o in the Bayesian setting), her latest estimate before o (θ_o, s_o) and
 * her latest estimate before the cutoff and after o (θ_1, s_1, Δ days later): τ minimises
 * Σ (θ_1 − θ_o − β · h_eff(Δ))² (golden-section search on [{@value #MIN_TAU}, {@value #MAX_TAU}]),
 * and q = max(0, mean[(θ_1 − θ_o − β·h_eff(Δ))²] − mean[s_o² + s_1²] − mean[h_eff(Δ)²·v_β]) / mean[h_eff(Δ)]
 * (what the gains scatter beyond the estimates' own error). Fewer than {@value #MIN_PAIRS} such
 * students: no damping (τ = ∞) and q = 0, the plain linear trend.
 */
public record TrendDynamics(double tau, double processVarPerDay, long pairs) implements Serializable {
  public static final int BACKTEST_DAYS = 28;
  public static final int MIN_PAIRS = 30;
  public static final double MIN_TAU = 3.0;
  public static final double MAX_TAU = 3650.0;
  /** At most this many students are used for the fit (a uniform sample): plenty for two numbers. */
  public static final int MAX_SAMPLE = 200_000;

  public static final TrendDynamics LINEAR = new TrendDynamics(Double.POSITIVE_INFINITY, 0.0, 0);

  /** h_eff(h). */
  public double effectiveDays(double h) {
    return Double.isInfinite(tau) ? h : tau * (1 - Math.exp(-h / tau));
  }

  public static TrendDynamics estimate(Dataset<Row> history, Instant cutoff, int trendDays, boolean bayesian) {
    if (history == null) {
      return LINEAR;
    }
    Instant origin = cutoff.minusSeconds(BACKTEST_DAYS * 86_400L);
    Dataset<Row> slopes = AbilityTrend.populationSlopes(history, origin, trendDays).where(col("trend").isNotNull());
    TrendPrior prior = bayesian ? TrendPrior.estimate(slopes) : null;
    Dataset<Row> at0 = latest(history.where(col("as_of").lt(lit(Timestamp.from(origin)))), "_0");
    Dataset<Row> at1 = latest(history.where(col("as_of").geq(lit(Timestamp.from(origin)))
        .and(col("as_of").lt(lit(Timestamp.from(cutoff))))), "_1");
    Dataset<Row> pairs = slopes.join(at0, "user_id").join(at1, "user_id")
        .withColumn("_d", unix_micros(col("as_of_1")).minus(unix_micros(col("as_of_0"))).divide(86_400e6))
        .where(col("_d").gt(0));
    long n = pairs.count();
    if (n < MIN_PAIRS) {
      return LINEAR;
    }
    if (n > MAX_SAMPLE) {
      pairs = pairs.sample(false, Math.min(1.0, 1.2 * MAX_SAMPLE / n), 20260901L);
    }
    List<Row> rows = pairs.select("trend", "trend_se", "theta_0", "theta_se_0", "theta_1", "theta_se_1", "_d")
        .collectAsList();
    int m = rows.size();
    double[] beta = new double[m];
    double[] v = new double[m];
    double[] gain = new double[m];
    double[] d = new double[m];
    double measurement = 0;
    for (int i = 0; i < m; i++) {
      Row r = rows.get(i);
      double b = r.getDouble(0);
      double se = r.getDouble(1);
      if (prior != null) {
        double tau2 = prior.sd() * prior.sd();
        double post = 1.0 / (1.0 / tau2 + 1.0 / (se * se));
        beta[i] = post * (prior.mean() / tau2 + b / (se * se));
        v[i] = post;
      } else {
        beta[i] = b;
      }
      gain[i] = r.getDouble(4) - r.getDouble(2);
      d[i] = r.getDouble(6);
      measurement += r.getDouble(3) * r.getDouble(3) + r.getDouble(5) * r.getDouble(5);
    }
    double tau = goldenSection(t -> sse(t, beta, gain, d), Math.log(MIN_TAU), Math.log(MAX_TAU));
    tau = Math.exp(tau);
    if (tau > 0.99 * MAX_TAU) {
      tau = Double.POSITIVE_INFINITY;
    }
    TrendDynamics fitted = new TrendDynamics(tau, 0.0, m);
    double sq = 0;
    double hEff = 0;
    double trendVar = 0;
    for (int i = 0; i < m; i++) {
      double he = fitted.effectiveDays(d[i]);
      double e = gain[i] - beta[i] * he;
      sq += e * e;
      hEff += he;
      trendVar += he * he * v[i];
    }
    double q = Math.max(0.0, (sq - measurement - trendVar) / m) / (hEff / m);
    return new TrendDynamics(tau, q, m);
  }

  private static double sse(double logTau, double[] beta, double[] gain, double[] d) {
    double tau = Math.exp(logTau);
    double s = 0;
    for (int i = 0; i < beta.length; i++) {
      double e = gain[i] - beta[i] * tau * (1 - Math.exp(-d[i] / tau));
      s += e * e;
    }
    return s;
  }

  /** Minimum of a unimodal function on [a, b]. */
  private static double goldenSection(java.util.function.DoubleUnaryOperator f, double a, double b) {
    double g = (Math.sqrt(5) - 1) / 2;
    double c = b - g * (b - a);
    double e = a + g * (b - a);
    double fc = f.applyAsDouble(c);
    double fe = f.applyAsDouble(e);
    for (int i = 0; i < 80; i++) {
      if (fc < fe) {
        b = e;
        e = c;
        fe = fc;
        c = b - g * (b - a);
        fc = f.applyAsDouble(c);
      } else {
        a = c;
        c = e;
        fc = fe;
        e = a + g * (b - a);
        fe = f.applyAsDouble(e);
      }
    }
    return (a + b) / 2;
  }

  private static Dataset<Row> latest(Dataset<Row> history, String suffix) {
    return history.groupBy(col("user_id"))
        .agg(max(struct(col("as_of"), col("source"), col("theta"), col("theta_se"))).as("_l"))
        .select(col("user_id"), col("_l.as_of").as("as_of" + suffix), col("_l.theta").as("theta" + suffix),
            col("_l.theta_se").as("theta_se" + suffix));
  }
}
