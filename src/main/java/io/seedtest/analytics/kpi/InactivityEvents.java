package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;

import io.seedtest.analytics.io.Attempts;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The trigger's events, from activity instants (each session's last valid answer):
 *
 * <ul>
 *   <li>{@code inactive_7d}: her last activity ℓ before the cutoff is exactly 7 × 24 h old or
 *       older, and the crossing instant ℓ + 7 d lies in the detection window; event_at = ℓ + 7 d;
 *   <li>{@code returned}: an activity instant a in the detection window whose previous activity
 *       ℓ' is at least 7 × 24 h earlier; event_at = a, gap_days = (a − ℓ') in days.
 * </ul>
 *
 * The detection window is [cutoff − {@value #DETECTION_HOURS} h, cutoff): an hourly run sees
 * the events of the last day and more, so missed runs are caught up. The event day is the UTC day
 * of event_at, and (student, kind, event day) identifies an event: the trigger keeps only the
 * events not recorded yet ({@link #newEvents}), so each is recorded, and acted on, once. A return
 * is only seen when the previous activity lies in what the run reads (the KPI lookback window).
 */
public final class InactivityEvents {
  public static final String INACTIVE_7D = "inactive_7d";
  public static final String RETURNED = "returned";
  public static final int GAP_DAYS = 7;
  /** How far back a run looks for events: a day and two hours, so an hourly schedule never misses one. */
  public static final int DETECTION_HOURS = 26;
  private static final double MICROS_PER_DAY = 86_400e6;

  private InactivityEvents() {}

  /** user_id, event_type, event_day, event_at, last_active_at, gap_days. */
  public static Dataset<Row> detect(Dataset<Row> validAnswers, Instant from, Instant cutoff) {
    Timestamp end = Timestamp.from(cutoff);
    Timestamp start = Timestamp.from(from);
    Dataset<Row> sessions = validAnswers.where(col(Attempts.ANSWERED_AT).lt(lit(end)))
        .groupBy(col(Attempts.USER_ID), col(Attempts.SESSION_ID))
        .agg(max(col(Attempts.ANSWERED_AT)).as("_at"));
    Column gap = unix_micros(col("_at")).minus(unix_micros(col("_prev"))).divide(MICROS_PER_DAY);
    Dataset<Row> returned = sessions
        .withColumn("_prev", lag(col("_at"), 1).over(Window.partitionBy(col(Attempts.USER_ID))
            .orderBy(col("_at"), col(Attempts.SESSION_ID))))
        .where(col("_prev").isNotNull().and(col("_at").geq(lit(start))).and(gap.geq(GAP_DAYS)))
        .select(col(Attempts.USER_ID), lit(RETURNED).as("event_type"), to_date(col("_at")).as("event_day"),
            col("_at").as("event_at"), col("_prev").as("last_active_at"), gap.as("gap_days"));
    Column crossing = col("_last").plus(expr("INTERVAL " + GAP_DAYS + " DAYS"));
    Dataset<Row> crossed = sessions.groupBy(col(Attempts.USER_ID)).agg(max(col("_at")).as("_last"))
        .where(crossing.geq(lit(start)).and(crossing.lt(lit(end))))
        .select(col(Attempts.USER_ID), lit(INACTIVE_7D).as("event_type"), to_date(crossing).as("event_day"),
            crossing.as("event_at"), col("_last").as("last_active_at"), lit((double) GAP_DAYS).as("gap_days"));
    return crossed.unionByName(returned);
  }

  /** The detection window of a run whose inputs end at {@code cutoff}. */
  public static Instant windowStart(Instant cutoff) {
    return cutoff.minusSeconds(DETECTION_HOURS * 3600L);
  }

  /** {@code events} not in {@code recorded} (the inactivity_events table, or null when it does not exist). */
  public static Dataset<Row> newEvents(Dataset<Row> events, Dataset<Row> recorded) {
    if (recorded == null) {
      return events;
    }
    return events.join(recorded.select("user_id", "event_type", "event_day"),
        new String[] {"user_id", "event_type", "event_day"}, "left_anti");
  }
}
