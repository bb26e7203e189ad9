package io.seedtest.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
@Tag("postgres")
class PgUpsertWriterTest {
  private static final StructType SCHEMA = new StructType().add("k", DataTypes.IntegerType)
      .add("day", DataTypes.DateType).add("v", DataTypes.DoubleType).add("run_id", DataTypes.StringType);
  private static final UpsertSpec SPEC = new UpsertSpec("scores", List.of("k"), List.of("day", "v"),
      List.of("run_id"), "day", "day");
  private static final DateWindow NOV_20 = DateWindow.day(LocalDate.parse("2026-11-20"));

  DatabaseUrl db;

  @BeforeEach
  void table() {
    db = TestDatabase.fresh("upsert");
    TestDatabase.execute(db, "CREATE TABLE scores (k INT PRIMARY KEY, day DATE NOT NULL, v DOUBLE PRECISION,"
        + " run_id UUID NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  }

  private static Dataset<Row> rows(String runId, Object[]... values) {
    List<Row> list = java.util.Arrays.stream(values)
        .map(v -> RowFactory.create(v[0], Date.valueOf((String) v[1]), v[2], runId)).toList();
    return SparkTestSession.get().createDataFrame(list, SCHEMA).repartition(2);
  }

  @Test
  void aRetriedPartitionAndDuplicateKeysDoNotDuplicateRows() throws Exception {
    UUID run = UUID.randomUUID();
    PgUpsertWriter writer = new PgUpsertWriter(db, run);
    Dataset<Row> data = rows(run.toString(), new Object[] {1, "2026-11-20", 1.5}, new Object[] {2, "2026-11-20", 2.5},
        new Object[] {3, "2026-11-20", 3.5}, new Object[] {3, "2026-11-20", 3.5});
    PgUpsertWriter.Staged staged = writer.stage(SPEC, data, NOV_20);
    // A retried task: Spark re-runs partition 0 as a new attempt that COPYs the same rows again.
    try (Connection c = db.connect()) {
      PgCopy.copyRows(c, PgCopy.copySql(staged.stagingTable(), SPEC.columns(), true),
          data.collectAsList().iterator(), "\t0\t999999");
    }
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM " + staged.stagingTable())).isEqualTo(8);

    writer.commit(List.of(staged), List.of());

    assertThat(TestDatabase.query(db, "SELECT k, v FROM scores ORDER BY k"))
        .containsExactly(List.of(1, 1.5), List.of(2, 2.5), List.of(3, 3.5));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM pg_tables WHERE tablename = '" + staged.stagingTable() + "'"))
        .isZero();
  }

  @Test
  void onlyChangedRowsAreRewrittenAndRowsTheRunNoLongerProducesLeaveItsScope() {
    UUID first = UUID.randomUUID();
    PgUpsertWriter w1 = new PgUpsertWriter(db, first);
    w1.commit(List.of(w1.stage(SPEC, rows(first.toString(), new Object[] {1, "2026-11-20", 1.0},
        new Object[] {2, "2026-11-20", 2.0}, new Object[] {9, "2026-11-19", 9.0}), null)), List.of());

    UUID second = UUID.randomUUID();
    PgUpsertWriter w2 = new PgUpsertWriter(db, second);
    List<Long> changed = w2.commit(List.of(w2.stage(SPEC, rows(second.toString(),
        new Object[] {1, "2026-11-20", 1.0}, new Object[] {3, "2026-11-20", 3.0}), NOV_20)), List.of());

    // row 1 unchanged (keeps the first run id), row 2 deleted from the owned day, row 3 new,
    // row 9 outside the scope untouched
    assertThat(TestDatabase.query(db, "SELECT k, v, run_id::text FROM scores ORDER BY k")).containsExactly(
        List.of(1, 1.0, first.toString()), List.of(3, 3.0, second.toString()), List.of(9, 9.0, first.toString()));
    assertThat(changed).containsExactly(2L);
  }
}
