package io.seedtest.analytics.testing;

import io.seedtest.analytics.io.Attempts;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Hand-made attempt frames for transform tests, in the contract's schema. */
public final class AttemptRows {
  private final List<Row> rows = new ArrayList<>();
  private long nextResult = 1;

  /** One answer; the session finishes a minute after it. */
  public AttemptRows add(long user, long session, long item, String topic, Boolean correct, Double rtMs,
      Integer hints, String answeredAt) {
    Timestamp answered = answeredAt == null ? null : Timestamp.from(Instant.parse(answeredAt));
    Timestamp finished = answered == null ? Timestamp.from(Instant.parse("2026-11-20T12:00:00Z"))
        : Timestamp.from(answered.toInstant().plusSeconds(60));
    rows.add(RowFactory.create(session, session, user, rows.size() + 1, item, topic, correct, rtMs, hints,
        answered, finished));
    nextResult++;
    return this;
  }

  /** A fully specified row (any field may be null). */
  public AttemptRows raw(Long result, Long session, Long user, Integer seq, Long item, String topic, Boolean correct,
      Double rtMs, Integer hints, String answeredAt, String finishedAt) {
    rows.add(RowFactory.create(result, session, user, seq, item, topic, correct, rtMs, hints,
        answeredAt == null ? null : Timestamp.from(Instant.parse(answeredAt)),
        finishedAt == null ? null : Timestamp.from(Instant.parse(finishedAt))));
    return this;
  }

  public Dataset<Row> toDataset() {
    return SparkTestSession.get().createDataFrame(rows, Attempts.SCHEMA);
  }
}
