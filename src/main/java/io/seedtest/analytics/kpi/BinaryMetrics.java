package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How good a probability is against what happened (0/1 outcomes): AUC (exact, the Mann–Whitney
 * statistic with ties counted half, via MLlib's unbinned ROC), Brier score mean((p − y)²) and
 * expected calibration error over {@value #ECE_BINS} equal-width bins of p,
 * ECE = Σ_b (n_b / n) · |mean p_b − mean y_b|. Used for the churn model's held-out week, for P
 * against reached goals, and for the simulator's true probabilities.
 */
public final class BinaryMetrics {
  public static final int ECE_BINS = 10;

  /** auc is null when the outcomes are all one class. */
  public record Metrics(long n, Double positiveRate, Double auc, double brier, double ece) implements Serializable {
    @Override
    public String toString() {
      return String.format("n=%d, positives=%.3f, AUC=%s, Brier=%.4f, ECE=%.4f", n,
          positiveRate == null ? Double.NaN : positiveRate, auc == null ? "n/a" : String.format("%.4f", auc), brier, ece);
    }
  }

  private BinaryMetrics() {}

  /**
   * The AUC alone of any score (higher = more likely positive; not a probability, so no Brier or
   * ECE): a single feature ranked as a baseline. Null when the outcomes are all one class.
   */
  public static Double auc(Dataset<Row> rows, String score, String y) {
    Dataset<Row> d = rows.select(col(score).cast("double").as("_p"), col(y).cast("double").as("_y"))
        .where(col("_p").isNotNull().and(col("_y").isNotNull()));
    Row classes = d.agg(count(lit(1)), sum("_y")).first();
    long n = classes.getLong(0);
    double positives = classes.isNullAt(1) ? 0 : classes.getDouble(1);
    return positives > 0 && positives < n ? rocArea(d) : null;
  }

  private static double rocArea(Dataset<Row> d) {
    return new BinaryClassificationEvaluator().setRawPredictionCol("_p").setLabelCol("_y")
        .setMetricName("areaUnderROC").setNumBins(0).evaluate(d);
  }

  /** Metrics of probabilities {@code p} (double) against outcomes {@code y} (double 0/1); null rows ignored. */
  public static Metrics of(Dataset<Row> rows, String p, String y) {
    Dataset<Row> d = rows.select(col(p).cast("double").as("_p"), col(y).cast("double").as("_y"))
        .where(col("_p").isNotNull().and(col("_y").isNotNull())).cache();
    try {
      // one pass: per bin of p, its count, Σp, Σy and Σ(p − y)²; totals and Brier follow from the bins
      List<Row> bins = d.groupBy(least(lit(ECE_BINS - 1), floor(col("_p").multiply(ECE_BINS))).as("_bin"))
          .agg(count(lit(1)), sum("_p"), sum("_y"), sum(pow(col("_p").minus(col("_y")), 2)))
          .collectAsList();
      long n = bins.stream().mapToLong(r -> r.getLong(1)).sum();
      if (n == 0) {
        return new Metrics(0, null, null, Double.NaN, Double.NaN);
      }
      double positives = bins.stream().mapToDouble(r -> r.getDouble(3)).sum();
      double brier = bins.stream().mapToDouble(r -> r.getDouble(4)).sum() / n;
      double ece = bins.stream().mapToDouble(r -> Math.abs(r.getDouble(2) - r.getDouble(3))).sum() / n;
      Double auc = null;
      if (positives > 0 && positives < n) {
        auc = rocArea(d);
      }
      return new Metrics(n, positives / n, auc, brier, ece);
    } finally {
      d.unpersist();
    }
  }
}
