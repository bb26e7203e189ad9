package io.seedtest.analytics.bench;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How well a calibration recovered simulated truth: RMSE of a, b, c over the calibrated items,
 * and for the students the correlation of EAP θ with true θ, the RMSE, and how often the 95%
 * interval θ ± 1.96·SE covers the truth (a calibrated EAP with honest SEs covers ~95%).
 * Used by the recovery tests and the benchmark.
 */
public record RecoveryMetrics(long items, double rmseA, double rmseB, double rmseC, double biasB,
    long students, double corrTheta, double rmseTheta, double coverage95) {

  /**
   * @param itemParams item_id, a, b, c, calibrated (e.g. mirt_item_params)
   * @param truthItems item_id, a, b, c (e.g. sim_items)
   * @param abilities user_id, theta, theta_se (e.g. mirt_ability)
   * @param truthStudents user_id and the true θ in column {@code trueThetaColumn}
   */
  public static RecoveryMetrics of(Dataset<Row> itemParams, Dataset<Row> truthItems, Dataset<Row> abilities,
      Dataset<Row> truthStudents, String trueThetaColumn) {
    Row i = itemParams.where(col("calibrated")).as("e")
        .join(truthItems.as("t"), col("e.item_id").equalTo(col("t.item_id")))
        .agg(count(lit(1)),
            sqrt(avg(pow(col("e.a").minus(col("t.a")), 2))),
            sqrt(avg(pow(col("e.b").minus(col("t.b")), 2))),
            sqrt(avg(pow(col("e.c").minus(col("t.c")), 2))),
            avg(col("e.b").minus(col("t.b"))))
        .first();
    Row s = abilities.as("e")
        .join(truthStudents.as("t"), col("e.user_id").equalTo(col("t.user_id")))
        .agg(count(lit(1)),
            corr(col("e.theta"), col("t." + trueThetaColumn)),
            sqrt(avg(pow(col("e.theta").minus(col("t." + trueThetaColumn)), 2))),
            avg(when(abs(col("e.theta").minus(col("t." + trueThetaColumn)))
                .leq(col("e.theta_se").multiply(1.959964)), 1.0).otherwise(0.0)))
        .first();
    return new RecoveryMetrics(i.getLong(0), d(i, 1), d(i, 2), d(i, 3), d(i, 4), s.getLong(0), d(s, 1), d(s, 2),
        d(s, 3));
  }

  private static double d(Row r, int k) {
    return r.isNullAt(k) ? Double.NaN : r.getDouble(k);
  }

  @Override
  public String toString() {
    return String.format("items %d: RMSE a %.3f, b %.3f, c %.3f (bias b %+.3f); students %d: corr(EAP, θ) %.3f, "
        + "RMSE θ %.3f, 95%% coverage %.1f%%", items, rmseA, rmseB, rmseC, biasB, students, corrTheta, rmseTheta,
        100 * coverage95);
  }
}
