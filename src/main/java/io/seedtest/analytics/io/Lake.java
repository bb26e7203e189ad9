package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The local (or s3a://) Delta lake: one folder per table under a root. Table names match the
 * PostgreSQL tables they mirror, so an analyst finds {@code features_topic_daily} in both.
 */
public final class Lake implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static final String ATTEMPTS = "attempts";
  public static final String ITEM_BANK = "item_bank";
  public static final String JOB_RUNS = "job_runs";
  public static final String QUARANTINE = "quarantine";

  private final String root;

  public Lake(Path root) {
    this(root.toString());
  }

  public Lake(String root) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return root + "/" + table;
  }

  public boolean exists(SparkSession spark, String table) {
    return io.delta.tables.DeltaTable.isDeltaTable(spark, path(table));
  }

  public Dataset<Row> read(SparkSession spark, String table) {
    if (!exists(spark, table)) {
      throw Errors.missingLakeTable(path(table));
    }
    return spark.read().format("delta").load(path(table));
  }

  /** Replaces a whole table (schema included); for generated data and full recomputations. */
  public void overwrite(Dataset<Row> rows, String table, String... partitionBy) {
    rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .partitionBy(partitionBy).save(path(table));
  }

  /** Appends rows (creating the table on first use); for logs such as job_runs and quarantine. */
  public void append(Dataset<Row> rows, String table, String... partitionBy) {
    rows.write().format("delta").mode("append").partitionBy(partitionBy).save(path(table));
  }

  @Override
  public String toString() {
    return root;
  }
}
