package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Attempts;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Attempts held in a Dataset (e.g. straight from the simulator), behind the source interface. */
final class DatasetAttemptSource implements AttemptSource {
  private final Dataset<Row> attempts;
  private final Dataset<Row> bank;

  DatasetAttemptSource(Dataset<Row> attempts, Dataset<Row> bank) {
    this.attempts = attempts;
    this.bank = bank;
  }

  @Override
  public Dataset<Row> finishedBetween(SparkSession spark, Instant from, Instant to) {
    return Attempts.conform(attempts.where(col(Attempts.FINISHED_AT).geq(lit(Timestamp.from(from)))
        .and(col(Attempts.FINISHED_AT).lt(lit(Timestamp.from(to))))));
  }

  /** Every attempt of the range: a Dataset records no sessions. */
  @Override
  public Dataset<Row> resultIdsBetween(SparkSession spark, long afterId, long throughId, String recordedIn) {
    return Attempts.conform(attempts.where(col(Attempts.RESULT_ID).gt(afterId).and(col(Attempts.RESULT_ID).leq(throughId))));
  }

  @Override
  public Dataset<Row> itemBank(SparkSession spark) {
    return bank;
  }

  @Override
  public String describe() {
    return "test dataset";
  }
}
