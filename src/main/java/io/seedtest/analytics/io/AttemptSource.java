package io.seedtest.analytics.io;

import io.seedtest.analytics.config.Settings;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where answers come from. Every implementation returns {@link Attempts#SCHEMA} rows of the
 * sessions that finished in {@code [finishedFrom, finishedTo)}, unvalidated. PostgreSQL today; the
 * lake in embedded mode; a stream later — jobs see only this interface.
 */
public interface AttemptSource {
  Dataset<Row> finishedBetween(SparkSession spark, Instant finishedFrom, Instant finishedTo);

  /**
   * The attempts of the sessions whose result id (exam_results.id) is in {@code (afterId, throughId]},
   * leaving out every session already recorded in {@code recordedIn} (a table with a session_id
   * column; absent counts as empty): the range of a watermark, as update-abilities reads it.
   */
  Dataset<Row> resultIdsBetween(SparkSession spark, long afterId, long throughId, String recordedIn);

  /** The platform's item bank (item_id, topic), or an empty frame when the source has none. */
  Dataset<Row> itemBank(SparkSession spark);

  String describe();

  /** The source the settings select: PostgreSQL when DATABASE_URL is set, else the lake. */
  static AttemptSource from(Settings settings) {
    return settings.database().<AttemptSource>map(db -> new JdbcAttemptSource(db, settings.jdbcPartitions()))
        .orElseGet(() -> new LakeAttemptSource(new Lake(settings.lake())));
  }
}
