package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.Attempts;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The compact form every KPI starts from: valid answers folded into one row per student and day
 * (and per student, topic and day for R_t). The day is the answer's event day (see
 * {@link AttemptValidation}): the same day the features job counts it in.
 */
public final class ActivityDays {
  /**
   * One answer counts at most this long in the time on task (10 minutes): an answer left open while
   * the student was away must not make a day look like hours of work.
   */
  public static final double MAX_ANSWER_SECONDS = 600.0;

  private ActivityDays() {}

  /** user_id, day, answers, correct, time_s (Σ min(response time, 10 min)), sessions. */
  public static Dataset<Row> userDays(Dataset<Row> validAnswers) {
    return validAnswers
        .groupBy(col(Attempts.USER_ID), col(AttemptValidation.EVENT_DAY).as("day"))
        .agg(count(lit(1)).cast("int").as("answers"),
            sum(when(col(Attempts.CORRECT), 1).otherwise(0)).cast("int").as("correct"),
            sum(least(col(Attempts.RESPONSE_TIME_MS).divide(1000.0), lit(MAX_ANSWER_SECONDS))).as("time_s"),
            countDistinct(col(Attempts.SESSION_ID)).cast("int").as("sessions"));
  }

  /** user_id, topic, day, answers, correct. */
  public static Dataset<Row> topicDays(Dataset<Row> validAnswers) {
    return validAnswers
        .groupBy(col(Attempts.USER_ID), col(Attempts.TOPIC), col(AttemptValidation.EVENT_DAY).as("day"))
        .agg(count(lit(1)).cast("int").as("answers"),
            sum(when(col(Attempts.CORRECT), 1).otherwise(0)).cast("int").as("correct"));
  }
}
