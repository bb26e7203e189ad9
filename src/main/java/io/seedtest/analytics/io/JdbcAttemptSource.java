package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;
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
  private static final int FETCH_SIZE = 10_000;
  private final DatabaseUrl db;
  private final int partitions;

  public JdbcAttemptSource(DatabaseUrl db, int partitions) {
    this.db = db;
    this.partitions = partitions;
  }

  @Override
  public Dataset<Row> finishedBetween(SparkSession spark, Instant from, Instant to) {
    requireRelation("attempt");
    String window = "finished_at >= '" + from + "'::timestamptz AND finished_at < '" + to + "'::timestamptz";
    String[] predicates = new String[partitions];
    for (int k = 0; k < partitions; k++) {
      predicates[k] = window + (partitions > 1 ? " AND result_id % " + partitions + " = " + k : "");
    }
    Dataset<Row> raw = spark.read().jdbc(db.jdbcUrl(), "attempt", predicates, connectionProperties());
    return Attempts.conform(raw);
  }

  @Override
  public Dataset<Row> itemBank(SparkSession spark) {
    requireRelation("item_bank");
    return spark.read().jdbc(db.jdbcUrl(), "item_bank", connectionProperties()).select("item_id", "topic");
  }

  private Properties connectionProperties() {
    Properties p = db.properties();
    p.setProperty("driver", "org.postgresql.Driver");
    p.setProperty("fetchsize", Integer.toString(FETCH_SIZE));
    // The attempt view's row estimate crosses jit_above_cost, and compiling each partition's plan
    // cost PostgreSQL more CPU than the scan it speeds up (docs/benchmarks.md).
    String options = p.getProperty("options");
    p.setProperty("options", (options == null || options.isBlank() ? "" : options + " ") + "-c jit=off");
    return p;
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
