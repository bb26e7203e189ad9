package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.ServingTables;
import io.seedtest.analytics.kpi.KpiParams;
import io.seedtest.analytics.kpi.KpiTables;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what the weekly report shows and gathers it into one row per student (the row
 * {@link StudentWeek#fromRow} reads): her weekly_kpi row of the week and of the week before, P of
 * the last {@link #WEEKS} weeks, her θ per day over those weeks (mirt_ability_history, calibration
 * and session-end estimates, the last of each day), her topics this week, last week and over 4
 * weeks (features_topic_daily), and the items she answered in those 4 weeks. Every input but
 * weekly_kpi is optional: a student without θ history or topics gets a report that says so.
 */
final class ReportInputs {
  /** The ability trend and the P history cover 12 weeks ending on the report's day. */
  static final int WEEKS = 12;
  /** Items answered this recently are never recommended; weakness is judged on the same 4 weeks. */
  static final int RECENT_DAYS = 28;

  private ReportInputs() {}

  /** One row per student with a weekly_kpi row on {@code day} (restricted to {@code users} when non-empty). */
  static Dataset<Row> students(SparkSession spark, Settings settings, AttemptSource source, LocalDate day,
      List<Long> users) {
    Dataset<Row> kpi = ServingTables.readIfExists(spark, settings, KpiTables.WEEKLY_KPI)
        .orElseThrow(() -> missing(settings, KpiTables.WEEKLY_KPI));
    if (!users.isEmpty()) {
      kpi = kpi.where(col("user_id").isin(users.toArray()));
    }
    Dataset<Row> week = kpi.where(col("week_ending").equalTo(lit(Date.valueOf(day)))).select(col("user_id"),
        col("week_ending"), col("a_t"), col("a_prev"), col("e_t"), col("r_t"), col("i_t"), col("i_source"),
        col("p_goal"), col("target_theta"), col("target_source"), col("goal_date"), col("theta"), col("theta_se"),
        col("theta_source"), col("attempts_7d"), col("attempts_prev_7d"));
    Dataset<Row> prev = kpi.where(col("week_ending").equalTo(lit(Date.valueOf(day.minusDays(7)))))
        .select(col("user_id"), col("e_t").as("e_prev"), col("r_t").as("r_prev"), col("i_t").as("i_prev"));
    List<Date> weekEnds = new ArrayList<>();
    for (int k = WEEKS - 1; k >= 0; k--) {
      weekEnds.add(Date.valueOf(day.minusDays(7L * k)));
    }
    Dataset<Row> pHistory = kpi.where(col("week_ending").isin(weekEnds.toArray()).and(col("p_goal").isNotNull()))
        .groupBy("user_id")
        .agg(array_sort(collect_list(struct(col("week_ending"), col("p_goal")))).as("p_history"));

    Dataset<Row> out = week.join(prev, "user_id", "left").join(pHistory, "user_id", "left");
    out = joinOptional(out, thetaHistory(spark, settings, day, users), "theta_history",
        "array<struct<day:date,theta:double,theta_se:double>>");
    out = joinOptional(out, topics(spark, settings, day, users), "topics",
        "array<struct<topic:string,attempts_week:int,correct_week:int,attempts_prev:int,correct_prev:int,"
            + "attempts_4w:int,correct_4w:int>>");
    return joinOptional(out, Optional.of(recentItems(spark, source, day, users)), "recent_items", "array<bigint>");
  }

  /** θ per day (the day's last estimate, whoever wrote it) over the 12 weeks. */
  static Optional<Dataset<Row>> thetaHistory(SparkSession spark, Settings settings, LocalDate day, List<Long> users) {
    LocalDate from = day.minusDays(7L * WEEKS - 1);
    return ServingTables.readIfExists(spark, settings, IrtTables.ABILITY_HISTORY).map(h -> {
      Dataset<Row> d = h.where(col("as_of").geq(lit(java.sql.Timestamp.from(KpiParams.startOf(from))))
              .and(col("as_of").lt(lit(java.sql.Timestamp.from(KpiParams.startOf(day.plusDays(1))))))
              .and(col("theta").isNotNull()).and(col("theta_se").gt(0)));
      if (!users.isEmpty()) {
        d = d.where(col("user_id").isin(users.toArray()));
      }
      return d.withColumn("day", to_date(col("as_of")))
          .groupBy(col("user_id"), col("day"))
          .agg(max_by(struct(col("theta").cast("double").as("theta"), col("theta_se").cast("double").as("theta_se")),
              col("as_of")).as("last"))
          .groupBy("user_id")
          .agg(array_sort(collect_list(struct(col("day"), col("last.theta").as("theta"),
              col("last.theta_se").as("theta_se")))).as("theta_history"));
    });
  }

  /** Per topic: answers and correct answers this week, the week before, and over 4 weeks. */
  static Optional<Dataset<Row>> topics(SparkSession spark, Settings settings, LocalDate day, List<Long> users) {
    return ServingTables.readIfExists(spark, settings, FeaturesTopicDaily.TABLE).map(f -> {
      Dataset<Row> d = f.where(col("granularity").equalTo("day")
          .and(col("day").between(Date.valueOf(day.minusDays(RECENT_DAYS - 1)), Date.valueOf(day))));
      if (!users.isEmpty()) {
        d = d.where(col("user_id").isin(users.toArray()));
      }
      Column thisWeek = col("day").geq(Date.valueOf(day.minusDays(6)));
      Column lastWeek = col("day").between(Date.valueOf(day.minusDays(13)), Date.valueOf(day.minusDays(7)));
      return d.groupBy(col("user_id"), col("topic"))
          .agg(sumIf(thisWeek, "attempts").as("attempts_week"), sumIf(thisWeek, "correct").as("correct_week"),
              sumIf(lastWeek, "attempts").as("attempts_prev"), sumIf(lastWeek, "correct").as("correct_prev"),
              sum(col("attempts")).cast("int").as("attempts_4w"), sum(col("correct")).cast("int").as("correct_4w"))
          .groupBy("user_id")
          .agg(array_sort(collect_list(struct(col("topic"), col("attempts_week"), col("correct_week"),
              col("attempts_prev"), col("correct_prev"), col("attempts_4w"), col("correct_4w")))).as("topics"));
    });
  }

  /** The items each student answered in the 4 weeks ending on {@code day} (sessions finished then). */
  static Dataset<Row> recentItems(SparkSession spark, AttemptSource source, LocalDate day, List<Long> users) {
    Dataset<Row> a = source.finishedBetween(spark, KpiParams.startOf(day.minusDays(RECENT_DAYS - 1)),
        KpiParams.startOf(day.plusDays(1))).where(col("user_id").isNotNull().and(col("item_id").isNotNull()));
    if (!users.isEmpty()) {
      a = a.where(col("user_id").isin(users.toArray()));
    }
    return a.groupBy("user_id").agg(collect_set(col("item_id")).as("recent_items"));
  }

  /** The calibrated items with a topic: mirt_item_params joined to the item bank; empty before a calibration. */
  static ItemPool itemPool(SparkSession spark, Settings settings, AttemptSource source) {
    Optional<Dataset<Row>> params = ServingTables.readIfExists(spark, settings, IrtTables.ITEM_PARAMS);
    if (params.isEmpty()) {
      return ItemPool.EMPTY;
    }
    List<Row> rows = params.get()
        .where(col("calibrated").and(col("a").isNotNull()).and(col("b").isNotNull()).and(col("c").isNotNull()))
        .select(col("item_id").cast("long").as("item_id"), col("a").cast("double").as("a"),
            col("b").cast("double").as("b"), col("c").cast("double").as("c"), col("se_a").cast("double").as("se_a"),
            col("se_b").cast("double").as("se_b"), col("se_c").cast("double").as("se_c"))
        .join(source.itemBank(spark).select(col("item_id").cast("long").as("item_id"), col("topic")), "item_id")
        .where(col("topic").isNotNull())
        .orderBy("item_id").collectAsList();
    int n = rows.size();
    long[] id = new long[n];
    String[] topic = new String[n];
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    double[] seA = new double[n];
    double[] seB = new double[n];
    double[] seC = new double[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      id[i] = r.getLong(0);
      a[i] = r.getDouble(1);
      b[i] = r.getDouble(2);
      c[i] = r.getDouble(3);
      seA[i] = r.isNullAt(4) ? Double.NaN : r.getDouble(4);
      seB[i] = r.isNullAt(5) ? Double.NaN : r.getDouble(5);
      seC[i] = r.isNullAt(6) ? Double.NaN : r.getDouble(6);
      topic[i] = r.getString(7);
    }
    return new ItemPool(id, topic, a, b, c, seA, seB, seC);
  }

  private static Column sumIf(Column when, String column) {
    return sum(when(when, col(column)).otherwise(0)).cast("int");
  }

  private static Dataset<Row> joinOptional(Dataset<Row> students, Optional<Dataset<Row>> part, String column,
      String type) {
    return part.map(p -> students.join(p, "user_id", "left"))
        .orElseGet(() -> students.withColumn(column, lit(null).cast(type)));
  }

  private static RuntimeException missing(Settings settings, String table) {
    return settings.database().<RuntimeException>map(db -> Errors.missingTable(table, db.toString()))
        .orElseGet(() -> Errors.missingLakeTable(new Lake(settings.lake()).path(table)));
  }
}
