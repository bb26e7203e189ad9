package io.seedtest.analytics.config;

import java.util.Map;

/**
 * How a SparkSession started by bin/seedtest (no spark-submit, no spark.master) is set up; under
 * spark-submit or the Spark Operator the submission decides instead and these are not used.
 *
 * <ul>
 *   <li>{@code SPARK_MASTER} (local[*]): the master to start;
 *   <li>{@code SEEDTEST_SPARK_UI} (false): whether the Spark UI starts;
 *   <li>{@code SEEDTEST_SHUFFLE_PARTITIONS} (8): spark.sql.shuffle.partitions.
 * </ul>
 */
public record SparkSettings(String master, boolean ui, int shufflePartitions) {
  public static final String MASTER = "SPARK_MASTER";
  public static final String UI = "SEEDTEST_SPARK_UI";
  public static final String SHUFFLE_PARTITIONS = "SEEDTEST_SHUFFLE_PARTITIONS";

  public static SparkSettings load(Map<String, String> env) {
    String master = env.getOrDefault(MASTER, "");
    return new SparkSettings(master.isBlank() ? "local[*]" : master.trim(), Settings.bool(env, UI, false),
        Settings.positiveInt(env, SHUFFLE_PARTITIONS, 8));
  }
}
