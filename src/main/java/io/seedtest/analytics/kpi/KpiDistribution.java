package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The summary a run prints (and --dry-run shows instead of writing): per KPI the number of rows,
 * nulls, min, quartiles (approximate percentiles, relative error 1e-4), max; and how many rows
 * used each source (θ or accuracy, goal or default target, model or fallback).
 */
public final class KpiDistribution {
  public static final List<String> NUMERIC = List.of("a_t", "i_t", "e_t", "r_t", "p_goal", "s_churn", "theta",
      "trend", "recency_days");
  public static final List<String> CATEGORIES = List.of("theta_source", "i_source", "target_source", "churn_source",
      "model_version");

  private KpiDistribution() {}

  public static String describe(Dataset<Row> kpis, String title) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)));
    for (String c : NUMERIC) {
      Column v = col(c).cast("double");
      aggs.add(sum(when(v.isNull(), 1).otherwise(0)));
      aggs.add(min(v));
      aggs.add(percentile_approx(v, org.apache.spark.sql.functions.array(lit(0.25), lit(0.5), lit(0.75)), lit(10000)));
      aggs.add(max(v));
    }
    Row r = kpis.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    long n = r.getLong(0);
    StringBuilder b = new StringBuilder();
    b.append(title).append(": ").append(n).append(" students\n");
    b.append(String.format(Locale.ROOT, "  %-13s %9s %7s %9s %9s %9s %9s %9s%n", "kpi", "values", "nulls", "min", "p25",
        "median", "p75", "max"));
    int i = 1;
    for (String c : NUMERIC) {
      long nulls = r.isNullAt(i) ? 0 : r.getLong(i);
      Double mn = r.isNullAt(i + 1) ? null : r.getDouble(i + 1);
      List<Double> q = r.isNullAt(i + 2) ? null : r.getList(i + 2);
      Double mx = r.isNullAt(i + 3) ? null : r.getDouble(i + 3);
      b.append(String.format(Locale.ROOT, "  %-13s %9d %7d %9s %9s %9s %9s %9s%n", c, n - nulls, nulls, fmt(mn),
          fmt(q == null ? null : q.get(0)), fmt(q == null ? null : q.get(1)), fmt(q == null ? null : q.get(2)), fmt(mx)));
      i += 4;
    }
    // one pass for every category: the combinations are few
    List<Row> combos = kpis.groupBy(CATEGORIES.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .count().collectAsList();
    for (int k = 0; k < CATEGORIES.size(); k++) {
      java.util.TreeMap<String, Long> counts = new java.util.TreeMap<>();
      for (Row x : combos) {
        counts.merge(x.isNullAt(k) ? "null" : x.get(k).toString(), x.getLong(CATEGORIES.size()), Long::sum);
      }
      String text = counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
      b.append("  ").append(CATEGORIES.get(k)).append(": ").append(text.isEmpty() ? "-" : text).append('\n');
    }
    return b.toString();
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }
}
