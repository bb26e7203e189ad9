package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * R_t, how well earlier-learned topics hold up. A topic is <em>revisited</em> in the week
 * [t − 6, t] when the first day she practises it in the week, d₁, comes at least
 * {@value #GAP_DAYS} days after the previous day she practised it, d₀ (d₁ − d₀ ≥ 7; d₀ within the
 * lookback window). Over her revisited topics, pooled:
 *
 * <pre>
 *   R_t = (Σ correct on d₁ / Σ answers on d₁) / (Σ correct before d₁ / Σ answers before d₁)
 * </pre>
 *
 * "before d₁" being her practice of the same topics in the lookback window. The revisit day alone
 * measures what was retained (later days of the week measure re-learning). 1 = she kept her level,
 * 0.8 = she lost a fifth of it; capped at {@value #MAX_RATIO} so a topic first practised with very
 * low accuracy cannot produce an absurd ratio; null when no topic was revisited or her earlier
 * accuracy on them was 0.
 */
public final class Retention {
  public static final int GAP_DAYS = 7;
  public static final double MAX_RATIO = 2.0;

  private Retention() {}

  /**
   * @param topicDays {@link ActivityDays#topicDays}
   * @param asOfDays as_of_day rows
   * @return user_id, as_of_day, r_t, revisited_topics (only students with a revisited topic)
   */
  public static Dataset<Row> compute(Dataset<Row> topicDays, Dataset<Row> asOfDays, int lookbackDays) {
    Dataset<Row> td = topicDays.join(broadcast(asOfDays.select("as_of_day")),
            col("day").leq(col("as_of_day")).and(col("day").gt(date_sub(col("as_of_day"), lookbackDays))))
        .withColumn("_rel", datediff(col("as_of_day"), col("day")));
    WindowSpec topic = Window.partitionBy(col("user_id"), col("as_of_day"), col("topic"));
    Dataset<Row> withFirst = td.withColumn("_d1", min(when(col("_rel").leq(6), col("day"))).over(topic))
        .where(col("_d1").isNotNull());
    Column onD1 = col("day").equalTo(col("_d1"));
    Column before = col("day").lt(col("_d1"));
    Dataset<Row> perTopic = withFirst.groupBy(col("user_id"), col("as_of_day"), col("topic"))
        .agg(first(col("_d1")).as("_d1"), max(when(before, col("day"))).as("_d0"),
            sum(when(onD1, col("answers")).otherwise(0)).as("_n1"), sum(when(onD1, col("correct")).otherwise(0)).as("_c1"),
            sum(when(before, col("answers")).otherwise(0)).as("_n0"), sum(when(before, col("correct")).otherwise(0)).as("_c0"))
        .where(col("_d0").isNotNull().and(datediff(col("_d1"), col("_d0")).geq(GAP_DAYS)));
    Dataset<Row> perStudent = perTopic.groupBy(col("user_id"), col("as_of_day"))
        .agg(count(lit(1)).cast("int").as("revisited_topics"), sum("_n1").as("_n1"), sum("_c1").as("_c1"),
            sum("_n0").as("_n0"), sum("_c0").as("_c0"));
    Column ratio = col("_c1").divide(col("_n1")).divide(col("_c0").divide(col("_n0")));
    return perStudent.select(col("user_id"), col("as_of_day"),
        when(col("_c0").gt(0), least(lit(MAX_RATIO), ratio)).as("r_t"), col("revisited_topics"));
  }
}
