package io.seedtest.analytics.io;

import io.seedtest.analytics.config.DatabaseUrl;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** How Spark reads PostgreSQL: the one set of connection properties every JDBC read uses. */
public final class JdbcReads {
  private static final int FETCH_SIZE = 10_000;

  private JdbcReads() {}

  /** The connection properties of a Spark JDBC read: driver, fetch size, JIT off. */
  public static Properties properties(DatabaseUrl db) {
    Properties p = db.properties();
    p.setProperty("driver", "org.postgresql.Driver");
    p.setProperty("fetchsize", Integer.toString(FETCH_SIZE));
    // The attempt view's row estimate crosses jit_above_cost, and compiling each partition's plan
    // cost PostgreSQL more CPU than the scan it speeds up (docs/benchmarks.md).
    String options = p.getProperty("options");
    p.setProperty("options", (options == null || options.isBlank() ? "" : options + " ") + "-c jit=off");
    return p;
  }

  /** The rows of {@code table}: a table's name or a parenthesised, aliased subquery. */
  public static Dataset<Row> read(SparkSession spark, DatabaseUrl db, String table) {
    return spark.read().jdbc(db.jdbcUrl(), table, properties(db));
  }
}
