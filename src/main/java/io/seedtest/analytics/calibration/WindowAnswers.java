package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;

import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.run.DateWindow;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A calibration window's answers with validation's verdict on each ({@link AttemptValidation#check}:
 * reason null = valid), kept when their event day is in the window (docs/data-contract.md).
 * Sessions are read from the window's first day to a day after its last, since answers of the
 * last day may sit in sessions that close after midnight. Valid and bad rows stay together so
 * that one pass (one read, one validation shuffle) yields both the arrays and the quarantine.
 *
 * @param bank the item bank (cached); empty when the source has none
 */
public record WindowAnswers(Dataset<Row> checked, Dataset<Row> bank, boolean checkItems) {
  /** Whether an answer's day is in the window (false: read with its session, counted, not used). */
  static final String IN_WINDOW = "in_window";


  /**
   * @param partitions the blocks the answers will become: rows are hashed by student into this many
   *     partitions before validation, so the duplicate-answer window and the arrays share one shuffle
   */
  public static WindowAnswers read(SparkSession spark, AttemptSource source, DateWindow window, Instant now,
      int partitions) {
    Dataset<Row> attempts = source.finishedBetween(spark, startOf(window.from()),
        startOf(window.endExclusive().plusDays(1))).repartition(partitions, col(Attempts.USER_ID));
    Dataset<Row> bank = source.itemBank(spark).cache();
    boolean checkItems = !bank.isEmpty();
    Column inWindow = col(AttemptValidation.EVENT_DAY).between(Date.valueOf(window.from()),
        Date.valueOf(window.to()));
    // Marked, not filtered: the answers outside the window are counted where the arrays are built
    // (answers read = valid + quarantined + outside the window), without a second pass.
    return new WindowAnswers(AttemptValidation.check(attempts, bank, checkItems, now)
        .withColumn(IN_WINDOW, org.apache.spark.sql.functions.coalesce(inWindow, org.apache.spark.sql.functions.lit(false))),
        bank, checkItems);
  }

  private static Instant startOf(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
