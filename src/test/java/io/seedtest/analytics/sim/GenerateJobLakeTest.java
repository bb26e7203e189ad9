package io.seedtest.analytics.sim;

import io.seedtest.analytics.testing.SparkTestSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("spark")
class GenerateJobLakeTest {
  private static final SimulationSpec SPEC =
      SimulationSpec.realistic().withStudents(150).withWindow(LocalDate.of(2026, 10, 1), 30).withSeed(5);

  @TempDir
  Path dir;

  @Test
  void writesTheAttemptsAndTheTruthToTheLake() {
    SparkSession spark = SparkTestSession.get();
    Settings settings = new Settings(Optional.empty(), dir, 30, 0.0, false, 4);
    GenerateJob.Summary summary = new GenerateJob().run(spark, settings, SPEC, false);

    Lake lake = new Lake(dir);
    for (String table : List.of(Lake.ATTEMPTS, Lake.ITEM_BANK, SimTables.SIM_ITEMS, SimTables.SIM_STUDENTS,
        SimTables.SIM_STUDENT_DAYS, SimTables.GOALS, SimTables.SIM_SPEC)) {
      assertThat(lake.exists(spark, table)).as(table).isTrue();
    }
    Dataset<Row> attempts = lake.read(spark, Lake.ATTEMPTS);
    assertThat(attempts.schema()).isEqualTo(Attempts.SCHEMA.add(SimTables.DAY, DataTypes.DateType, true));
    Row detail = DeltaTable.forPath(spark, lake.path(Lake.ATTEMPTS)).detail().first();
    assertThat(detail.<String>getList(detail.fieldIndex("partitionColumns"))).containsExactly(SimTables.DAY);
    assertThat(attempts.where("day <> date_from_unix_date(CAST(floor(unix_seconds(answered_at) / 86400) AS INT))")
        .count()).isZero();
    assertThat(attempts.where("day < DATE'2026-10-01' OR day > DATE'2026-10-30'").count()).isZero();

    // the lake holds exactly what the simulator generates for the spec
    Dataset<Row> expected = Simulator.generate(spark, SPEC).attempts();
    assertThat(SimDatasets.sortedRows(attempts.drop(SimTables.DAY))).isEqualTo(SimDatasets.sortedRows(expected));
    assertThat(summary.answers()).isEqualTo(attempts.count());
    assertThat(summary.sessions()).isEqualTo(attempts.select("result_id").distinct().count());
    assertThat(summary.students()).isEqualTo(150);
    assertThat(summary.items()).isEqualTo(SPEC.items());
    assertThat(summary.studentDays()).isEqualTo(lake.read(spark, SimTables.SIM_STUDENT_DAYS).count());
    assertThat(summary.goals()).isEqualTo(lake.read(spark, SimTables.GOALS).count()).isPositive();
    assertThat(lake.read(spark, SimTables.SIM_SPEC).first().<Long>getAs("seed")).isEqualTo(5L);

  }
}
