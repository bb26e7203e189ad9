package io.seedtest.analytics.io;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Reads attempts from the lake's {@code attempts} Delta table (the embedded default). */
public final class LakeAttemptSource implements AttemptSource {
  private final Lake lake;

  public LakeAttemptSource(Lake lake) {
    this.lake = lake;
  }

  @Override
  public Dataset<Row> finishedBetween(SparkSession spark, Instant from, Instant to) {
    Column finished = functions.col(Attempts.FINISHED_AT);
    Dataset<Row> all = lake.read(spark, Lake.ATTEMPTS);
    Column window = finished.geq(functions.lit(Timestamp.from(from))).and(finished.lt(functions.lit(Timestamp.from(to))));
    if (Arrays.asList(all.columns()).contains("day")) {
      // partition pruning: the table is partitioned by the finish day
      window = window.and(functions.col("day").between(
          functions.lit(java.sql.Date.valueOf(from.atZone(java.time.ZoneOffset.UTC).toLocalDate())),
          functions.lit(java.sql.Date.valueOf(to.atZone(java.time.ZoneOffset.UTC).toLocalDate()))));
    }
    return Attempts.conform(all.where(window));
  }

  @Override
  public Dataset<Row> resultIdsBetween(SparkSession spark, long afterId, long throughId, String recordedIn) {
    Column id = functions.col(Attempts.RESULT_ID);
    Dataset<Row> range = lake.read(spark, Lake.ATTEMPTS).where(id.gt(afterId).and(id.leq(throughId)));
    if (lake.exists(spark, recordedIn)) {
      range = range.join(lake.read(spark, recordedIn).select(Attempts.SESSION_ID), Attempts.SESSION_ID, "left_anti");
    }
    return Attempts.conform(range);
  }

  @Override
  public Dataset<Row> itemBank(SparkSession spark) {
    return lake.read(spark, Lake.ITEM_BANK).select("item_id", "topic");
  }

  @Override
  public String describe() {
    return "lake " + lake.path(Lake.ATTEMPTS);
  }
}
