package io.seedtest.analytics.sim;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The sim tests' one local[2] SparkSession for the whole JVM (to be merged into the project's
 * shared test support), plus a Dataset-equality helper.
 */
final class SimSpark {
  private static SparkSession session;

  private SimSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("seedtest-sim-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          // Delta rebuilds table state with 50 shuffle partitions by default: seconds per tiny table locally
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  /** Rows of {@code ds} sorted by their string form, for order-insensitive comparisons. */
  static List<String> sortedRows(Dataset<Row> ds) {
    return ds.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  /** For each SQL condition, how many rows of {@code ds} meet it (one Spark job for all). */
  static long[] countWhere(Dataset<Row> ds, String... conditions) {
    Column[] sums = Arrays.stream(conditions)
        .map(c -> functions.sum(functions.when(functions.expr(c), 1L).otherwise(0L))).toArray(Column[]::new);
    Row r = ds.agg(sums[0], Arrays.copyOfRange(sums, 1, sums.length)).first();
    long[] out = new long[conditions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.isNullAt(i) ? 0 : r.getLong(i);
    }
    return out;
  }
}
