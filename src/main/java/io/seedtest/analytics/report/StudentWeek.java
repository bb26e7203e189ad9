package io.seedtest.analytics.report;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * Everything one student's report shows, gathered by {@link ReportInputs} into one row per
 * student and read back here on the executor. Nullable numbers are null when the KPI job could not
 * compute them (no θ, no answers last week, no revisited topic…); the report then says so.
 */
public record StudentWeek(long userId, LocalDate weekEnding, Kpis week, Kpis previous, String improvementSource,
    Double pGoal, double targetTheta, boolean targetFromGoal, LocalDate goalDate, Double theta, Double thetaSe,
    boolean calibrated, List<WeekValue> pHistory, List<ThetaPoint> thetaHistory, List<TopicWeek> topics,
    Set<Long> recentItems) implements Serializable {

  /** The four KPIs shown side by side: accuracy, effort (E_t), retention, improvement, and the answers. */
  public record Kpis(Double accuracy, Double effort, Double retention, Double improvement, Integer answers)
      implements Serializable {}

  public record WeekValue(LocalDate weekEnding, double value) implements Serializable {}

  /** θ at the end of a day (the day's last estimate) and its standard error. */
  public record ThetaPoint(LocalDate day, double theta, double se) implements Serializable {}

  static StudentWeek fromRow(Row r) {
    Kpis week = new Kpis(d(r, "a_t"), d(r, "e_t"), d(r, "r_t"), d(r, "i_t"), i(r, "attempts_7d"));
    Kpis prev = new Kpis(d(r, "a_prev"), d(r, "e_prev"), d(r, "r_prev"), d(r, "i_prev"), i(r, "attempts_prev_7d"));
    List<WeekValue> p = new ArrayList<>();
    for (Row x : rows(r, "p_history")) {
      p.add(new WeekValue(date(x, "week_ending"), x.<Double>getAs("p_goal")));
    }
    List<ThetaPoint> th = new ArrayList<>();
    for (Row x : rows(r, "theta_history")) {
      th.add(new ThetaPoint(date(x, "day"), x.<Double>getAs("theta"), x.<Double>getAs("theta_se")));
    }
    List<TopicWeek> topics = new ArrayList<>();
    for (Row x : rows(r, "topics")) {
      topics.add(new TopicWeek(x.getAs("topic"), x.<Integer>getAs("attempts_week"), x.<Integer>getAs("correct_week"),
          x.<Integer>getAs("attempts_prev"), x.<Integer>getAs("correct_prev"), x.<Integer>getAs("attempts_4w"),
          x.<Integer>getAs("correct_4w")));
    }
    Set<Long> recent = new HashSet<>();
    if (!r.isNullAt(r.fieldIndex("recent_items"))) {
      recent.addAll(r.getList(r.fieldIndex("recent_items")));
    }
    boolean calibrated = "calibrated".equals(r.getAs("theta_source")) && d(r, "theta") != null;
    return new StudentWeek(r.<Long>getAs("user_id"), date(r, "week_ending"), week, prev, r.getAs("i_source"),
        d(r, "p_goal"), r.<Double>getAs("target_theta"), "goal".equals(r.getAs("target_source")),
        date(r, "goal_date"), calibrated ? d(r, "theta") : null, calibrated ? d(r, "theta_se") : null, calibrated,
        p, th, topics, recent);
  }

  private static Double d(Row r, String f) {
    int k = r.fieldIndex(f);
    return r.isNullAt(k) ? null : r.getDouble(k);
  }

  private static Integer i(Row r, String f) {
    int k = r.fieldIndex(f);
    return r.isNullAt(k) ? null : r.getInt(k);
  }

  private static LocalDate date(Row r, String f) {
    int k = r.fieldIndex(f);
    return r.isNullAt(k) ? null : ((java.sql.Date) r.get(k)).toLocalDate();
  }

  private static List<Row> rows(Row r, String f) {
    int k = r.fieldIndex(f);
    return r.isNullAt(k) ? List.of() : r.getList(k);
  }
}
