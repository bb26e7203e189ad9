package io.seedtest.analytics.attempts;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.io.Attempts;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Splits raw attempts into valid answers and quarantine rows, each bad row with exactly one
 * reason (the first rule it breaks, in {@link QuarantineReason} order). Pure: no IO, the caller
 * passes the item bank and the run's clock. Both outputs carry {@code event_day}, the UTC day the
 * row belongs to (the answer's day when its timestamp is trustworthy, else the session's finish
 * day) so a job keeps and quarantines only the rows of its own window.
 */
public final class AttemptValidation {
  public static final double MAX_RESPONSE_TIME_MS = 2 * 3600 * 1000.0;
  public static final int MAX_HINTS = 20;
  /**
   * Longest topic, in characters (docs/data-contract.md, text limits): it is part of
   * features_topic_daily's key, whose index rows PostgreSQL limits to about 2,700 bytes; 200
   * characters of up to 4 bytes each stay well below. The attempt view cuts longer ones to 201.
   */
  public static final int MAX_TOPIC_CHARS = 200;
  /** Clock skew allowed between the answering device and the API that closes the session. */
  public static final int SKEW_MINUTES = 5;
  public static final String EVENT_DAY = "event_day";
  public static final String REASON = "reason";
  public static final String SOURCE_KEY = "source_key";
  public static final String PAYLOAD = "payload";

  /** Valid answers (Attempts columns, topic filled from the bank, plus event_day) and quarantine rows. */
  /**
   * @param verdicts every row with its verdict ({@link #check}), persisted so that both sides share
   *     one pass of the duplicate-answer window; the job releases it with its other frames
   */
  public record Split(Dataset<Row> valid, Dataset<Row> quarantined, Dataset<Row> verdicts) {}

  private AttemptValidation() {}

  /**
   * @param itemBank item_id, topic; when it has no rows the unknown-item rule is off
   * @param now the run's clock: answers after it are in the future
   * @return both sides; {@link Split#verdicts()} is persisted and the caller unpersists it
   */
  public static Split split(Dataset<Row> attempts, Dataset<Row> itemBank, boolean checkItems, Instant now) {
    Dataset<Row> checked = check(attempts, itemBank, checkItems, now)
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Column[] attemptCols = Arrays.stream(Attempts.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    Column[] validCols = Arrays.copyOf(attemptCols, attemptCols.length + 1);
    validCols[attemptCols.length] = col(EVENT_DAY);
    Dataset<Row> valid = checked.where(col(REASON).isNull()).select(validCols);
    Dataset<Row> bad = checked.where(col(REASON).isNotNull())
        .select(col(REASON), col(EVENT_DAY), col(SOURCE_KEY), col(PAYLOAD));
    return new Split(valid, bad, checked);
  }

  /**
   * Every row once, with its verdict: the {@link Attempts} columns (topic filled from the bank),
   * {@code reason} (null for a valid row), {@code event_day}, and for bad rows {@code source_key}
   * and {@code payload} (null for valid ones). {@link #split} is this, filtered two ways; a job
   * that needs both sides in one pass over the data (one read, one shuffle) routes the rows
   * itself.
   */
  public static Dataset<Row> check(Dataset<Row> attempts, Dataset<Row> itemBank, boolean checkItems, Instant now) {
    Dataset<Row> withBank = attempts;
    Column topic = col(Attempts.TOPIC);
    if (checkItems) {
      Dataset<Row> bank = itemBank.select(col("item_id").as("_bank_item"), col("topic").as("_bank_topic"));
      withBank = attempts.join(org.apache.spark.sql.functions.broadcast(bank),
          col(Attempts.ITEM_ID).equalTo(col("_bank_item")), "left");
      topic = coalesce(col(Attempts.TOPIC), col("_bank_topic"));
    }
    Column answered = col(Attempts.ANSWERED_AT);
    Column finished = col(Attempts.FINISHED_AT);
    Column rt = col(Attempts.RESPONSE_TIME_MS);
    Column hints = col(Attempts.HINTS_USED);
    // Elapsed time in microseconds, not timestamp ± INTERVAL: Spark adds a day-time interval
    // through java.time in the session zone, several objects per row (gigabytes of garbage on a
    // 26-week read), for the same answer in UTC.
    Column answeredMicros = unix_micros(answered);
    Column finishedMicros = unix_micros(finished);
    Column afterSession = answeredMicros.gt(finishedMicros.plus(lit(SKEW_MINUTES * 60_000_000L)));
    Column afterRun = answered.gt(lit(Timestamp.from(now)));
    Column future = afterSession.or(afterRun);
    Column tooLong = answeredMicros.lt(finishedMicros.minus(lit(24 * 3600 * 1_000_000L)));
    Column problem = Attempts.problem(attempts);
    Column problemField = substring_index(problem, ":", 1);
    Column reason = when(problemField.isin("responses", "answer"), rule(QuarantineReason.BAD_RESPONSES, problem))
        .when(col(Attempts.USER_ID).isNull(), rule(QuarantineReason.NULL_ID, "user_id: missing"))
        .when(col(Attempts.SESSION_ID).isNull(), rule(QuarantineReason.NULL_ID, "session_id: missing"))
        .when(col(Attempts.ITEM_ID).isNull(), rule(QuarantineReason.NULL_ID, unreadable(Attempts.ITEM_ID, problem)))
        .when(col(Attempts.CORRECT).isNull(), rule(QuarantineReason.MISSING_VALUE, unreadable(Attempts.CORRECT, problem)))
        .when(answered.isNull(), rule(QuarantineReason.MISSING_VALUE, unreadable(Attempts.ANSWERED_AT, problem)))
        .when(finished.isNull(), rule(QuarantineReason.MISSING_VALUE, "finished_at: missing"))
        .when(rt.isNull(), rule(QuarantineReason.MISSING_VALUE, unreadable(Attempts.RESPONSE_TIME_MS, problem)))
        .when(hints.isNull(), rule(QuarantineReason.MISSING_VALUE, unreadable(Attempts.HINTS_USED, problem)))
        // a topic of another JSON type is not replaced by the bank's: the answer is quarantined
        .when(problemField.equalTo(Attempts.TOPIC), rule(QuarantineReason.MISSING_VALUE, problem))
        .when(checkItems ? lit(false) : topic.isNull(),
            rule(QuarantineReason.MISSING_VALUE, "topic: missing and no item bank"))
        .when(length(topic).gt(MAX_TOPIC_CHARS),
            rule(QuarantineReason.TOPIC_TOO_LONG, "topic: longer than " + MAX_TOPIC_CHARS + " characters"))
        .when(rt.isNaN(), rule(QuarantineReason.BAD_RESPONSE_TIME, "response_time_ms: NaN"))
        .when(rt.lt(0), rule(QuarantineReason.BAD_RESPONSE_TIME, "response_time_ms: negative"))
        .when(rt.gt(MAX_RESPONSE_TIME_MS), rule(QuarantineReason.BAD_RESPONSE_TIME, "response_time_ms: above 2 hours"))
        .when(hints.lt(0), rule(QuarantineReason.BAD_HINTS, "hints_used: negative"))
        .when(hints.gt(MAX_HINTS), rule(QuarantineReason.BAD_HINTS, "hints_used: above " + MAX_HINTS))
        .when(afterSession, rule(QuarantineReason.FUTURE_TIMESTAMP, "answered_at: after its session finished"))
        .when(afterRun, rule(QuarantineReason.FUTURE_TIMESTAMP, "answered_at: after the run started"))
        .when(tooLong, rule(QuarantineReason.SESSION_TOO_LONG, "answered_at: over 24 hours before its session finished"));
    if (checkItems) {
      reason = reason.when(col("_bank_item").isNull(), rule(QuarantineReason.UNKNOWN_ITEM, "item_id: not in item_bank"))
          .when(topic.isNull(), rule(QuarantineReason.MISSING_VALUE, "topic: missing here and in item_bank"));
    }
    Column trustworthyTime = answered.isNotNull().and(finished.isNotNull()).and(future.or(tooLong).equalTo(false));
    Column eventDay = to_date(when(trustworthyTime, answered).otherwise(finished));

    Dataset<Row> checked = withBank.withColumn(Attempts.TOPIC, topic)
        .withColumn(REASON, reason).withColumn(EVENT_DAY, eventDay);
    // Duplicates only among otherwise valid rows: the first answer to an item in a session counts.
    // The user leads the key (a session is one user's) so that input already hashed by user, as the
    // calibration's is, needs no second shuffle for this window.
    var firstAnswer = Window.partitionBy(col(Attempts.USER_ID), col(Attempts.SESSION_ID), col(Attempts.ITEM_ID),
            col(REASON).isNull())
        .orderBy(answered, col(Attempts.SEQ), col(Attempts.RESULT_ID));
    Dataset<Row> ranked = checked.withColumn("_rank",
            when(col(REASON).isNull(), row_number().over(firstAnswer)))
        .withColumn(REASON, when(col(REASON).isNull().and(col("_rank").gt(1)),
            rule(QuarantineReason.DUPLICATE_ANSWER, "item_id: answered again in the session")).otherwise(col(REASON)));

    Column[] attemptCols = Arrays.stream(Attempts.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    Column[] out = Arrays.copyOf(attemptCols, attemptCols.length + 4);
    out[attemptCols.length] = col(REASON);
    out[attemptCols.length + 1] = col(EVENT_DAY);
    out[attemptCols.length + 2] = when(col(REASON).isNotNull(),
        concat_ws(":", coalesce(col(Attempts.RESULT_ID).cast("string"), lit("?")),
            coalesce(col(Attempts.SEQ).cast("string"), lit("?")))).as(SOURCE_KEY);
    out[attemptCols.length + 3] = when(col(REASON).isNotNull(), to_json(struct(attemptCols))).as(PAYLOAD);
    return ranked.select(out);
  }

  /** Turns the quarantined rows of a split into {@link io.seedtest.analytics.io.Quarantine#SCHEMA} rows. */
  public static Dataset<Row> quarantineRows(Dataset<Row> quarantined, UUID runId, String job, Instant now) {
    return quarantined.select(lit(runId.toString()).as("run_id"), lit(job).as("job"), col(REASON).as("reason"),
        col("source_key"), col("payload"), lit(Timestamp.from(now)).as("quarantined_at"));
  }

  /** {@code code(field: rule)}, the stored reason (see {@link QuarantineReason}). */
  private static Column rule(QuarantineReason r, String fieldAndRule) {
    return lit(r.code(fieldAndRule));
  }

  private static Column rule(QuarantineReason r, Column fieldAndRule) {
    return concat(lit(r.code() + "("), fieldAndRule, lit(")"));
  }

  /** The view's own rule when it could not read {@code field}, else the field was simply missing. */
  private static Column unreadable(String field, Column problem) {
    return when(problem.startsWith(field + ":"), problem).otherwise(lit(field + ": missing"));
  }
}
