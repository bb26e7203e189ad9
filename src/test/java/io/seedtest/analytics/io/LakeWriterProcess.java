package io.seedtest.analytics.io;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.run.RunRecord;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * One driver of {@link ConcurrentLakeWritersS3Test}, in its own JVM as every job is in
 * production: a local Spark session on the S3 lake that publishes {@code runs} runs the way
 * RunPublisher does (a MERGE into quarantine, an append to job_runs), all starting at the same
 * instant as the other writers. First it makes {@code probes} plain Delta appends to a probe table
 * without the lake lock, to show what the lock is for.
 *
 * <p>Arguments: s3-endpoint lake-root database-url writer-name runs probes go-file. The writer
 * prints "ready" once Spark is up and starts when the go file exists (the test creates it when
 * every writer is ready).
 */
public final class LakeWriterProcess {
  public static final String PROBE_TABLE = "probe_without_lock";

  private LakeWriterProcess() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String root = args[1];
    DatabaseUrl db = DatabaseUrl.parse(args[2]);
    String writer = args[3];
    int runs = Integer.parseInt(args[4]);
    int probes = Integer.parseInt(args[5]);
    java.nio.file.Path go = java.nio.file.Path.of(args[6]);

    SparkSession.Builder b = SparkSession.builder().master("local[1]").appName("lake-writer-" + writer)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.databricks.delta.snapshotPartitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    for (var e : io.seedtest.analytics.testing.S3Server.hadoopConfFor(endpoint).entrySet()) {
      b = b.config("spark.hadoop." + e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Lake lake = new Lake(root, Optional.of(db));
    RunLedger ledger = new RunLedger(Optional.empty(), lake);
    spark.range(1).count(); // warm up before the common start
    System.out.println("ready");
    System.out.flush();
    while (!java.nio.file.Files.exists(go)) {
      Thread.sleep(10);
    }
    int refused = 0;
    for (int i = 0; i < probes; i++) {
      try {
        spark.createDataFrame(List.of(RowFactory.create(writer, (long) i)),
                new org.apache.spark.sql.types.StructType().add("writer", "string").add("n", "long"))
            .write().format("delta").mode("append").save(lake.path(PROBE_TABLE));
      } catch (RuntimeException e) {
        refused++; // Delta noticed the other driver's commit this time (a conflict, not a loss)
      }
    }
    System.out.printf("writer %s: probe appends without the lock: %d of %d failed with a conflict%n", writer, refused,
        probes);
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      UUID runId = UUID.randomUUID();
      RunRecord started = RunRecord.started(runId, "writer-" + writer, DateWindow.day(LocalDate.of(2026, 11, 20)),
          "run " + i);
      Timestamp now = Timestamp.from(Instant.now());
      List<Row> quarantined = List.of(
          RowFactory.create(runId.toString(), "writer-" + writer, "unknown_item", "a" + i, "{}", now),
          RowFactory.create(runId.toString(), "writer-" + writer, "future_timestamp", "b" + i, "{}", now));
      DeltaMerge.merge(spark, lake, Quarantine.SPEC, spark.createDataFrame(quarantined, Quarantine.SCHEMA), null);
      ledger.appendToLake(spark, started.finished(RunRecord.Status.SUCCEEDED, new JobOutcome(2, 0, 2, "ok"), "ok"));
    }
    System.out.printf("writer %s: %d runs published with the lake lock in %.1f s%n", writer, runs, (System.nanoTime() - t0) / 1e9);
    spark.stop();
  }
}
