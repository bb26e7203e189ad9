package io.seedtest.analytics.io;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.seedtest.analytics.run.DateWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's result into a lake table with one Delta MERGE (atomic: one commit). The source
 * is de-duplicated by key first and materialised once ({@link #materialise}); the ON clause
 * carries the literal partitions the rows touch, so Delta prunes files ({@link #prune});
 * a row is updated only when a value column changed, and rows of the run's scope that the run no
 * longer produces are deleted — the same semantics as {@link PgUpsertWriter}.
 */
public final class DeltaMerge {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaMerge.class);

  private DeltaMerge() {}

  /** The MERGE runs while holding the table's write lock ({@link Lake#write}): one commit, one writer at a time. */
  public static void merge(SparkSession spark, Lake lake, UpsertSpec spec, Dataset<Row> rows, DateWindow scope) {
    lake.write(spec.table(), () -> mergeHoldingTheLock(spark, lake, spec, rows, scope));
  }

  private static void mergeHoldingTheLock(SparkSession spark, Lake lake, UpsertSpec spec, Dataset<Row> rows,
      DateWindow scope) {
    Column[] cols = spec.columns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> source = rows.select(cols).dropDuplicates(spec.keys().toArray(String[]::new));
    String path = lake.path(spec.table());
    if (!DeltaTable.isDeltaTable(spark, path)) {
      var writer = source.write().format("delta").mode("append");
      if (spec.partitionColumn() != null) {
        // one file per partition value rather than one per shuffle partition and value: a
        // backfill's first write of ~100 days otherwise makes ~800 small files (and takes twice as long)
        writer = source.repartition(col(spec.partitionColumn())).write().format("delta").mode("append")
            .partitionBy(spec.partitionColumn());
      }
      writer.save(path);
      return;
    }
    String on = spec.keys().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
    if (spec.partitionColumn() != null && !spec.keys().contains(spec.partitionColumn())) {
      on += " AND t." + spec.partitionColumn() + " = s." + spec.partitionColumn();
    }
    DeltaTable target = DeltaTable.forPath(spark, path);
    List<String> existing = java.util.Arrays.asList(target.toDF().columns());
    List<String> added = spec.columns().stream().filter(c -> !existing.contains(c)).toList();
    // a column the table does not have yet is null in every target row
    String changed = spec.values().stream().map(v -> added.contains(v) ? "s." + v + " IS NOT NULL"
        : "NOT (t." + v + " <=> s." + v + ")").collect(Collectors.joining(" OR "));
    Map<String, String> all = new LinkedHashMap<>();
    spec.columns().forEach(c -> all.put(c, "s." + c));
    JavaRDD<Row> fixed = materialise(source);
    try {
      if ((spec.scopeColumn() == null || scope == null) && added.isEmpty() && fixed.isEmpty()) {
        // nothing to insert, update or delete (a rerun that stored no report): no commit either,
        // which also spares the MERGE's scans of the table
        return;
      }
      Dataset<Row> s = spark.createDataFrame(fixed, source.schema());
      var builder = target.as("t").merge(s.as("s"), on + prune(spec, s, scope));
      if (!added.isEmpty()) {
        // the lake's side of an additive migration (a new nullable column in PostgreSQL, e.g.
        // V16's report_artifact.input_hash): the MERGE adds it; older rows read it as null
        LOG.info("lake: adding {} to {} (schema evolution in this MERGE)", added, spec.table());
        builder = builder.withSchemaEvolution();
      }
      builder = builder.whenMatched(changed).updateExpr(all)
          .whenNotMatched().insertExpr(all);
      if (spec.scopeColumn() != null && scope != null) {
        builder = builder.whenNotMatchedBySource("t." + spec.scopeColumn() + " BETWEEN DATE'" + scope.from()
            + "' AND DATE'" + scope.to() + "'").delete();
      }
      builder.execute();
    } finally {
      fixed.unpersist(false);
    }
  }

  /**
   * The literal partitions a MERGE can touch, ANDed to its ON clause: Delta prunes the target's
   * files only on literal predicates over the target, never on {@code t.p = s.p}, so without this
   * a trigger run upserting 10k rows of one day scans every file of the table (316 s at 1M
   * students, docs/benchmarks.md). The source's distinct partition values (a run's few days) plus
   * the run's scope, whose unmatched target rows the MERGE deletes. Changes no result: a target
   * row outside both can match no source row and lies outside the scope. Empty when the spec has
   * no partition column or a source row has none (then nothing is pruned).
   */
  static String prune(UpsertSpec spec, Dataset<Row> source, DateWindow scope) {
    String p = spec.partitionColumn();
    if (p == null) {
      return "";
    }
    List<String> values = new java.util.ArrayList<>();
    for (Row r : source.select(p).distinct().collectAsList()) {
      if (r.isNullAt(0)) {
        return "";
      }
      values.add(literal(r.get(0)));
    }
    List<String> any = new java.util.ArrayList<>();
    if (!values.isEmpty()) {
      any.add("t." + p + " IN (" + values.stream().sorted().collect(Collectors.joining(", ")) + ")");
    }
    if (spec.scopeColumn() != null && scope != null) {
      any.add("t." + spec.scopeColumn() + " BETWEEN DATE'" + scope.from() + "' AND DATE'" + scope.to() + "'");
    }
    return any.isEmpty() ? " AND FALSE" : " AND (" + String.join(" OR ", any) + ")";
  }

  private static String literal(Object v) {
    if (v instanceof java.sql.Date || v instanceof java.time.LocalDate) {
      return "DATE'" + v + "'";
    }
    if (v instanceof Number) {
      return v.toString();
    }
    return "'" + v.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * The MERGE source computed exactly once. Delta scans a MERGE source twice (once to find the
   * files with matches, once to write) and documents that a source which differs between the
   * scans can give wrong results; it warns "Merge source has N rows in initial scan but M rows in
   * second scan". A source that is recomputed (our outputs are derived from reads of the lake and
   * from {@code dropDuplicates}, whose kept row depends on task order) can differ, and even a
   * cached Dataset is not enough: with a cached source Delta 4.4 skipped the first scan's rows
   * (0 counted) and then found all of them in the second (DeltaMergeSourceTest). So the rows are
   * locally checkpointed: cut from their lineage, both scans read the same blocks. On a cluster a
   * lost executor then fails the MERGE (its blocks cannot be recomputed) instead of feeding it
   * different rows; the run fails with nothing committed to that table and a rerun is idempotent.
   * The sources are result tables of one run (thousands of rows), so holding them costs little.
   */
  static JavaRDD<Row> materialise(Dataset<Row> source) {
    JavaRDD<Row> rows = source.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    rows.rdd().localCheckpoint();
    rows.count();
    return rows;
  }
}
