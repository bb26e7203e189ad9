package io.seedtest.analytics.io;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The local (or s3a://) Delta lake: one folder per table under a root. Table names match the
 * PostgreSQL tables they mirror, so an analyst finds {@code features_topic_daily} in both.
 */
public final class Lake implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static final String ATTEMPTS = "attempts";
  /** The attempts table: {@link Attempts#SCHEMA} plus its partition column {@code day} ({@link #withDay}). */
  public static final String DAY = "day";
  public static final String ITEM_BANK = "item_bank";
  public static final String JOB_RUNS = "job_runs";
  public static final String QUARANTINE = "quarantine";

  /** How long a writer waits for another writer of the same table (a big MERGE takes minutes). */
  static final Duration WRITE_WAIT = Duration.ofMinutes(30);

  private final String root;
  /** Where writers take turns (see {@link #write}); transient: executors never write through a Lake. */
  private final transient Optional<DatabaseUrl> lockDb;

  public Lake(Path root) {
    this(root.toString());
  }

  public Lake(String root) {
    this(root, Optional.empty());
  }

  /** A lake whose writers take turns through PostgreSQL advisory locks (else OS file locks). */
  public Lake(String root, Optional<DatabaseUrl> lockDb) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.lockDb = lockDb;
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
    write(table, () -> rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .partitionBy(partitionBy).save(path(table)));
  }

  /** Appends rows (creating the table on first use); for logs such as job_runs and quarantine. */
  public void append(Dataset<Row> rows, String table, String... partitionBy) {
    write(table, () -> rows.write().format("delta").mode("append").partitionBy(partitionBy).save(path(table)));
  }

  /**
   * Runs one write of {@code table} (it may commit once) while holding the table's write lock.
   * Delta's S3 log store keeps a commit from being lost only among writers in one JVM; jobs run in
   * different pods and all write job_runs and quarantine, so every writer of a table takes its turn
   * ({@link RunLock#lakeTable}). On a local or HDFS lake the lock costs a file lock and nothing else.
   */
  public void write(String table, Runnable write) {
    try (RunLock turn = RunLock.lakeTable(lockDb == null ? Optional.empty() : lockDb, root, table, WRITE_WAIT)) {
      write.run();
    }
  }

  @Override
  public String toString() {
    return root;
  }

  /**
   * Adds the lake partition column {@code day}: the UTC date of {@code finished_at}, computed
   * from epoch seconds so the session time zone cannot shift it. Simulated sessions never cross
   * midnight, so for them it is also the date of every answer.
   */
  public static Dataset<Row> withDay(Dataset<Row> attempts) {
    Column epochDay = functions.floor(functions.unix_seconds(functions.col(Attempts.FINISHED_AT)).divide(86_400))
        .cast(DataTypes.IntegerType);
    return attempts.withColumn(DAY, functions.date_from_unix_date(epochDay));
  }
}
