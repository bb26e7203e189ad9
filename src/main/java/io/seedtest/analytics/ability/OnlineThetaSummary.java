package io.seedtest.analytics.ability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.avg;

import io.seedtest.analytics.calibration.AbilityHistory;
import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.io.Lake;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * What the session-end update did, from the lake, for a summary such as the demo's: sessions
 * applied, students whose θ moved, and — when the lake holds the simulator's truth
 * ({@code sim_student_days}) — the RMSE of the updated θ after each session and of the latest
 * calibration θ before it, both against the student's true θ at the end of the session's day.
 */
public final class OnlineThetaSummary {
  private OnlineThetaSummary() {}

  /**
   * @param compared updated sessions with a truth row and a calibration θ before them (RMSEs are
   *     over these; null when none)
   */
  public record Figures(long sessions, long updated, long students, long compared, Double rmseUpdated,
      Double rmseCalibration) {
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "session-end θ updates: %d sessions applied, %d moved θ, %d students",
          sessions, updated, students));
      if (rmseUpdated != null) {
        out.add(String.format(Locale.ROOT, "  vs the simulator's true θ (%d sessions): RMSE updated θ %.3f,"
            + " last calibration θ %.3f", compared, rmseUpdated, rmseCalibration));
      }
      return out;
    }
  }

  /** Empty when the lake has no session_ability_updates yet. */
  public static Optional<Figures> fromLake(SparkSession spark, Lake lake) {
    if (!lake.exists(spark, SessionTables.UPDATES)) {
      return Optional.empty();
    }
    Dataset<Row> updates = lake.read(spark, SessionTables.UPDATES);
    boolean truth = lake.exists(spark, "sim_student_days") && lake.exists(spark, IrtTables.ABILITY_HISTORY);
    return Optional.of(compute(updates, truth ? lake.read(spark, "sim_student_days") : null,
        truth ? AbilityHistory.read(spark, lake) : null));
  }

  /**
   * The figures from session_ability_updates rows, and (both or neither) the truth rows
   * (user_id, day, theta) and mirt_ability_history rows.
   */
  public static Figures compute(Dataset<Row> updates, Dataset<Row> simStudentDays, Dataset<Row> history) {
    Row c = updates.agg(count(lit(1)), sum(when(col("outcome").equalTo(Outcome.UPDATED.code()), 1).otherwise(0)),
        countDistinct(when(col("outcome").equalTo(Outcome.UPDATED.code()), col("user_id")))).first();
    long sessions = c.getLong(0);
    long updated = c.isNullAt(1) ? 0 : c.getLong(1);
    long students = c.getLong(2);
    if (sessions == 0 || simStudentDays == null || history == null) {
      return new Figures(sessions, updated, students, 0, null, null);
    }
    Dataset<Row> truth = simStudentDays.select(col("user_id").as("t_user"),
        col("day").as("t_day"), col("theta").as("t_theta"));
    Dataset<Row> calibrations = history
        .where(col("source").equalTo(AbilityState.SOURCE_CALIBRATION))
        .select(col("user_id").as("c_user"), col("as_of").as("c_as_of"), col("theta").as("c_theta"));
    Dataset<Row> u = updates.where(col("outcome").equalTo(Outcome.UPDATED.code()))
        .select(col("session_id"), col("user_id"), col("finished_at"), col("theta_after"));
    Dataset<Row> withCalibration = u.join(calibrations, col("user_id").equalTo(col("c_user"))
            .and(col("c_as_of").lt(col("finished_at"))))
        .withColumn("_r", row_number().over(Window.partitionBy("session_id").orderBy(desc("c_as_of"))))
        .where(col("_r").equalTo(1));
    Row r = withCalibration.join(truth, col("user_id").equalTo(col("t_user"))
            .and(col("t_day").equalTo(to_date(col("finished_at")))))
        .agg(count(lit(1)), sqrt(avg(pow(col("theta_after").minus(col("t_theta")), 2))),
            sqrt(avg(pow(col("c_theta").minus(col("t_theta")), 2)))).first();
    long compared = r.getLong(0);
    return new Figures(sessions, updated, students, compared, compared == 0 ? null : r.getDouble(1),
        compared == 0 ? null : r.getDouble(2));
  }
}
