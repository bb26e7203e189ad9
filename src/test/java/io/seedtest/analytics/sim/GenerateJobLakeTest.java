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
    assertThat(attempts.schema()).isEqualTo(Attempts.SCHEMA.add(Lake.DAY, DataTypes.DateType, true));
    Row detail = DeltaTable.forPath(spark, lake.path(Lake.ATTEMPTS)).detail().first();
    assertThat(detail.<String>getList(detail.fieldIndex("partitionColumns"))).containsExactly(Lake.DAY);
    assertThat(attempts.where("day <> date_from_unix_date(CAST(floor(unix_seconds(answered_at) / 86400) AS INT))")
        .count()).isZero();
    assertThat(attempts.where("day < DATE'2026-10-01' OR day > DATE'2026-10-30'").count()).isZero();

    // the lake holds exactly what the simulator generates for the spec
    Dataset<Row> expected = Simulator.generate(spark, SPEC).attempts();
    assertThat(SimDatasets.sortedRows(attempts.drop(Lake.DAY))).isEqualTo(SimDatasets.sortedRows(expected));
    assertThat(summary.answers()).isEqualTo(attempts.count());
    assertThat(summary.sessions()).isEqualTo(attempts.select("result_id").distinct().count());
    assertThat(summary.students()).isEqualTo(150);
    assertThat(summary.items()).isEqualTo(SPEC.items());
    assertThat(summary.studentDays()).isEqualTo(lake.read(spark, SimTables.SIM_STUDENT_DAYS).count());
    assertThat(summary.goals()).isEqualTo(lake.read(spark, SimTables.GOALS).count()).isPositive();
    assertThat(lake.read(spark, SimTables.SIM_SPEC).first().<Long>getAs("seed")).isEqualTo(5L);
    assertThat(lake.read(spark, SimTables.SIM_INJECTIONS).count()).as("every switch off: nothing injected").isZero();
  }

  /**
   * With the issue-19 switches on, sim_injections names each leaked and misfitting item, every
   * rapid guesser and each of her rapid guesses, which are the answers she gave in 8 s or less.
   */
  @Test
  void theTruthNamesEveryInjectedEffect() {
    SparkSession spark = SparkTestSession.get();
    SimulationSpec spec = SimulationSpec.recovery(400, 40, 20, 11L).withWindow(LocalDate.of(2026, 10, 1), 30)
        .withLeak(new ItemLeak(3, 0.8, LocalDate.of(2026, 10, 15))).withMisfitItems(4)
        .withRapidGuessing(new RapidGuessing(0.25, 0.5));
    new GenerateJob().run(spark, new Settings(Optional.empty(), dir, 30, 0.0, false, 4), spec, false);

    Lake lake = new Lake(dir);
    Dataset<Row> injected = lake.read(spark, SimTables.SIM_INJECTIONS);
    assertThat(injected.where("kind = 'leaked_item'").select("item_id").as(org.apache.spark.sql.Encoders.LONG())
        .collectAsList()).containsExactlyInAnyOrder(1L, 14L, 27L);
    assertThat(injected.where("kind = 'misfit_item'").count()).isEqualTo(4);
    long guessers = injected.where("kind = 'rapid_guesser'").count();
    assertThat(guessers).isBetween(70L, 130L);
    Dataset<Row> guesses = injected.where("kind = 'rapid_guess'").alias("g")
        .join(lake.read(spark, Lake.ATTEMPTS).alias("a"), org.apache.spark.sql.functions.expr(
            "g.result_id = a.result_id AND g.seq = a.seq AND g.item_id = a.item_id AND g.user_id = a.user_id"));
    long rapid = injected.where("kind = 'rapid_guess'").count();
    assertThat(guesses.count()).as("every rapid guess is an answer of the data").isEqualTo(rapid);
    assertThat(guesses.where("a.response_time_ms > 8000").count()).isZero();
    assertThat(rapid / (guessers * 20.0)).isBetween(0.4, 0.6);
  }
}
