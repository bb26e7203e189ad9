package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The Bayesian setting's prior on a student's distance to her own goal, d = θ − target, across the
 * students with a goal and an ability estimate before the cutoff: N(mean, sd²), with
 * sd² = max(0, Var(θ̂ − target) − mean SE²) (the spread of the true distances: the observed spread
 * minus what the estimates' error adds). A student's estimated distance d̂ = θ̂ − target, with
 * error SE, is then shrunk to d = mean + w·(d̂ − mean), w = sd²/(sd² + SE²), with variance w·SE².
 *
 * <p>Why: students choose goals relative to where they stand, so a student who looks already past
 * her goal is, more often than her SE says, one whose estimate came out high (the winner's curse
 * of selecting on d̂). Shrinking d̂ toward the population's distances, as A_t's Beta-Binomial
 * option shrinks accuracies, removes that bias. Estimated from the ability history and the goals
 * (not from the day's KPI population), so the nightly run and the trigger use the same prior.
 * Fewer than {@value #MIN_STUDENTS} students: no shrinkage.
 */
public record GoalDistancePrior(double mean, double sd, long students) implements Serializable {
  public static final int MIN_STUDENTS = 30;
  public static final GoalDistancePrior NONE = new GoalDistancePrior(0.0, Double.POSITIVE_INFINITY, 0);

  public boolean shrinks() {
    return Double.isFinite(sd);
  }

  public static GoalDistancePrior estimate(Dataset<Row> history, Dataset<Row> goals, Instant cutoff) {
    if (history == null || goals == null) {
      return NONE;
    }
    Dataset<Row> latest = history.where(col("as_of").lt(lit(Timestamp.from(cutoff))))
        .groupBy(col("user_id"))
        .agg(max(struct(col("as_of"), col("source"), col("theta"), col("theta_se"))).as("_l"))
        .select(col("user_id"), col("_l.theta").as("_t"), col("_l.theta_se").as("_se"));
    Dataset<Row> d = latest.join(goals.select(col("user_id"), col("target_theta")).dropDuplicates("user_id"), "user_id")
        .where(col("target_theta").isNotNull())
        .withColumn("_d", col("_t").minus(col("target_theta")));
    Row r = d.agg(count(lit(1)), sum("_d"), sum(pow(col("_d"), 2)), sum(pow(col("_se"), 2))).first();
    long n = r.getLong(0);
    if (n < MIN_STUDENTS) {
      return NONE;
    }
    double mean = r.getDouble(1) / n;
    double var = r.getDouble(2) / n - mean * mean;
    double sd2 = Math.max(1e-6, var - r.getDouble(3) / n);
    return new GoalDistancePrior(mean, Math.sqrt(sd2), n);
  }
}
