package io.seedtest.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.testing.AttemptRows;
import io.seedtest.analytics.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's read of a watermark's id range: the bounds, and the sessions already recorded left out. */
@Tag("spark")
class LakeAttemptSourceTest {
  @TempDir
  Path dir;

  @Test
  void readsTheIdRangeWithoutTheRecordedSessions() {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(dir);
    lake.overwrite(new AttemptRows()
        .raw(1L, 10L, 7L, 1, 101L, "algebra", true, 1000.0, 0, "2026-11-17T09:00:00Z", "2026-11-17T09:10:00Z")
        .raw(2L, 11L, 7L, 1, 102L, "algebra", true, 1000.0, 0, "2026-11-18T09:00:00Z", "2026-11-18T09:10:00Z")
        .raw(3L, 12L, 8L, 1, 101L, "algebra", false, 1000.0, 0, "2026-11-19T09:00:00Z", "2026-11-19T09:10:00Z")
        .raw(3L, 12L, 8L, 2, 103L, "algebra", true, 1000.0, 0, "2026-11-19T09:05:00Z", "2026-11-19T09:10:00Z")
        .raw(4L, 13L, 8L, 1, 104L, "algebra", true, 1000.0, 0, "2026-11-20T09:00:00Z", "2026-11-20T09:10:00Z")
        .raw(5L, 14L, 9L, 1, 105L, "algebra", true, 1000.0, 0, "2026-11-21T09:00:00Z", "2026-11-21T09:10:00Z")
        .toDataset(), Lake.ATTEMPTS);
    LakeAttemptSource source = new LakeAttemptSource(lake);

    assertThat(resultIds(source.resultIdsBetween(spark, 1, 4, "recorded")))
        .as("no table of recorded sessions yet: the whole range (1, 4]").containsExactly(2L, 3L, 3L, 4L);

    lake.overwrite(spark.createDataFrame(List.of(RowFactory.create(12L), RowFactory.create(14L)),
        new StructType().add(Attempts.SESSION_ID, DataTypes.LongType)), "recorded");
    assertThat(resultIds(source.resultIdsBetween(spark, 1, 4, "recorded"))).containsExactly(2L, 4L);
  }

  private static List<Long> resultIds(org.apache.spark.sql.Dataset<Row> rows) {
    return rows.orderBy(Attempts.RESULT_ID, Attempts.SEQ).collectAsList().stream()
        .map(r -> r.getLong(r.fieldIndex(Attempts.RESULT_ID))).toList();
  }
}
