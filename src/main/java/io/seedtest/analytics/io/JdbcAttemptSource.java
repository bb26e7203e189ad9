package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the {@code attempt} view over JDBC. The window is pushed down as a predicate on
 * {@code finished_at} (indexed on exam_results), and the read is split into N parallel
 * partitions by {@code result_id % N} — a predicate PostgreSQL applies to the exam_results scan
 * before expanding the JSON, so each partition reads 1/N of the sessions.
 */
public final class JdbcAttemptSource implements AttemptSource {
  private final DatabaseUrl db;
  private final int partitions;

  public JdbcAttemptSource(DatabaseUrl db, int partitions) {
    this.db = db;
    this.partitions = Math.max(1, partitions);
  }

  @Override
  public Dataset<Row> finishedBetween(SparkSession spark, Instant from, Instant to) {
    requireRelation("attempt");
    String window = "finished_at >= '" + from + "'::timestamptz AND finished_at < '" + to + "'::timestamptz";
    return Attempts.conform(spark.read().jdbc(db.jdbcUrl(), "attempt", split(window), JdbcReads.properties(db)));
  }

  @Override
  public Dataset<Row> resultIdsBetween(SparkSession spark, long afterId, long throughId, String recordedIn) {
    requireRelation("attempt");
    String query = "(SELECT a.* FROM attempt a WHERE a.result_id > " + afterId + " AND a.result_id <= " + throughId
        + " AND NOT EXISTS (SELECT 1 FROM " + recordedIn + " r WHERE r.session_id = a.session_id)) id_range";
    return Attempts.conform(spark.read().jdbc(db.jdbcUrl(), query, split("true"), JdbcReads.properties(db)));
  }

  /** {@code where} for each of the read's partitions, each also taking its 1/N of the result ids. */
  private String[] split(String where) {
    String[] predicates = new String[partitions];
    for (int k = 0; k < partitions; k++) {
      predicates[k] = where + (partitions > 1 ? " AND result_id % " + partitions + " = " + k : "");
    }
    return predicates;
  }

  @Override
  public Dataset<Row> itemBank(SparkSession spark) {
    requireRelation("item_bank");
    return JdbcReads.read(spark, db, "item_bank").select("item_id", "topic");
  }

  /** Fails with one clear line when the database is unreachable or the relation is missing. */
  private void requireRelation(String name) {
    try (Connection c = db.connect();
         PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw Errors.missingTable(name, db.toString());
        }
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Checking for " + name, e);
    }
  }

  @Override
  public String describe() {
    return "postgres " + db + " (attempt view, " + partitions + " partitions)";
  }
}
