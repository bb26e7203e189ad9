package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A student's ability state as of a cutoff, from the ability history {@code (user_id, as_of,
 * theta, theta_se, source)} (calibrations and session-end updates, V5):
 *
 * <ul>
 *   <li>θ_t, SE: the latest estimate with {@code as_of} before the cutoff (ties: the later
 *       source name, so 'session' over 'calibration' at the same instant);
 *   <li>θ_{t−7}: the latest estimate before the end of day t − 7 (for I_t);
 *   <li>trend: the weighted least-squares slope of θ on time (θ per day) over the estimates of the
 *       last {@code trendDays} days, one point per UTC day (the day's last estimate, so a burst of
 *       session updates does not outweigh the weekly calibrations), weights 1/SE²:
 *       <pre>
 *         β̂ = (Σw · Σwxy − Σwx · Σwy) / D,   SE(β̂) = √(Σw / D),   D = Σw · Σwx² − (Σwx)²
 *       </pre>
 *       null with fewer than 2 points or when they span less than {@value #MIN_TREND_SPAN_DAYS}
 *       days (a slope over a few hours means nothing).
 * </ul>
 */
public final class AbilityTrend {
  public static final double MIN_TREND_SPAN_DAYS = 6.0;
  private static final double MICROS_PER_DAY = 86_400e6;

  private AbilityTrend() {}

  /**
   * @param history ability history, or null when there is none (every column is then null)
   * @param keys user_id, as_of_day, _cutoff (timestamp, exclusive)
   * @return user_id, as_of_day, theta, theta_se, theta_as_of, theta_prev, trend, trend_se, trend_points
   */
  public static Dataset<Row> asOf(Dataset<Row> history, Dataset<Row> keys, int trendDays) {
    if (history == null) {
      return keys.select(col("user_id"), col("as_of_day"), lit(null).cast("double").as("theta"),
          lit(null).cast("double").as("theta_se"), lit(null).cast("timestamp").as("theta_as_of"),
          lit(null).cast("double").as("theta_prev"), lit(null).cast("double").as("trend"),
          lit(null).cast("double").as("trend_se"), lit(0).as("trend_points"));
    }
    Dataset<Row> h = history.select(col("user_id").as("_h_user"), col("as_of"), col("theta"), col("theta_se"),
        col("source"));
    Dataset<Row> j = keys.join(h, col("user_id").equalTo(col("_h_user")).and(col("as_of").lt(col("_cutoff"))))
        .drop("_h_user");
    Column estimate = struct(col("as_of"), col("source"), col("theta"), col("theta_se"));
    Column prevCut = least(expr("CAST(date_sub(as_of_day, 6) AS TIMESTAMP)"), col("_cutoff"));
    Dataset<Row> state = j.groupBy(col("user_id"), col("as_of_day"))
        .agg(max(estimate).as("_last"), max(when(col("as_of").lt(prevCut), estimate)).as("_prev"))
        .select(col("user_id"), col("as_of_day"), col("_last.theta").as("theta"),
            col("_last.theta_se").as("theta_se"), col("_last.as_of").as("theta_as_of"),
            col("_prev.theta").as("theta_prev"));
    Dataset<Row> inWindow = j.where(col("as_of").geq(col("_cutoff").minus(expr("make_dt_interval(" + trendDays + ")"))));
    Dataset<Row> trend = slopes(inWindow, List.of("user_id", "as_of_day"));
    return keys.select("user_id", "as_of_day")
        .join(state, new String[] {"user_id", "as_of_day"}, "left")
        .join(trend, new String[] {"user_id", "as_of_day"}, "left")
        .na().fill(0, new String[] {"trend_points"});
  }

  /**
   * Every student's own slope as of {@code cutoff} (no snapshot join): the population the
   * Bayesian trend prior is estimated from. user_id, trend, trend_se, trend_points.
   */
  public static Dataset<Row> populationSlopes(Dataset<Row> history, Instant cutoff, int trendDays) {
    Timestamp end = Timestamp.from(cutoff);
    Timestamp start = Timestamp.from(cutoff.minusSeconds(trendDays * 86_400L));
    Dataset<Row> j = history.where(col("as_of").lt(lit(end)).and(col("as_of").geq(lit(start))))
        .select(col("user_id"), col("as_of"), col("theta"), col("theta_se"), col("source"))
        .withColumn("_cutoff", lit(end));
    return slopes(j, List.of("user_id"));
  }

  /** WLS slope per group over one point per UTC day; needs as_of, source, theta, theta_se, _cutoff. */
  private static Dataset<Row> slopes(Dataset<Row> points, List<String> keys) {
    List<Column> dayKeys = new ArrayList<>(keys.stream().map(k -> col(k)).toList());
    dayKeys.add(col("_cutoff"));
    dayKeys.add(to_date(col("as_of")).as("_day"));
    Dataset<Row> pts = points.groupBy(dayKeys.toArray(Column[]::new))
        .agg(max(struct(col("as_of"), col("source"), col("theta"), col("theta_se"))).as("_p"))
        .withColumn("_x", unix_micros(col("_p.as_of")).minus(unix_micros(col("_cutoff"))).divide(MICROS_PER_DAY))
        .withColumn("_y", col("_p.theta"))
        .withColumn("_w", lit(1.0).divide(col("_p.theta_se").multiply(col("_p.theta_se"))));
    Column w = col("_w");
    Column x = col("_x");
    Column y = col("_y");
    Dataset<Row> sums = pts.groupBy(keys.stream().map(k -> col(k)).toList().toArray(new Column[0]))
        .agg(count(lit(1)).cast("int").as("trend_points"), sum(w).as("_sw"), sum(w.multiply(x)).as("_swx"),
            sum(w.multiply(y)).as("_swy"), sum(w.multiply(x).multiply(x)).as("_swxx"),
            sum(w.multiply(x).multiply(y)).as("_swxy"), min(x).as("_xmin"), max(x).as("_xmax"));
    Column d = col("_sw").multiply(col("_swxx")).minus(col("_swx").multiply(col("_swx")));
    Column ok = col("trend_points").geq(2).and(col("_xmax").minus(col("_xmin")).geq(MIN_TREND_SPAN_DAYS)).and(d.gt(0));
    Column slope = col("_sw").multiply(col("_swxy")).minus(col("_swx").multiply(col("_swy"))).divide(d);
    List<Column> out = new ArrayList<>(keys.stream().map(k -> col(k)).toList());
    out.add(when(ok, slope).as("trend"));
    out.add(when(ok, sqrt(col("_sw").divide(d))).as("trend_se"));
    out.add(col("trend_points"));
    return sums.select(out.toArray(Column[]::new));
  }
}
