package io.seedtest.analytics.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import io.seedtest.analytics.sim.ChurnHazard;
import io.seedtest.analytics.sim.StudentSimulator;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What really happened in a simulation ({@link io.seedtest.analytics.sim}), in the shape the KPIs
 * are scored against: the true probability behind S, which students reached their goal (for P),
 * and a stand-in ability history. Inputs are the simulator's truth tables: sim_students,
 * sim_student_days and goals (lake or PostgreSQL, or straight from {@code SimulatedData}).
 *
 * <h2>The true probability of a week without activity</h2>
 *
 * The simulator's process for an enrolled student on day j: a churn draw with the hazard
 * {@link ChurnHazard} h_j (churned = never active again), then, unless on a break, a break starts
 * with her break propensity b (lasting 7 + Geometric(1/8) days), then a session with probability
 * p_j = min(0.95, engagement × weekday factor × 1.4 in the 14 days up to her goal date). Two
 * references are computed for each (student, as-of day s), both P(no activity in s+1 … s+7):
 *
 * <ul>
 *   <li>{@code p_true} — the truth given her true traits (engagement, break propensity, goal) and
 *       everything observable up to s (her active days), not her hidden state: whether she has
 *       churned or is on a break is what a churn model must infer, so the oracle infers it too. A
 *       forward filter over her days from joining runs on the hidden states (no break, day 1…6 of
 *       a break, day ≥ 7 of a break, churned) with the simulator's transitions and emissions
 *       (active only outside breaks, with p_d); the churn hazard of each day is the recorded
 *       sim_student_days.churn_hazard up to her churn day (it depends only on the state at the
 *       day's start, which her activity determines) and, on the silent path after it, the same
 *       hazard with the idle-days, newcomer and after-goal terms moved on. The 7 days ahead are then
 *       integrated exactly over churn, break and session draws. This is the best probability a
 *       model could give if it knew the simulator and the student's traits: the reference for the
 *       churn model's AUC ("the true hazard's AUC").
 *   <li>{@code p_realized} — from the recorded rates of the following days, as the sim tables hold
 *       them: 1 − Σ_j q_j (1 − h_j) p_j with q the chance of no activity before j, p_j =
 *       sim_student_days.p_session of day j (0 on break days and after churn) and h_j the silent-path
 *       hazard; 1 for a student who has churned. It knows breaks that start in the future and
 *       whether she has churned, which no model can: an upper bound, reported beside the other.
 * </ul>
 *
 * Rows need the window to reach s + 1 (outcomes need s + 7 anyway).
 */
public final class SimulatedTruth {
  private static final int BREAK_MIN = StudentSimulator.BREAK_MIN_DAYS;
  private static final double BREAK_CONTINUE = 1 - StudentSimulator.BREAK_END_PER_DAY;
  private static final double FORGETTING_PER_IDLE_DAY = StudentSimulator.FORGETTING_PER_IDLE_DAY;

  public static final StructType CHURN_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("as_of_day", DataTypes.DateType, false)
      .add("p_true", DataTypes.DoubleType, false)
      .add("p_realized", DataTypes.DoubleType, false);

  public static final StructType GOAL_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("target_theta", DataTypes.DoubleType, false)
      .add("goal_date", DataTypes.DateType, false)
      .add("theta_at_goal", DataTypes.DoubleType, false)
      .add("reached", DataTypes.DoubleType, false);

  public static final StructType HISTORY_SCHEMA = new StructType()
      .add("user_id", DataTypes.LongType, false)
      .add("as_of", DataTypes.TimestampType, false)
      .add("source", DataTypes.StringType, false)
      .add("theta", DataTypes.DoubleType, false)
      .add("theta_se", DataTypes.DoubleType, false)
      .add("answers_used", DataTypes.IntegerType, false)
      .add("calibration_id", DataTypes.StringType, true);

  private SimulatedTruth() {}

  /** One row per student with her sorted days, traits and goal. */
  private static Dataset<Row> perStudent(Dataset<Row> students, Dataset<Row> studentDays, Dataset<Row> goals) {
    Dataset<Row> days = studentDays.groupBy(col("user_id"))
        .agg(sort_array(collect_list(struct(col("day"), col("active"), col("p_session"), col("churn_hazard"),
            col("churned"), col("theta"), col("answers")))).as("days"));
    return days.join(students.select(col("user_id"), col("engagement"), col("break_propensity"), col("join_day"),
            col("theta0")), "user_id")
        .join(goals.select(col("user_id"), col("target_theta"), col("goal_date")), new String[] {"user_id"}, "left");
  }

  /** p_true and p_realized (see the class comment) for each student enrolled on each as-of day. */
  public static Dataset<Row> churnProbabilities(Dataset<Row> students, Dataset<Row> studentDays, Dataset<Row> goals,
      List<LocalDate> asOfDays) {
    long[] snaps = asOfDays.stream().mapToLong(LocalDate::toEpochDay).toArray();
    return perStudent(students, studentDays, goals)
        .flatMap((FlatMapFunction<Row, Row>) r -> new Student(r).churn(snaps).iterator(), Encoders.row(CHURN_SCHEMA));
  }

  /**
   * For each student with a goal whose date is at most {@code lastDay}: her true θ on that date and
   * whether it reached the target. A student who churned before it keeps the θ she had, minus the
   * simulator's forgetting (0.4 % of her gain per idle day) for the days in between.
   */
  public static Dataset<Row> goalOutcomes(Dataset<Row> students, Dataset<Row> studentDays, Dataset<Row> goals,
      LocalDate lastDay) {
    long last = lastDay.toEpochDay();
    return perStudent(students, studentDays, goals).where(col("goal_date").isNotNull())
        .flatMap((FlatMapFunction<Row, Row>) r -> new Student(r).goal(last).iterator(), Encoders.row(GOAL_SCHEMA));
  }

  /**
   * A stand-in for the weekly calibration's ability history, shaped like its EAP scores: at the
   * end of every 7th day of the simulation (for a student with answers in that week), with n her
   * answers so far, a measurement y = true θ + N(0, 4/n) (about the information of n adaptive 3PL
   * items, 0.25 each) and the N(0, 1) prior of the calibration give the posterior mean
   * θ̂ = y·(n/4)/(1 + n/4) and SD 1/√(1 + n/4); z is drawn from (seed, user, day). A calibrated
   * posterior, so what P is scored on is P's own arithmetic, not the calibration's.
   */
  public static Dataset<Row> abilityHistory(Dataset<Row> studentDays, LocalDate simStart, long seed) {
    long start = simStart.toEpochDay();
    return studentDays.groupBy(col("user_id"))
        .agg(sort_array(collect_list(struct(col("day"), col("theta"), col("answers"), col("churned")))).as("days"))
        .flatMap((FlatMapFunction<Row, Row>) r -> history(r.getLong(0), r.getList(1), start, seed).iterator(),
            Encoders.row(HISTORY_SCHEMA));
  }

  private static List<Row> history(long user, List<Row> days, long simStart, long seed) {
    List<Row> out = new ArrayList<>();
    int cumulative = 0;
    int week = 0;
    for (Row day : days) {
      long d = day.getDate(0).toLocalDate().toEpochDay();
      if (day.getBoolean(3)) {
        break; // churned: no estimates from then on
      }
      cumulative += day.getInt(2);
      week += day.getInt(2);
      if (Math.floorMod(d - simStart, 7L) == 6) {
        if (week > 0) {
          double info = 0.25 * cumulative;
          double se = 1.0 / Math.sqrt(1.0 + info);
          double z = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + user * 1_000_003L + d).nextGaussian();
          double y = day.getDouble(1) + z / Math.sqrt(info);
          Timestamp asOf = Timestamp.from(LocalDate.ofEpochDay(d + 1).atStartOfDay(java.time.ZoneOffset.UTC)
              .toInstant().minusNanos(1_000));
          out.add(RowFactory.create(user, asOf, "calibration", y * info / (1.0 + info), se, cumulative,
              "sim-" + LocalDate.ofEpochDay(d)));
        }
        week = 0;
      }
    }
    return out;
  }

  /** One student's truth as arrays indexed by epoch day − join day. */
  private static final class Student {   // built on the executors from a row, never shipped
    final long user;
    final long join;
    final int n;
    final boolean[] active;
    final double[] pSession;
    final double[] hazard;
    final double[] theta;
    final int[] answers;
    final long churnDay;
    final double engagement;
    final double breakP;
    final double theta0;
    final Double target;
    final long goalDay;

    Student(Row r) {
      user = r.getLong(r.fieldIndex("user_id"));
      join = r.getDate(r.fieldIndex("join_day")).toLocalDate().toEpochDay();
      List<Row> days = r.getList(r.fieldIndex("days"));
      n = days.size();
      active = new boolean[n];
      pSession = new double[n];
      hazard = new double[n];
      theta = new double[n];
      answers = new int[n];
      long churn = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        Row d = days.get(i);
        active[i] = d.getBoolean(1);
        pSession[i] = d.getDouble(2);
        hazard[i] = d.getDouble(3);
        if (d.getBoolean(4)) {
          churn = join + i;
        }
        theta[i] = d.getDouble(5);
        answers[i] = d.getInt(6);
      }
      churnDay = churn;
      engagement = r.isNullAt(r.fieldIndex("engagement")) ? Double.NaN : r.getDouble(r.fieldIndex("engagement"));
      breakP = r.isNullAt(r.fieldIndex("break_propensity")) ? 0.0 : r.getDouble(r.fieldIndex("break_propensity"));
      theta0 = r.getDouble(r.fieldIndex("theta0"));
      int ti = r.fieldIndex("target_theta");
      target = r.isNullAt(ti) ? null : r.getDouble(ti);
      goalDay = r.isNullAt(r.fieldIndex("goal_date")) ? Long.MIN_VALUE
          : r.getDate(r.fieldIndex("goal_date")).toLocalDate().toEpochDay();
    }

    boolean hasGoal() {
      return goalDay != Long.MIN_VALUE;
    }

    /** The simulator's chance of a session on day d when not on a break (not the join day). */
    double p(long d) {
      int dow = (int) Math.floorMod(d + 3, 7L);
      double factor = dow < 5 ? 1.08 : 0.80;
      if (hasGoal() && d <= goalDay && goalDay - d <= 14) {
        factor *= 1.4;
      }
      return Math.min(0.95, engagement * factor);
    }

    List<Row> churn(long[] snaps) {
      List<Row> out = new ArrayList<>();
      if (Double.isNaN(engagement)) {
        return out;
      }
      for (long s : snaps) {
        if (s < join || (churnDay > s + 1 && s + 1 - join >= n)) {
          continue; // not yet joined, or the window ends before s + 1
        }
        out.add(RowFactory.create(user, Date.valueOf(LocalDate.ofEpochDay(s)), trueProbability(s),
            realizedProbability(s)));
      }
      return out;
    }

    /** Index of day d in the arrays. */
    int idx(long d) {
      return (int) (d - join);
    }

    /** Her last active day before d (join day at the latest). */
    long lastActiveBefore(long d) {
      for (long x = Math.min(d - 1, join + n - 1); x >= join; x--) {
        if (active[idx(x)]) {
          return x;
        }
      }
      return join;
    }

    /**
     * The churn hazard on day j along a silent path from day r0 on (no activity from r0's last active
     * day to j): the recorded hazard of r0 with the idle-days, newcomer and after-goal terms moved to j.
     */
    double silentHazard(long r0, long j) {
      double h0 = hazard[idx(r0)];
      int idle0 = (int) (r0 - lastActiveBefore(r0) - 1);
      double logit = Math.log(h0 / (1 - h0))
          + ChurnHazard.IDLE * (Math.log1p(idle0 + (double) (j - r0)) - Math.log1p(idle0))
          + ChurnHazard.NEWCOMER * ((j - join <= ChurnHazard.NEWCOMER_DAYS ? 1 : 0)
              - (r0 - join <= ChurnHazard.NEWCOMER_DAYS ? 1 : 0))
          + ChurnHazard.AFTER_GOAL * ((hasGoal() && j > goalDay ? 1 : 0) - (hasGoal() && r0 > goalDay ? 1 : 0));
      return 1.0 / (1.0 + Math.exp(-logit));
    }

    /** The hazard of day d as her observed activity implies it: recorded up to her churn day, silent after. */
    double observedHazard(long d) {
      return d <= churnDay && idx(d) < n ? hazard[idx(d)] : silentHazard(churnDay, d);
    }

    /** The hazard of day s + k (k ≥ 1) if she stays silent after s. */
    double hazardAhead(long s, int k) {
      long r0 = Math.min(s + 1, churnDay);
      return silentHazard(r0, s + k);
    }

    /** Break dynamics: 0 = no break, 1..6 = day k of a break, 7 = day 7 or later; 8 = churned. */
    double[] breakTransition(double[] a) {
      double[] b = new double[9];
      double ended = a[7] * (1 - BREAK_CONTINUE);
      double free = a[0] + ended;
      b[0] = free * (1 - breakP);
      b[1] = free * breakP;
      for (int k = 1; k < BREAK_MIN - 1; k++) {
        b[k + 1] = a[k];
      }
      b[7] = a[BREAK_MIN - 1] + a[7] * BREAK_CONTINUE;
      b[8] = a[8];
      return b;
    }

    /** One day of the process on the state vector: churn draw, break draw, then the observation. */
    double[] step(double[] a, double h, double p, Boolean observedActive) {
      double[] c = a.clone();
      double alive = 0;
      for (int k = 0; k < 8; k++) {
        alive += c[k];
        c[k] *= 1 - h;
      }
      c[8] += alive * h;
      c = breakTransition(c);
      if (observedActive == null) {
        return c;
      }
      if (observedActive) {
        double[] z = new double[9];
        z[0] = c[0] * p;
        return z;
      }
      c[0] *= 1 - p;
      return c;
    }

    /**
     * P(no activity in s+1 … s+7 | traits, activity up to s): a forward filter over her days from
     * joining on the hidden states (no break, break day 1…6, break day ≥ 7, churned), then the
     * 7 days ahead integrated on a silent path.
     */
    double trueProbability(long s) {
      double[] a = new double[9];
      a[0] = 1.0; // the join day: active, no break
      for (long d = join + 1; d <= s; d++) {
        boolean act = idx(d) < n && d < churnDay && active[idx(d)];
        a = step(a, observedHazard(d), p(d), act);
        double sum = 0;
        for (double v : a) {
          sum += v;
        }
        for (int k = 0; k < 9; k++) {
          a[k] /= sum;
        }
      }
      double total = 0;
      for (double v : a) {
        total += v;
      }
      for (int k = 1; k <= 7; k++) {
        a = step(a, hazardAhead(s, k), p(s + k), false);
      }
      double silent = 0;
      for (double v : a) {
        silent += v;
      }
      return Math.min(1.0, Math.max(0.0, silent / total));
    }

    /** From the recorded p_session of the following days (knows future breaks). */
    double realizedProbability(long s) {
      if (churnDay <= s) {
        return 1.0;
      }
      double q = 1.0;
      double activeMass = 0;
      for (int k = 1; k <= 7; k++) {
        long j = s + k;
        int i = idx(j);
        double p = i < n && j < churnDay ? pSession[i] : 0.0;
        double h = hazardAhead(s, k);
        activeMass += q * (1 - h) * p;
        q = q * (1 - h) * (1 - p);
      }
      return Math.min(1.0, Math.max(0.0, 1 - activeMass));
    }

    List<Row> goal(long last) {
      if (!hasGoal() || target == null || goalDay > last || goalDay < join) {
        return List.of();
      }
      int i = (int) (goalDay - join);
      double th;
      if (i < n && churnDay > goalDay) {
        th = theta[i];
      } else if (churnDay <= goalDay) {
        int c = (int) (churnDay - join);
        double gain = theta[c] - theta0;
        th = theta0 + gain * Math.pow(1 - FORGETTING_PER_IDLE_DAY, goalDay - churnDay);
      } else {
        return List.of();
      }
      return List.of(RowFactory.create(user, target, Date.valueOf(LocalDate.ofEpochDay(goalDay)), th,
          th >= target ? 1.0 : 0.0));
    }
  }
}
