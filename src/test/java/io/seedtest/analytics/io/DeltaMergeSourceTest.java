package io.seedtest.analytics.io;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.testing.LogCapture;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MERGE source shaped like calibrate-irt's abilities (rows computed in tasks, persisted, then a
 * constant calibration id added) into a table holding another calibration's rows. Before
 * {@link DeltaMerge#materialise}, Delta 4.4 with adaptive execution counted 0 source rows in its
 * first scan and 1,500 in its second and warned "Merge source has 0 rows in initial scan but 1500
 * rows in second scan" (with adaptive execution off it did not); the warning fails this test.
 */
@Tag("spark")
@Tag("slow")
class DeltaMergeSourceTest {
  @TempDir
  Path dir;

  @Test
  void aCachedSourceIsReadTheSameInBothOfDeltasScans() {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(dir);
    UpsertSpec spec = new UpsertSpec("abilities", List.of("user_id", "calibration_id"), List.of("theta"), List.of(),
        null, null);
    DeltaMerge.merge(spark, lake, spec, scores(spark).withColumn("calibration_id", lit("first")), null);
    Dataset<Row> scores = scores(spark).persist(StorageLevel.MEMORY_AND_DISK());
    try (LogCapture delta = LogCapture.of("org.apache.spark.sql.delta", Level.WARN)) {
      scores.count();
      DeltaMerge.merge(spark, lake, spec, scores.withColumn("calibration_id", lit("second")), null);
      assertThat(delta.messages()).noneMatch(m -> m.contains("rows in initial scan but"));
    } finally {
      scores.unpersist();
    }
    assertThat(lake.read(spark, "abilities").groupBy("calibration_id").count().orderBy("calibration_id")
        .collectAsList()).extracting(r -> r.getString(0) + "=" + r.getLong(1))
        .containsExactly("first=1500", "second=1500");
  }

  /** A table written before a column was added gets it on the next MERGE, NULL in its old rows. */
  @Test
  void aNullableColumnAddedByALaterReleaseIsAddedToTheLakeTable() {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(dir);
    UpsertSpec before = new UpsertSpec("items", List.of("user_id"), List.of("theta"), List.of(), null, null);
    DeltaMerge.merge(spark, lake, before, scores(spark).limit(3), null);
    UpsertSpec after = new UpsertSpec("items", List.of("user_id"), List.of("theta", "rmsd"), List.of(), null, null);
    StructType withRmsd = new StructType().add("user_id", "long", false).add("theta", "double").add("rmsd", "double");
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(2L, 0.5, 0.07), RowFactory.create(9L, 0.9, 0.2)),
        withRmsd);

    DeltaMerge.merge(spark, lake, after, rows, null);

    assertThat(lake.read(spark, "items").orderBy("user_id").collectAsList())
        .extracting(r -> r.getLong(r.fieldIndex("user_id")) + ":" + r.get(r.fieldIndex("rmsd")))
        .containsExactly("0:null", "1:null", "2:0.07", "9:0.2");
  }

  /** 1,500 (user_id, theta) rows computed in tasks, as the calibration's EAP scoring makes them. */
  private static Dataset<Row> scores(SparkSession spark) {
    JavaRDD<Row> rows = spark.range(1_500).toJavaRDD().mapPartitions(ids -> {
      List<Row> out = new ArrayList<>();
      while (ids.hasNext()) {
        long id = ids.next();
        out.add(RowFactory.create(id, id / 1_000.0));
      }
      return out.iterator();
    });
    return spark.createDataFrame(rows, new StructType().add("user_id", "long").add("theta", "double"));
  }
}
