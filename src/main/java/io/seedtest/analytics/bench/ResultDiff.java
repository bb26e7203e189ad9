package io.seedtest.analytics.bench;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The features benchmark's check that the baseline SQL computed the same table as the Spark job:
 * rows only in one of the two results, rows with the same key but other values, and an
 * order-independent checksum of each.
 */
public record ResultDiff(long onlySpark, long onlyBaseline, long differing, String sparkChecksum, String baselineChecksum) {
  boolean same() {
    return onlySpark == 0 && onlyBaseline == 0 && differing == 0 && sparkChecksum.equals(baselineChecksum);
  }

  /** Compares the Spark job's rows ({@code bench_spark_result}) with the baseline's ({@code features_topic_daily}). */
  static ResultDiff compare(DatabaseUrl db) {
    String on = FeaturesTopicDaily.SPEC.keys().stream().map(k -> "s." + k + " = b." + k)
        .collect(Collectors.joining(" AND "));
    String differs = "s.day <> b.day OR s.attempts <> b.attempts OR s.correct <> b.correct OR s.hints <> b.hints"
        + " OR abs(s.acc - b.acc) > 1e-12"
        + " OR abs(s.rapid_guess_share - b.rapid_guess_share) > 1e-12"
        + " OR NOT ((s.rt_median IS NULL AND b.rt_median IS NULL) OR abs(s.rt_median - b.rt_median) <= 1e-9)"
        + " OR NOT ((s.improvement IS NULL AND b.improvement IS NULL) OR abs(s.improvement - b.improvement) <= 1e-12)"
        + " OR s.theta_mean IS DISTINCT FROM b.theta_mean OR s.theta_sd IS DISTINCT FROM b.theta_sd";
    List<Object> counts = BenchDatabase.queryRow(db, "SELECT count(*) FILTER (WHERE b.user_id IS NULL),"
        + " count(*) FILTER (WHERE s.user_id IS NULL),"
        + " count(*) FILTER (WHERE s.user_id IS NOT NULL AND b.user_id IS NOT NULL AND (" + differs + "))"
        + " FROM " + FeaturesBenchmark.SPARK_RESULT + " s FULL JOIN features_topic_daily b ON " + on);
    return new ResultDiff(((Number) counts.get(0)).longValue(), ((Number) counts.get(1)).longValue(),
        ((Number) counts.get(2)).longValue(), checksum(db, FeaturesBenchmark.SPARK_RESULT), checksum(db, "features_topic_daily"));
  }

  /** Order-independent checksum of the key and integer columns: rows, Σ attempts, Σ correct, Σ hints, Σ hash. */
  static String checksum(DatabaseUrl db, String table) {
    List<Object> r = BenchDatabase.queryRow(db, "SELECT count(*), COALESCE(sum(attempts), 0), COALESCE(sum(correct), 0),"
        + " COALESCE(sum(hints), 0), COALESCE(sum(hashtextextended(concat_ws('|', user_id, topic, granularity,"
        + " extract(epoch FROM period_start)::BIGINT, day, attempts, correct, hints), 0)::NUMERIC), 0)"
        + " FROM " + table);
    return r.stream().map(String::valueOf).collect(Collectors.joining("/"));
  }
}
