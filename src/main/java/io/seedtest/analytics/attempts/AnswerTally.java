package io.seedtest.analytics.attempts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.seedtest.analytics.Errors;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where every answer a run read went: {@code read = valid + quarantined + outside the window}
 * (answers of other days, read for a lookback or because their session closed after midnight;
 * their own day's run judges them). Nothing else can happen to an answer, so the line the run
 * prints is the proof that nothing was lost. Also the quarantine threshold: a run whose
 * quarantined share of its window's answers exceeds it fails before anything is written.
 */
public record AnswerTally(long read, long valid, long quarantined) {

  public AnswerTally {
    if (read < valid + quarantined) {
      throw new IllegalArgumentException("read " + read + " < valid " + valid + " + quarantined " + quarantined);
    }
  }

  /** Counts {@link AttemptValidation#check} verdicts in one aggregation; {@code inWindow} selects the run's days. */
  public static AnswerTally of(Dataset<Row> verdicts, Column inWindow) {
    Column isValid = col(AttemptValidation.REASON).isNull();
    Row r = verdicts.agg(count(lit(1)),
        sum(when(inWindow.and(isValid), 1L).otherwise(0L)),
        sum(when(inWindow.and(isValid.equalTo(false)), 1L).otherwise(0L))).first();
    return new AnswerTally(r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2));
  }

  public long outsideWindow() {
    return read - valid - quarantined;
  }

  /** Quarantined answers over the window's answers (0 for an empty window). */
  public double quarantinedShare() {
    long inWindow = valid + quarantined;
    return inWindow == 0 ? 0 : (double) quarantined / inWindow;
  }

  /** The line every run prints. */
  public String line() {
    return String.format(Locale.ROOT, "answers read %d = valid %d + quarantined %d + outside the window %d",
        read, valid, quarantined, outsideWindow());
  }

  /**
   * Fails the run (exit {@link Errors#QUARANTINE_THRESHOLD}) when the quarantined share exceeds
   * {@code maxShare}; the message counts the quarantine rows by reason (field and rule).
   */
  public void requireShareAtMost(double maxShare, String job, Dataset<Row> quarantineRows) {
    if (quarantinedShare() > maxShare) {
      throw Errors.quarantineThreshold(job, quarantined, valid + quarantined, quarantinedShare(), maxShare,
          reasons(quarantineRows));
    }
  }

  /** {@code reason=count, ...} of quarantine rows, most frequent first. */
  public static String reasons(Dataset<Row> quarantineRows) {
    List<Row> rows = quarantineRows.groupBy(AttemptValidation.REASON).count()
        .orderBy(col("count").desc(), col(AttemptValidation.REASON)).collectAsList();
    return rows.stream().map(r -> r.getString(0) + "=" + r.getLong(1)).collect(Collectors.joining(", "));
  }
}
