package io.seedtest.analytics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.SeedtestException;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import io.seedtest.analytics.io.Lake;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Generates into PostgreSQL (a schema of its own) and reads the answers back through the attempt view. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("spark")
@Tag("postgres")
class GenerateJobPostgresTest {
  private static final SimulationSpec SPEC =
      SimulationSpec.realistic().withStudents(120).withWindow(LocalDate.of(2026, 11, 1), 30).withSeed(17);
  private static final String SCHEMA = "sim_test_" + ProcessHandle.current().pid();

  @TempDir
  static Path lakeDir;

  private static DatabaseUrl db;
  private static Settings settings;
  private static SparkSession spark;

  @BeforeAll
  static void migrate() throws SQLException {
    db = TestDatabase.fresh(SCHEMA);
    settings = new Settings(Optional.of(db), lakeDir, 30, 0.0, false, 4);
    spark = SparkTestSession.get();
  }

  @AfterAll
  static void drop() throws SQLException {
    if (db != null) {
      TestDatabase.drop(db);
    }
  }

  @Test
  @Order(1)
  void theAttemptViewReadsBackExactlyTheGeneratedAnswers() throws SQLException {
    GenerateJob.Summary summary = new GenerateJob().run(spark, settings, SPEC, false);

    Dataset<Row> view = spark.read().format("jdbc").options(db.sparkOptions()).option("dbtable", "attempt").load();
    Dataset<Row> expected = Simulator.generate(spark, SPEC).attempts();
    // the view's last column names what could not be read: nothing, for the simulator's answers
    assertThat(view.columns()).endsWith(io.seedtest.analytics.io.Attempts.PROBLEM)
        .hasSize(expected.columns().length + 1);
    assertThat(view.where(view.col(io.seedtest.analytics.io.Attempts.PROBLEM).isNotNull()).count()).isZero();
    view = view.drop(io.seedtest.analytics.io.Attempts.PROBLEM);
    assertThat(view.columns()).containsExactly(expected.columns());
    assertThat(SimDatasets.sortedRows(view)).isEqualTo(SimDatasets.sortedRows(expected)).hasSize((int) summary.answers());

    assertThat(count("SELECT count(*) FROM exam_results")).isEqualTo(summary.sessions());
    assertThat(count("SELECT count(*) FROM item_bank")).isEqualTo(SPEC.items());
    assertThat(count("SELECT count(*) FROM sim_items")).isEqualTo(SPEC.items());
    assertThat(count("SELECT count(*) FROM sim_students")).isEqualTo(SPEC.students());
    assertThat(count("SELECT count(*) FROM sim_student_days")).isEqualTo(summary.studentDays());
    assertThat(count("SELECT count(*) FROM goals")).isEqualTo(summary.goals()).isPositive();
    assertThat(count("SELECT count(*) FROM sim_spec WHERE seed = 17")).isEqualTo(1);
    // the JSON has the contract's shape, and the API can go on inserting sessions after ours
    assertThat(count("SELECT count(*) FROM exam_results WHERE jsonb_typeof(responses) <> 'array'"
        + " OR responses -> 0 ->> 'answered_at' !~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$'")).isZero();
    assertThat(count("SELECT nextval(pg_get_serial_sequence('exam_results', 'id'))"))
        .isGreaterThan(count("SELECT max(id) FROM exam_results"));
    // the truth went to the lake as well, identical to the database's
    Lake lake = new Lake(lakeDir);
    assertThat(lake.read(spark, SimTables.SIM_STUDENT_DAYS).count()).isEqualTo(summary.studentDays());
    Dataset<Row> pgGoals = spark.read().format("jdbc").options(db.sparkOptions()).option("dbtable", "goals").load();
    assertThat(SimDatasets.sortedRows(pgGoals)).isEqualTo(SimDatasets.sortedRows(lake.read(spark, SimTables.GOALS)));
  }

  @Test
  @Order(2)
  void refusesToWriteOverExistingRowsUnlessReplacing() throws SQLException {
    long sessions = count("SELECT count(*) FROM exam_results");
    assertThat(sessions).isPositive();
    assertThatThrownBy(() -> new GenerateJob().run(spark, settings, SPEC, false))
        .isInstanceOf(SeedtestException.class)
        .hasMessageContaining("exam_results")
        .hasMessageContaining("--replace")
        .hasMessageNotContaining("\n");
    assertThat(count("SELECT count(*) FROM exam_results")).isEqualTo(sessions);

    GenerateJob.Summary replaced = new GenerateJob().run(spark, settings, SPEC, true);
    assertThat(replaced.sessions()).isEqualTo(sessions);
    assertThat(count("SELECT count(*) FROM exam_results")).isEqualTo(sessions);
    assertThat(count("SELECT count(*) FROM sim_students")).isEqualTo(SPEC.students());
  }

  @Test
  @Order(3)
  void aDatabaseWithoutTheSchemaGetsOneClearLine() throws SQLException {
    DatabaseUrl empty = TestDatabase.empty(SCHEMA + "_bare");
    try {
      Settings s = new Settings(Optional.of(empty), lakeDir, 30, 0.0, false, 4);
      assertThatThrownBy(() -> new GenerateJob().run(spark, s, SPEC, false))
          .isInstanceOf(SeedtestException.class)
          .hasMessageStartingWith("Table or view 'exam_results' does not exist in")
          .hasMessageContaining("seedtest migrate");
    } finally {
      TestDatabase.drop(empty);
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
