package io.seedtest.analytics.job;

import io.seedtest.analytics.config.SparkSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a SparkSession is configured. Under spark-submit or the Spark Operator the master
 * and resources come from the submission; run locally (bin/seedtest), it uses {@link SparkSettings}
 * (local[*] unless SPARK_MASTER says otherwise). Delta is always enabled, and so is {@link ModernJavaKryo} (whatever
 * the launcher's configuration, so that no submission path can leave records unserializable).
 */
public final class SparkSessions {
  public static final String REDACTION_REGEX = "(?i)secret|password|token|access[.]?key|://[^/@\\s]*:[^/@\\s]*@";

  private SparkSessions() {}

  static final String KRYO_REGISTRATOR = "spark.kryo.registrator";

  /** A session named {@code appName}; {@code local} applies only when no submission set spark.master. */
  public static SparkSession getOrCreate(String appName, SparkSettings local) {
    SparkConf probe = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(appName)
        .config(KRYO_REGISTRATOR, kryoRegistrators(probe))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC");
    if (!probe.contains("spark.redaction.regex")) {
      // Spark masks a conf or system property whose key or value matches: its default words plus
      // a URL with credentials, so a password typed on a java/spark-submit command line is masked
      // in sun.java.command in the event log and the environment page
      b.config("spark.redaction.regex", REDACTION_REGEX);
    }
    if (!probe.contains("spark.master")) {
      String master = local.master();
      b.master(master)
          .config("spark.ui.enabled", Boolean.toString(local.ui()))
          .config("spark.sql.shuffle.partitions", Integer.toString(local.shufflePartitions()))
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.sql.adaptive.enabled", "true");
      if (master.startsWith("local")) {
        b.config("spark.driver.host", "127.0.0.1"); // loopback only here: executors of a cluster must reach the driver
      }
    }
    return b.getOrCreate();
  }

  /**
   * The registrators {@code conf} names plus {@link ModernJavaKryo} (a comma-separated list, as
   * Spark reads it). Tests build their serializers with it, as every session does.
   */
  public static String kryoRegistrators(SparkConf conf) {
    String ours = ModernJavaKryo.class.getName();
    String given = conf.get(KRYO_REGISTRATOR, "").trim();
    if (given.isEmpty()) {
      return ours;
    }
    return java.util.Arrays.asList(given.split("\\s*,\\s*")).contains(ours) ? given : given + "," + ours;
  }
}
