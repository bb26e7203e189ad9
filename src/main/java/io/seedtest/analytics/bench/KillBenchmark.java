package io.seedtest.analytics.bench;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.RunLock;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.PausePoint;
import io.seedtest.analytics.sim.GenerateJob;
import io.seedtest.analytics.sim.SimulationSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 at every stage of a run, against a real PostgreSQL and a real Delta lake.
 *
 * <p>Simulated answers go into PostgreSQL; a share of the last day's sessions is held back and
 * {@code aggregate-features-daily} runs for that day (the "old" target), then the held-back
 * sessions arrive. An uninterrupted run on a copy gives the "new" target. For each stage a fresh
 * copy of the old state is made, the job is started in a child JVM with the test-only
 * {@link PausePoint} at that stage, and the child is SIGKILLed when it prints the marker. Then:
 * is each target (PostgreSQL, lake) the old or the new one, never anything else; is the job's
 * advisory lock free; does the next run mark the dead run 'abandoned' and drop its staging
 * tables; is that rerun's result identical to the uninterrupted run's.
 */
public final class KillBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(KillBenchmark.class);
  private static final String JOB = AggregateFeaturesDailyJob.NAME;

  /**
   * Fills a migrated schema's exam_results and returns the day to kill runs of. The benchmark
   * simulates students ({@link #simulated}); a test can seed a few hand-made sessions instead.
   */
  @FunctionalInterface
  public interface Seed {
    DateWindow fill(SparkSession spark, DatabaseUrl db, Path work);
  }

  public record Options(String databaseUrl, Seed seed, Path work, List<PausePoint.Stage> stages) {}

  /** {@code students} simulated over {@code days} days from the simulator's default start; the last day. */
  public static Seed simulated(int students, int days, long seed) {
    return (spark, db, work) -> {
      SimulationSpec spec = SimulationSpec.realistic().withSeed(seed).withStudents(students)
          .withWindow(SimulationSpec.DEFAULT_START_DAY, days);
      new GenerateJob().run(spark, settings(db, work.resolve("truth")), spec, true);
      return DateWindow.day(spec.endDay());
    };
  }

  /** One stage's outcome; {@code ok()} when every check held. */
  public record Result(PausePoint.Stage stage, int childExit, String postgres, String lake, double lockFreeSeconds,
      String deadRunStatus, int stagingAfterKill, int stagingAfterRerun, boolean rerunIdentical) {
    public boolean ok() {
      boolean targetsWhole = !postgres.equals("half") && !lake.equals("half");
      boolean ledgerOk = deadRunStatus.equals("abandoned") || deadRunStatus.equals("succeeded");
      return childExit != 0 && targetsWhole && lockFreeSeconds >= 0 && ledgerOk && stagingAfterRerun == 0
          && rerunIdentical;
    }
  }

  private final Options options;

  public KillBenchmark(Options options) {
    this.options = options;
  }

  public List<Result> run(SparkSession spark, PrintWriter out) {
    DatabaseUrl base = DatabaseUrl.parse(options.databaseUrl());
    BenchDatabase.ensureDatabase(base);
    Path work = options.work().toAbsolutePath();
    String prefix = "bench_kills";
    String template = prefix + "_old";
    DatabaseUrl templateDb = freshSchema(base, template);
    DateWindow day = options.seed().fill(spark, templateDb, work);
    // a third of the day's sessions arrive after the first run: old and new targets differ
    BenchDatabase.execute(templateDb,
        "CREATE TABLE late_sessions AS SELECT * FROM exam_results WHERE finished_at >= '" + day.from()
            + "' AND session_id % 3 = 0",
        "DELETE FROM exam_results WHERE session_id IN (SELECT session_id FROM late_sessions)");
    Path templateLake = work.resolve(template + "-lake");
    FeaturesBenchmark.deleteRecursively(templateLake);
    runJob(spark, templateDb, templateLake, day);
    BenchDatabase.execute(templateDb, "INSERT INTO exam_results SELECT * FROM late_sessions",
        "DROP TABLE late_sessions");
    Targets old = Targets.read(spark, templateDb, templateLake);

    DatabaseUrl newDb = copy(base, template, prefix + "_new");
    Path newLake = copyTree(templateLake, work.resolve(prefix + "_new-lake"));
    runJob(spark, newDb, newLake, day);
    Targets fresh = Targets.read(spark, newDb, newLake);
    LOG.info("kills: old target {} rows, new target {} rows ({} of {})", old.postgres.size(), fresh.postgres.size(),
        JOB, day);
    if (old.postgres.equals(fresh.postgres)) {
      throw new IllegalStateException("the late sessions changed nothing: old and new targets are equal");
    }

    List<Result> results = new ArrayList<>();
    for (PausePoint.Stage stage : options.stages()) {
      results.add(killAt(spark, base, template, templateLake, work, day, stage, old, fresh));
    }
    out.println(table(results, old.postgres.size(), fresh.postgres.size(), day));
    out.flush();
    return results;
  }

  private Result killAt(SparkSession spark, DatabaseUrl base, String template, Path templateLake, Path work,
      DateWindow day, PausePoint.Stage stage, Targets old, Targets fresh) {
    String schema = "bench_kills_" + stage.name().toLowerCase(Locale.ROOT);
    DatabaseUrl db = copy(base, template, schema);
    Path lake = copyTree(templateLake, work.resolve(schema + "-lake"));
    Path stderr = work.resolve(schema + ".stderr.log");
    int exit;
    try (ChildJvm child = ChildJvm.start(List.of(JOB, "--date", day.from().toString(), "--lake", lake.toString()),
        Map.of("DATABASE_URL", BenchDatabase.withSchema(options.databaseUrl(), schema),
            PausePoint.ENV, stage.label(), "SPARK_MASTER", "local[2]", "SEEDTEST_SHUFFLE_PARTITIONS", "4"),
        stderr, PausePoint.MARKER)) {
      String marker = child.awaitMarker(600);
      if (marker == null) {
        throw new IllegalStateException("the child run never reached " + stage.label() + " (exit "
            + child.waitFor(1) + "); see " + stderr);
      }
      exit = child.kill();
    }
    double lockFree = secondsUntilLockFree(db, day);
    Targets afterKill = Targets.read(spark, db, lake);
    String killedRun = BenchDatabase.queryString(db, "SELECT run_id::text FROM job_runs ORDER BY started_at DESC LIMIT 1");
    int stagingAfterKill = staging(db);

    runJob(spark, db, lake, day);

    String status = BenchDatabase.queryString(db, "SELECT status FROM job_runs WHERE run_id = '" + killedRun + "'");
    Targets afterRerun = Targets.read(spark, db, lake);
    Result r = new Result(stage, exit, afterKill.postgresState(old, fresh), afterKill.lakeState(old, fresh), lockFree,
        status, stagingAfterKill, staging(db), afterRerun.equals(fresh));
    LOG.info("kills: {} -> {}", stage.label(), r);
    return r;
  }

  private static Settings settings(DatabaseUrl db, Path lake) {
    return new Settings(Optional.of(db), lake, 30, 0.0, false, 2);
  }

  private static void runJob(SparkSession spark, DatabaseUrl db, Path lake, DateWindow day) {
    Settings s = settings(db, lake);
    JobRunner.run(new AggregateFeaturesDailyJob(new JdbcAttemptSource(db, 2), Granularity.DAY),
        new RunContext(UUID.randomUUID(), JOB, day, false, false, "--date " + day.from(), s, spark, RunContext.NONE));
  }

  /** How long until nobody holds the job's advisory lock (PostgreSQL notices the dead connection); -1 if never. */
  private static double secondsUntilLockFree(DatabaseUrl db, DateWindow day) {
    long t0 = System.nanoTime();
    try (Connection c = db.connect()) {
      while (System.nanoTime() - t0 < 60_000_000_000L) {
        if (!RunLock.isHeld(c, JOB, RunLock.windowName(day))) {
          return (System.nanoTime() - t0) / 1e9;
        }
        Thread.sleep(50);
      }
      return -1;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int staging(DatabaseUrl db) {
    return (int) BenchDatabase.queryLong(db, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        + " AND tablename LIKE 'stg\\_%'");
  }

  private DatabaseUrl freshSchema(DatabaseUrl base, String schema) {
    BenchDatabase.execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    DatabaseUrl db = DatabaseUrl.parse(BenchDatabase.withSchema(options.databaseUrl(), schema));
    SchemaMigrator.migrate(db);
    return db;
  }

  /** A migrated schema holding a copy of every table of {@code from} (the old state of a stage). */
  private DatabaseUrl copy(DatabaseUrl base, String from, String to) {
    DatabaseUrl db = freshSchema(base, to);
    List<String> tables = BenchDatabase.queryStrings(base, "SELECT tablename FROM pg_tables WHERE schemaname = '"
        + from + "' AND tablename NOT LIKE '%schema\\_history' ORDER BY tablename");
    for (String t : tables) {
      BenchDatabase.execute(base, "INSERT INTO " + to + "." + t + " OVERRIDING SYSTEM VALUE SELECT * FROM " + from + "." + t);
    }
    return db;
  }

  private static Path copyTree(Path from, Path to) {
    FeaturesBenchmark.deleteRecursively(to);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return to;
  }

  /** The job's target in PostgreSQL and in the lake, as sorted lines of key and value columns. */
  private record Targets(List<String> postgres, List<String> lake) {
    static Targets read(SparkSession spark, DatabaseUrl db, Path lakeDir) {
      List<String> cols = FeaturesTopicDaily.SPEC.keys().stream().map(k -> k + "::text").collect(Collectors.toList());
      FeaturesTopicDaily.SPEC.values().forEach(v -> cols.add(v + "::text"));
      List<String> pg = BenchDatabase.queryStrings(db, "SELECT concat_ws('|', " + String.join(", ", cols)
          + ") FROM " + FeaturesTopicDaily.TABLE).stream().map(Targets::rounded).sorted().toList();
      Lake lake = new Lake(lakeDir);
      List<String> lk = List.of();
      if (lake.exists(spark, FeaturesTopicDaily.TABLE)) {
        List<String> names = new ArrayList<>(FeaturesTopicDaily.SPEC.keys());
        names.addAll(FeaturesTopicDaily.SPEC.values());
        lk = spark.read().format("delta").load(lake.path(FeaturesTopicDaily.TABLE))
            .selectExpr("concat_ws('|', " + names.stream().map(n -> "cast(" + n + " as string)")
                .collect(Collectors.joining(", ")) + ")").collectAsList().stream()
            .map((Row r) -> rounded(r.getString(0))).sorted().toList();
      }
      return new Targets(pg, lk);
    }

    /** Doubles to 9 significant digits: a sum's last bits depend on Spark's merge order. */
    static String rounded(String line) {
      return Stream.of(line.split("\\|", -1)).map(f -> f.matches("-?\\d+\\.\\d+(E-?\\d+)?")
          ? String.format(Locale.ROOT, "%.9g", Double.parseDouble(f)) : f).collect(Collectors.joining("|"));
    }

    String postgresState(Targets old, Targets fresh) {
      return postgres.equals(old.postgres) ? "old" : postgres.equals(fresh.postgres) ? "new" : "half";
    }

    String lakeState(Targets old, Targets fresh) {
      return lake.equals(old.lake) ? "old" : lake.equals(fresh.lake) ? "new" : "half";
    }
  }

  static String table(List<Result> results, int oldRows, int newRows, DateWindow day) {
    StringBuilder b = new StringBuilder();
    b.append("kill -9 of ").append(JOB).append(" --date ").append(day.from()).append(" at each stage (old target ")
        .append(oldRows).append(" rows, new ").append(newRows).append(" rows)\n");
    b.append(String.format(Locale.ROOT, "%-18s %-6s %-10s %-8s %-13s %-22s %-16s %-16s%n", "stage", "exit",
        "postgres", "lake", "lock free (s)", "killed run afterwards", "staging dropped", "rerun identical"));
    for (Result r : results) {
      b.append(String.format(Locale.ROOT, "%-18s %-6d %-10s %-8s %-13s %-22s %-16s %-16s%n", r.stage().label(),
          r.childExit(), r.postgres(), r.lake(), r.lockFreeSeconds() < 0 ? "NEVER" : String.format(Locale.ROOT, "%.2f",
              r.lockFreeSeconds()), r.deadRunStatus(), r.stagingAfterKill() + " -> " + r.stagingAfterRerun(),
          r.rerunIdentical() ? "yes" : "NO"));
    }
    b.append(results.stream().allMatch(Result::ok) ? "every stage: target old or new, lock released, rerun identical"
        : "FAILED: a stage broke a promise (see the rows above)");
    return b.toString();
  }
}
