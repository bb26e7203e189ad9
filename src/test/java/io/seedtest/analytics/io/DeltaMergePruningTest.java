package io.seedtest.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.testing.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MERGE without a scope reads only the partitions its rows touch: the data files of another day
 * are deleted from disk before it, so a MERGE that scanned the whole table (its ON clause without
 * the literal partitions, as before issue 17's trigger fix) fails on the missing file.
 */
@Tag("spark")
class DeltaMergePruningTest {
  private static final LocalDate OLD = LocalDate.of(2026, 10, 31);
  private static final LocalDate DAY = LocalDate.of(2026, 11, 1);
  private static final StructType SCHEMA = new StructType().add("user_id", "long", false).add("day", "date", false)
      .add("v", "double").add("run_id", "string");

  @TempDir
  Path dir;

  @Test
  void aTriggerLikeUpsertOfOneDayNeverReadsAnotherDaysFiles() throws IOException {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(dir);
    UpsertSpec spec = new UpsertSpec("kpi", List.of("user_id", "day"), List.of("v"), List.of("run_id"), "day", null);
    DeltaMerge.merge(spark, lake, spec, rows(spark, row(1, OLD, 1.0), row(2, OLD, 2.0), row(1, DAY, 3.0)), null);
    deleteFilesOf(OLD);

    DeltaMerge.merge(spark, lake, spec, rows(spark, row(1, DAY, 4.0), row(3, DAY, 5.0)), null);

    assertThat(values(spark, lake, DAY)).containsExactly("1:4.0", "3:5.0");
  }

  @Test
  void aScopedRunStillDeletesItsDaysUnproducedRowsAndLeavesOtherDays() {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(dir);
    UpsertSpec spec = new UpsertSpec("kpi", List.of("user_id", "day"), List.of("v"), List.of("run_id"), "day", "day");
    DeltaMerge.merge(spark, lake, spec, rows(spark, row(1, OLD, 1.0), row(1, DAY, 3.0), row(2, DAY, 6.0)), null);

    DeltaMerge.merge(spark, lake, spec, rows(spark, row(2, DAY, 7.0)), DateWindow.day(DAY));

    // (Delta 4.4 scans every file when a MERGE has a NOT MATCHED BY SOURCE clause: no pruning to test here)
    assertThat(values(spark, lake, DAY)).containsExactly("2:7.0");
    assertThat(values(spark, lake, OLD)).containsExactly("1:1.0");
  }

  @Test
  void thePruningPredicateNamesTheSourceDaysAndTheScope() {
    SparkSession spark = SparkTestSession.get();
    UpsertSpec spec = new UpsertSpec("kpi", List.of("user_id", "day"), List.of("v"), List.of("run_id"), "day", "day");
    assertThat(DeltaMerge.prune(spec, rows(spark, row(1, DAY, 1.0), row(2, OLD, 1.0)), DateWindow.day(DAY)))
        .isEqualTo(" AND (t.day IN (DATE'2026-10-31', DATE'2026-11-01') OR t.day BETWEEN DATE'2026-11-01'"
            + " AND DATE'2026-11-01')");
  }

  private void deleteFilesOf(LocalDate day) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("kpi").resolve("day=" + day))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }

  private static List<String> values(SparkSession spark, Lake lake, LocalDate day) {
    return lake.read(spark, "kpi").where("day = DATE'" + day + "'").orderBy("user_id").collectAsList().stream()
        .map(r -> r.getLong(0) + ":" + r.getDouble(2)).toList();
  }

  private static Row row(long user, LocalDate day, double v) {
    return RowFactory.create(user, Date.valueOf(day), v, "r");
  }

  private static Dataset<Row> rows(SparkSession spark, Row... rows) {
    return spark.createDataFrame(List.of(rows), SCHEMA);
  }
}
