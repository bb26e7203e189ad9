package io.seedtest.analytics.sim;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Dataset helpers of the sim tests (the session itself is testing.SparkTestSession). */
final class SimDatasets {
  private SimDatasets() {}

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
