package io.seedtest.analytics.sim;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.PgCopy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates simulated data and its ground truth, and writes them where the other jobs read.
 *
 * <ul>
 *   <li>Embedded (no database): the Delta lake gets {@code attempts} (partitioned by {@code day}),
 *       {@code item_bank}, and the truth tables {@code sim_items}, {@code sim_students},
 *       {@code sim_student_days}, {@code goals}, {@code sim_spec}; each is overwritten (Delta keeps
 *       the previous version for time travel).
 *   <li>PostgreSQL: COPY into {@code exam_results} (the sessions, with their JSON responses, ids as
 *       generated), {@code item_bank}, the truth tables and {@code goals}; the truth also goes to
 *       the lake so notebooks can score either way. Refuses to touch a database whose tables
 *       already hold rows unless {@code replace}, which truncates them first. The load is not one
 *       transaction (each partition's COPY commits on its own): a failed run leaves partial data
 *       and is repaired by running again with {@code replace}.
 * </ul>
 */
public final class GenerateJob {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);

  /** What a database run writes, in truncate order. */
  static final List<String> DB_TABLES = List.of(SimTables.EXAM_RESULTS, SimTables.ITEM_BANK, SimTables.SIM_ITEMS,
      SimTables.SIM_STUDENTS, SimTables.SIM_STUDENT_DAYS, SimTables.GOALS, SimTables.SIM_SPEC, SimTables.SIM_INJECTIONS);

  /** Row counts of one run and its wall time. */
  public record Summary(long students, long sessions, long answers, long items, long studentDays, long goals,
      long churned, double seconds) {}

  public Summary run(SparkSession spark, Settings settings, SimulationSpec spec, boolean replace) {
    long started = System.nanoTime();
    Optional<DatabaseUrl> db = settings.database();
    LOG.info("generate: {} into {}", spec, db.map(d -> d + " (truth also to the lake at " + settings.lake() + ")")
        .orElse("the lake at " + settings.lake()));
    db.ifPresent(d -> step("check " + d, () -> prepareDatabase(d, replace), -1));
    Lake lake = new Lake(settings.lake());
    if (db.isPresent() && !replace && lake.exists(spark, SimTables.SIM_SPEC)) {
      // The truth goes to the lake too (the benchmarks read it there): it must not silently replace
      // the truth of the data set the lake already holds, which its answers would then not match.
      throw Errors.generateLakeTruthExists(settings.lake());
    }
    SimulatedData data = stage("plan (item bank, partitions)", () -> Simulator.generate(spark, spec));

    Totals totals = writeStudentsTruth(spark, lake, data);
    if (db.isPresent()) {
      copyToPostgres(db.get(), data, totals);
    } else {
      writeAttemptsToLake(lake, data, totals);
    }
    long studentDays = writeRestOfTruth(spark, lake, data);
    long goals = lake.read(spark, SimTables.GOALS).count();

    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info("generate: done in {} s: {} students ({} churned), {} sessions, {} answers, {} items, {} student-days, {} goals",
        String.format("%.1f", seconds), totals.students, totals.churned, totals.sessions, totals.answers, spec.items(),
        studentDays, goals);
    return new Summary(totals.students, totals.sessions, totals.answers, spec.items(), studentDays, goals,
        totals.churned, seconds);
  }

  /** sim_students first: its totals give the later stages their row counts without re-counting. */
  private static Totals writeStudentsTruth(SparkSession spark, Lake lake, SimulatedData data) {
    return stage("sim_students -> lake", () -> {
      lake.overwrite(data.truthStudents(), SimTables.SIM_STUDENTS);
      return Totals.of(lake.read(spark, SimTables.SIM_STUDENTS));
    }, t -> t.students);
  }

  private static void writeAttemptsToLake(Lake lake, SimulatedData data, Totals totals) {
    step("attempts -> lake", () -> lake.overwrite(Lake.withDay(data.attempts()), Lake.ATTEMPTS, Lake.DAY),
        totals.answers);
    step("item_bank -> lake", () -> lake.overwrite(data.itemBank(), Lake.ITEM_BANK), data.spec().items());
  }

  private static void copyToPostgres(DatabaseUrl db, SimulatedData data, Totals totals) {
    int items = data.spec().items();
    step("item_bank -> postgres", () -> copy(db, data.itemBank(), SimTables.ITEM_BANK), items);
    step("exam_results -> postgres (" + totals.answers + " answers)",
        () -> copy(db, data.examResults(), SimTables.EXAM_RESULTS), totals.sessions);
    step("sim_items -> postgres", () -> copy(db, data.truthItems(), SimTables.SIM_ITEMS), items);
    step("sim_students -> postgres", () -> copy(db, data.truthStudents(), SimTables.SIM_STUDENTS), totals.students);
    step("sim_student_days -> postgres", () -> copy(db, data.truthStudentDays(), SimTables.SIM_STUDENT_DAYS), -1);
    step("goals -> postgres", () -> copy(db, data.goals(), SimTables.GOALS), -1);
    step("sim_spec -> postgres", () -> copy(db, data.specRow(), SimTables.SIM_SPEC), 1);
    step("sim_injections -> postgres", () -> copy(db, data.injections(), SimTables.SIM_INJECTIONS), -1);
    step("finish (id sequence, ANALYZE)", () -> finish(db), -1);
  }

  /** The truth besides sim_students, to the lake in either mode; returns the student-day count. */
  private static long writeRestOfTruth(SparkSession spark, Lake lake, SimulatedData data) {
    step("sim_items -> lake", () -> lake.overwrite(data.truthItems(), SimTables.SIM_ITEMS), data.spec().items());
    long studentDays = stage("sim_student_days -> lake", () -> {
      lake.overwrite(data.truthStudentDays(), SimTables.SIM_STUDENT_DAYS);
      return lake.read(spark, SimTables.SIM_STUDENT_DAYS).count();
    }, n -> n);
    step("goals -> lake", () -> lake.overwrite(data.goals(), SimTables.GOALS), -1);
    step("sim_spec -> lake", () -> lake.overwrite(data.specRow(), SimTables.SIM_SPEC), 1);
    step("sim_injections -> lake", () -> lake.overwrite(data.injections(), SimTables.SIM_INJECTIONS), -1);
    return studentDays;
  }

  /** Counts implied by the students' truth (each student row carries her sessions and answers). */
  private record Totals(long students, long sessions, long answers, long churned) {
    static Totals of(Dataset<Row> students) {
      Row r = students.agg(
          functions.count(functions.lit(1)),
          functions.coalesce(functions.sum("sessions"), functions.lit(0L)),
          functions.coalesce(functions.sum("answers"), functions.lit(0L)),
          functions.count(functions.col("churn_day"))).first();
      return new Totals(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
    }
  }

  private static void copy(DatabaseUrl db, Dataset<Row> rows, String table) {
    PgCopy.copy(rows, db, table, SimTables.columns(rows.schema()), false);
  }

  /** Checks the tables exist and are empty (or truncates them with {@code replace}). */
  static void prepareDatabase(DatabaseUrl db, boolean replace) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      List<String> nonEmpty = new ArrayList<>();
      for (String table : DB_TABLES) {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw Errors.missingTable(table, db.toString());
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
          rs.next();
          if (rs.getBoolean(1)) {
            nonEmpty.add(table);
          }
        }
      }
      if (!nonEmpty.isEmpty() && !replace) {
        throw Errors.generateTargetNotEmpty(db.toString(), nonEmpty);
      }
      if (replace) {
        st.execute("TRUNCATE " + String.join(", ", DB_TABLES) + " RESTART IDENTITY");
        LOG.info("generate: truncated {}", String.join(", ", DB_TABLES));
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Preparing " + db + " for generated data", e);
    }
  }

  /** Moves exam_results' id sequence past the generated ids (the API inserts after us), then ANALYZE. */
  private static void finish(DatabaseUrl db) {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      String sequence = null;
      try (ResultSet rs = st.executeQuery("SELECT pg_get_serial_sequence('exam_results', 'id')")) {
        if (rs.next()) {
          sequence = rs.getString(1);
        }
      }
      if (sequence != null) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT setval(?::regclass, (SELECT COALESCE(max(id), 0) + 1 FROM exam_results), false)")) {
          ps.setString(1, sequence);
          ps.execute();
        }
      }
      for (String table : DB_TABLES) {
        st.execute("ANALYZE " + table);
      }
    } catch (SQLException e) {
      throw Errors.databaseFailure("Finishing the load of the generated data", e);
    }
  }

  /** A stage without a result; {@code rows} < 0 when the count is not known. */
  private static void step(String stage, Runnable work, long rows) {
    stage(stage, () -> {
      work.run();
      return rows;
    }, n -> n);
  }

  private static <T> T stage(String stage, Supplier<T> work) {
    return stage(stage, work, t -> -1L);
  }

  /** Runs one stage and logs one line: its name, rows (when known) and wall time. */
  private static <T> T stage(String stage, Supplier<T> work, ToLongFunction<T> rows) {
    long t0 = System.nanoTime();
    T result = work.get();
    long n = rows.applyAsLong(result);
    String secs = String.format("%.1f", (System.nanoTime() - t0) / 1e9);
    if (n >= 0) {
      LOG.info("generate: {}: {} rows in {} s", stage, n, secs);
    } else {
      LOG.info("generate: {}: {} s", stage, secs);
    }
    return result;
  }
}
