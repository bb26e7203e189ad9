package io.seedtest.analytics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generating into PostgreSQL also writes the truth to the lake; it must not silently replace the
 * truth of the data set the lake already holds (issue 15).
 */
@Tag("spark")
@Tag("postgres")
class GenerateLakeTruthTest {
  private static DatabaseUrl db;
  @TempDir
  static Path lakeDir;

  @BeforeAll
  static void database() {
    db = TestDatabase.fresh("gentruth");
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(db);
  }

  @Test
  void anotherDataSetsTruthInTheLakeIsNotOverwrittenWithoutReplace() {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(lakeDir);
    lake.overwrite(spark.range(1).toDF("seed"), SimTables.SIM_SPEC);
    Settings settings = new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 2);
    SimulationSpec spec = SimulationSpec.realistic().withStudents(50).withWindow(LocalDate.parse("2026-06-01"), 7);
    assertThatThrownBy(() -> new GenerateJob().run(spark, settings, spec, false))
        .isInstanceOf(SeedtestException.class)
        .hasMessageContaining("already holds another data set's truth").hasMessageContaining("--replace");
    assertThat(lake.read(spark, SimTables.SIM_SPEC).columns()).containsExactly("seed");
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM exam_results")).isZero();
  }
}
