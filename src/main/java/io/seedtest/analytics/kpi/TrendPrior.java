package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The population distribution of learning trends, N(mean, sd²) in θ per day, that the Bayesian
 * setting uses as the prior of a student's slope. Estimated from every student's own slope β̂ᵢ
 * and its standard error sᵢ ({@link AbilityTrend#populationSlopes}) as a random-effects
 * meta-analysis (DerSimonian–Laird): with wᵢ = 1/sᵢ²,
 *
 * <pre>
 *   μ_FE = Σwβ̂ / Σw,   Q = Σw(β̂ − μ_FE)²,   τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw))
 *   mean = Σw*β̂ / Σw*  with w* = 1/(s² + τ²),   sd = max(τ, {@value #MIN_SD})
 * </pre>
 *
 * A plain variance of the β̂ would be dominated by the students with two estimates a week apart,
 * whose slopes are mostly noise; DL separates that noise from the true spread. With fewer than
 * {@value #MIN_STUDENTS} slopes: mean 0, sd {@value #DEFAULT_SD} (about ±0.3 θ a month).
 */
public record TrendPrior(double mean, double sd, long students) implements Serializable {
  public static final int MIN_STUDENTS = 30;
  public static final double DEFAULT_SD = 0.01;
  public static final double MIN_SD = 0.001;

  public static final TrendPrior DEFAULT = new TrendPrior(0.0, DEFAULT_SD, 0);

  public static TrendPrior estimate(Dataset<Row> slopes) {
    Dataset<Row> s = slopes.where(col("trend").isNotNull().and(col("trend_se").gt(0)))
        .withColumn("_w", lit(1.0).divide(pow(col("trend_se"), 2)));
    Row a = s.agg(count(lit(1)), sum("_w"), sum(col("_w").multiply(col("trend"))),
        sum(col("_w").multiply(pow(col("trend"), 2))), sum(pow(col("_w"), 2))).first();
    long k = a.getLong(0);
    if (k < MIN_STUDENTS) {
      return new TrendPrior(DEFAULT.mean(), DEFAULT.sd(), k);
    }
    double sw = a.getDouble(1);
    double swb = a.getDouble(2);
    double swbb = a.getDouble(3);
    double sww = a.getDouble(4);
    double q = swbb - swb * swb / sw;
    double tau2 = Math.max(0.0, (q - (k - 1)) / (sw - sww / sw));
    Row b = s.withColumn("_ws", lit(1.0).divide(pow(col("trend_se"), 2).plus(tau2)))
        .agg(sum("_ws"), sum(col("_ws").multiply(col("trend")))).first();
    double mean = b.getDouble(1) / b.getDouble(0);
    return new TrendPrior(mean, Math.max(Math.sqrt(tau2), MIN_SD), k);
  }
}
