package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The population prior of A_t's Beta-Binomial option, estimated per as-of day by the method of
 * moments (empirical Bayes). Every student with n answers, c correct, in the period:
 *
 * <pre>
 *   p0 = Σc / Σn                                   (the population rate, answer-weighted)
 *   S² = Σ n (c/n − p0)² / Σn = Σ(c²/n)/Σn − p0²    (observed spread of the students' rates)
 *   τ² = S² − p0 (1 − p0) · N / Σn                  (minus its binomial part: the true spread)
 *   m  = p0 (1 − p0) / τ² − 1, clamped to [{@value #MIN_STRENGTH}, {@value #MAX_STRENGTH}]
 * </pre>
 *
 * so the prior is Beta(m·p0, m·(1 − p0)) and a student's posterior mean is (c + m·p0) / (n + m):
 * she is pulled toward the population by m pseudo-answers. When τ² ≤ 0 (no detectable spread) or
 * p0 is 0 or 1, m = {@value #MAX_STRENGTH}.
 */
public final class BetaBinomialPrior {
  public static final double MIN_STRENGTH = 2.0;
  public static final double MAX_STRENGTH = 500.0;

  private BetaBinomialPrior() {}

  /**
   * One row per {@code as_of_day}: {@code <prefix>_p0}, {@code <prefix>_m} from the students with
   * {@code n > 0}. Days where nobody answered get no row (their A_t is null anyway).
   */
  public static Dataset<Row> estimate(Dataset<Row> perStudent, String n, String c, String prefix) {
    Column nd = col(n).cast("double");
    Column cd = col(c).cast("double");
    Dataset<Row> sums = perStudent.where(col(n).gt(0)).groupBy(col("as_of_day"))
        .agg(count(lit(1)).cast("double").as("_N"), sum(nd).as("_sn"), sum(cd).as("_sc"),
            sum(cd.multiply(cd).divide(nd)).as("_sq"));
    Column p0 = col("_sc").divide(col("_sn"));
    Column tau2 = col("_sq").divide(col("_sn")).minus(p0.multiply(p0))
        .minus(p0.multiply(lit(1.0).minus(p0)).multiply(col("_N")).divide(col("_sn")));
    Column m = when(p0.leq(0).or(p0.geq(1)).or(tau2.leq(0)), lit(MAX_STRENGTH))
        .otherwise(least(lit(MAX_STRENGTH), greatest(lit(MIN_STRENGTH),
            p0.multiply(lit(1.0).minus(p0)).divide(tau2).minus(1.0))));
    return sums.select(col("as_of_day"), p0.as(prefix + "_p0"), m.as(prefix + "_m"));
  }

  /** The posterior mean (c + m·p0) / (n + m); null when n = 0. */
  public static Column shrunk(Column n, Column c, Column p0, Column m) {
    return when(n.gt(0), c.plus(m.multiply(p0)).divide(n.plus(m)));
  }
}
