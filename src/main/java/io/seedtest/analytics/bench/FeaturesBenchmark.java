package io.seedtest.analytics.bench;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.features.AggregateFeaturesDailyJob;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.features.Granularity;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.sim.GenerateJob;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.sim.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark of issue 2 ("Numbers"): for each size, simulated answers in PostgreSQL, then the
 * job aggregate-features-daily end to end (JDBC read → aggregate → upsert, plus its lake mirror)
 * beside (a) PostgreSQL computing the same table with one INSERT … SELECT … ON CONFLICT and (b)
 * the COPY floor (the source rows out + the result rows in). docs/benchmarks.md has the method.
 *
 * <p>Each size gets its own schema {@code bench_features_<size>} in the benchmark database
 * (migrated with the project's migrations), dropped at the end unless {@code keep}.
 */
public final class FeaturesBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturesBenchmark.class);
  public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/seedtest_bench";
  static final String SPARK_RESULT = "bench_spark_result";

  /** What to measure; all by default. */
  public enum Step {
    FLOOR, READ, SPARK, RERUN, BASELINE, FULL_BASELINE,
    /** Opt-in diagnostic: the job's stages materialised one at a time (docs/benchmarks.md, "Where the time goes"). */
    PROFILE;

    /** What runs without --steps. */
    public static Set<Step> defaults() {
      return EnumSet.complementOf(EnumSet.of(PROFILE));
    }
  }

  public record Options(List<Long> sizes, String databaseUrl, int days, long seed, boolean keep, boolean reuse,
      Integer jdbcPartitions, Integer shufflePartitions, Set<Step> steps, String baselineWorkMem, Path report,
      String commandLine) {}

  /** One run of the job through the JobRunner. */
  public record SparkRun(double total, double compute, double staging, double merge, double lake,
      MemorySampler.Peak peak, CpuMeter.Cpu cpu, long rowsRead, long rowsWritten, List<SparkJobTimeline.Span> spans) {
    double withoutLake() {
      return total - lake;
    }

    double upsertRate() {
      return rowsWritten / (staging + merge);
    }
  }

  /** Baseline result compared with the Spark job's rows. */
  public record Baseline(double seconds, CpuMeter.Cpu cpu, long rows, ResultDiff diff) {}

  /** Wall and CPU seconds of one profiled stage. */
  public record Stage(double wall, CpuMeter.Cpu cpu) {}


  public record Result(long target, String schema, int students, LocalDate from, LocalDate to, double generateSeconds,
      long answers, long rowsIn, long rowsOut, double copyOutSeconds, CpuMeter.Cpu copyOutCpu, long copyOutBytes,
      double copyInSeconds, double jdbcReadSeconds, CpuMeter.Cpu jdbcReadCpu, Map<String, Stage> profile, SparkRun run, SparkRun rerun, Baseline baseline, Baseline fullBaseline,
      String loadBefore, String loadAfter) {
    Double copyFloor() {
      return Double.isNaN(copyOutSeconds) || Double.isNaN(copyInSeconds) ? Double.NaN : copyOutSeconds + copyInSeconds;
    }
  }

  private final Options options;
  private final PrintStream out;
  private final int jdbcPartitions;

  public FeaturesBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.jdbcPartitions = options.jdbcPartitions();
  }

  /** Runs the benchmark; {@code local} configures its Spark session (as a job's, from the CLI's environment). */
  public List<Result> run(SparkSettings local) {
    DatabaseUrl base = DatabaseUrl.parse(options.databaseUrl());
    BenchDatabase.ensureDatabase(base);
    SparkSession spark = SparkSessions.getOrCreate("seedtest bench-features", local);
    if (options.shufflePartitions() != null) {
      spark.conf().set("spark.sql.shuffle.partitions", options.shufflePartitions().toString());
    }
    SparkJobTimeline timeline = new SparkJobTimeline();
    spark.sparkContext().addSparkListener(timeline);
    Path work;
    try {
      work = Files.createTempDirectory("seedtest-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Result> results = new ArrayList<>();
    FeaturesBenchmarkReport report = new FeaturesBenchmarkReport(options, jdbcPartitions, out);
    try {
      for (long size : options.sizes()) {
        Result r = runSize(spark, timeline, base, size, work);
        results.add(r);
        report.printDetails(r);
      }
    } finally {
      deleteRecursively(work);
    }
    out.println();
    out.println(report.header(spark));
    out.println(FeaturesBenchmarkReport.table(results));
    if (options.report() != null) {
      report.write(spark, results);
    }
    return results;
  }

  // ---------------------------------------------------------------------------------------------

  private Result runSize(SparkSession spark, SparkJobTimeline timeline, DatabaseUrl base, long size, Path work) {
    String schema = "bench_features_" + label(size).toLowerCase(Locale.ROOT);
    DatabaseUrl db = DatabaseUrl.parse(BenchDatabase.withSchema(options.databaseUrl(), schema));
    String loadBefore = loadAverage();
    LOG.info("bench {}: schema {}, load average {}", label(size), schema, loadBefore);

    // 1. data
    double generateSeconds = Double.NaN;
    boolean reused = options.reuse() && BenchDatabase.hasData(base, schema);
    if (!reused) {
      BenchDatabase.execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
      SchemaMigrator.migrate(db);
      LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
      SimulationSpec spec = Simulator.sizedFor(SimulationSpec.realistic().withSeed(options.seed())
          .withWindow(yesterday.minusDays(options.days() - 1L), options.days()), size);
      Settings genSettings = new Settings(Optional.of(db), work.resolve(schema + "-truth"), 30, 0.0, false,
          jdbcPartitions);
      long t0 = System.nanoTime();
      new GenerateJob().run(spark, genSettings, spec, true);
      generateSeconds = (System.nanoTime() - t0) / 1e9;
      // Untimed: set hint bits and the visibility map so no contender pays for the first read.
      BenchDatabase.execute(db, "VACUUM (ANALYZE) exam_results", "VACUUM (ANALYZE) item_bank");
    } else {
      LOG.info("bench {}: reusing the data in {}", label(size), schema);
      BenchDatabase.execute(db, "DROP TABLE IF EXISTS " + SPARK_RESULT, "DROP TABLE IF EXISTS " + CopyFloor.COPY_IN);
    }
    LocalDate from = LocalDate.parse(BenchDatabase.queryString(db, "SELECT start_day::text FROM sim_spec"));
    LocalDate to = from.plusDays(BenchDatabase.queryLong(db, "SELECT days FROM sim_spec") - 1);
    int students = (int) BenchDatabase.queryLong(db, "SELECT students FROM sim_spec");
    DateWindow window = new DateWindow(from, to);
    long answers = BenchDatabase.queryLong(db, "SELECT COALESCE(sum(jsonb_array_length(responses)), 0) FROM exam_results");
    boolean checkItems = BenchDatabase.queryLong(db, "SELECT count(*) FROM item_bank") > 0;
    String readWindow = BaselineSql.readWindow(from, to);
    // Also warms the cache for whichever contender comes first.
    long rowsIn = BenchDatabase.queryLong(db, "SELECT count(*) FROM attempt WHERE " + readWindow);
    LOG.info("bench {}: {} students, {} answers, {} rows in the read window of {}", label(size), students, answers,
        rowsIn, window);

    // 2. COPY floor, source side
    double copyOut = Double.NaN;
    CpuMeter.Cpu copyOutCpu = null;
    long copyOutBytes = 0;
    if (options.steps().contains(Step.FLOOR)) {
      long[] bytes = new long[1];
      CpuMeter cpu = CpuMeter.start(base.database());
      copyOut = timed(() -> {
        CopyFloor.copyOut(db, "COPY (SELECT * FROM attempt WHERE " + readWindow + ") TO STDOUT", bytes);
      });
      copyOutCpu = cpu.stop();
      copyOutBytes = bytes[0];
      LOG.info("bench {}: COPY out of the attempt view: {} s, {} MB", label(size), FeaturesBenchmarkReport.fmt(copyOut), copyOutBytes >> 20);
    }

    Settings settings = new Settings(Optional.of(db), work.resolve(schema + "-lake"), 30, 0.0, false, jdbcPartitions);

    // 3. diagnostic: the JDBC read alone, every column, into Spark's no-op sink
    double jdbcRead = Double.NaN;
    CpuMeter.Cpu jdbcReadCpu = null;
    if (options.steps().contains(Step.READ)) {
      CpuMeter cpu = CpuMeter.start(base.database());
      jdbcRead = timed(() -> AttemptSource.from(settings).finishedBetween(spark,
              from.minusDays(FeaturesTopicDaily.IMPROVEMENT_LOOKBACK_DAYS).atStartOfDay(ZoneOffset.UTC).toInstant(),
              to.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant())
          .write().format("noop").mode("overwrite").save());
      jdbcReadCpu = cpu.stop();
      LOG.info("bench {}: JDBC read alone ({} partitions): {} s", label(size), jdbcPartitions, FeaturesBenchmarkReport.fmt(jdbcRead));
    }

    Map<String, Stage> profile = options.steps().contains(Step.PROFILE)
        ? profile(spark, settings, base.database(), from, to, checkItems) : Map.of();

    // 4. the Spark job, on an empty table, then again on the filled one
    SparkRun run = null;
    SparkRun rerun = null;
    if (options.steps().contains(Step.SPARK)) {
      BenchDatabase.execute(db, "TRUNCATE features_topic_daily");
      run = sparkRun(spark, timeline, settings, base.database(), window, "run 1 (empty table)");
      if (options.steps().contains(Step.RERUN)) {
        rerun = sparkRun(spark, timeline, settings, base.database(), window, "run 2 (rerun, no changes)");
      }
      BenchDatabase.execute(db, "DROP TABLE IF EXISTS " + SPARK_RESULT,
          "CREATE UNLOGGED TABLE " + SPARK_RESULT + " AS SELECT * FROM features_topic_daily");
    }

    // 5. the PostgreSQL baseline(s), each on an empty table, compared with the job's rows
    Baseline baseline = null;
    Baseline full = null;
    Instant now = Instant.now();
    if (options.steps().contains(Step.BASELINE)) {
      baseline = baseline(db, base.database(), BaselineSql.render(from, to, now, checkItems, false, UUID.randomUUID()), "(a)");
    }
    if (options.steps().contains(Step.FULL_BASELINE)) {
      full = baseline(db, base.database(), BaselineSql.render(from, to, now, checkItems, true, UUID.randomUUID()), "(a') full validation");
    }
    String resultTable = run != null ? SPARK_RESULT : "features_topic_daily";
    long rowsOut = BenchDatabase.queryLong(db, "SELECT count(*) FROM " + resultTable);

    // 6. COPY floor, result side: as many rows as the job produced, into an UNLOGGED table
    double copyIn = Double.NaN;
    if (options.steps().contains(Step.FLOOR)) {
      copyIn = CopyFloor.copyIn(db, resultTable, work.resolve(schema + "-result.copy"));
      LOG.info("bench {}: COPY in of {} result rows: {} s", label(size), rowsOut, FeaturesBenchmarkReport.fmt(copyIn));
    }

    if (!options.keep()) {
      BenchDatabase.execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    return new Result(size, schema, students, from, to, generateSeconds, answers, rowsIn, rowsOut, copyOut, copyOutCpu,
        copyOutBytes, copyIn, jdbcRead, jdbcReadCpu, profile, run, rerun, baseline, full, loadBefore, loadAverage());
  }

  /**
   * The job's stages one at a time, each materialised before the next (so each time is that
   * stage alone): JDBC read into the cache, validation (the duplicate-answer window), the
   * quarantine side (the same window again), the aggregation with the exact median, and the
   * improvement window.
   */
  private Map<String, Stage> profile(SparkSession spark, Settings settings, String database, LocalDate from,
      LocalDate to, boolean checkItems) {
    Map<String, Stage> t = new java.util.LinkedHashMap<>();
    java.util.function.BiConsumer<String, Runnable> measure = (stage, work) -> {
      CpuMeter cpu = CpuMeter.start(database);
      double wall = timed(work);
      t.put(stage, new Stage(wall, cpu.stop()));
    };
    AttemptSource source = AttemptSource.from(settings);
    LocalDate lookbackFrom = from.minusDays(FeaturesTopicDaily.IMPROVEMENT_LOOKBACK_DAYS);
    Instant now = Instant.now();
    List<org.apache.spark.sql.Dataset<?>> cached = new ArrayList<>();
    try {
      var attempts = source.finishedBetween(spark, lookbackFrom.atStartOfDay(ZoneOffset.UTC).toInstant(),
          to.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant()).persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(attempts);
      measure.accept("JDBC read into the cache", () -> {
        attempts.count();
      });
      var bank = source.itemBank(spark).cache();
      cached.add(bank);
      measure.accept("item bank", () -> {
        bank.count();
      });
      var split = io.seedtest.analytics.attempts.AttemptValidation.split(attempts, bank, checkItems, now);
      cached.add(split.verdicts());
      var valid = split.valid().where(functions.col(io.seedtest.analytics.attempts.AttemptValidation.EVENT_DAY)
          .between(java.sql.Date.valueOf(lookbackFrom), java.sql.Date.valueOf(to))).persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(valid);
      measure.accept("validate (duplicate-answer window)", () -> {
        valid.count();
      });
      measure.accept("quarantine side (from the persisted verdicts)", () -> {
        split.quarantined().count();
      });
      var periods = FeaturesTopicDaily.aggregate(valid, Granularity.DAY).persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(periods);
      measure.accept("aggregate (exact median)", () -> {
        periods.count();
      });
      measure.accept("improvement window", () -> {
        FeaturesTopicDaily.withImprovement(periods).where(functions.col("day")
                .between(java.sql.Date.valueOf(from), java.sql.Date.valueOf(to)))
            .write().format("noop").mode("overwrite").save();
      });
    } finally {
      cached.forEach(org.apache.spark.sql.Dataset::unpersist);
    }
    LOG.info("bench: profile {}", t);
    return t;
  }

  private SparkRun sparkRun(SparkSession spark, SparkJobTimeline timeline, Settings settings, String database,
      DateWindow window, String what) {
    System.gc();
    StageClock clock = new StageClock();
    RunContext ctx = new RunContext(UUID.randomUUID(), AggregateFeaturesDailyJob.NAME, window, false, false,
        "bench-features --from " + window.from() + " --to " + window.to(), settings, spark, clock);
    var job = clock.wrap(new AggregateFeaturesDailyJob(AttemptSource.from(settings), Granularity.DAY));
    timeline.begin();
    MemorySampler memory = MemorySampler.start();
    CpuMeter cpuMeter = CpuMeter.start(database);
    JobOutcome outcome;
    try {
      clock.start();
      outcome = JobRunner.run(job, ctx);
      clock.finish();
    } finally {
      memory.close();
      cpuMeter.close();
    }
    MemorySampler.Peak peak = memory.stop();
    CpuMeter.Cpu cpu = cpuMeter.stop();
    List<SparkJobTimeline.Span> spans = timeline.end();
    SparkRun r = new SparkRun(clock.total(), clock.compute(), clock.staging(), clock.merge(), clock.lake(), peak,
        cpu, outcome.rowsRead(), outcome.rowsWritten(), spans);
    LOG.info("bench: Spark {}: {} s (compute {}, staging {}, merge {}, lake {})", what, FeaturesBenchmarkReport.fmt(r.total()),
        FeaturesBenchmarkReport.fmt(r.compute()), FeaturesBenchmarkReport.fmt(r.staging()), FeaturesBenchmarkReport.fmt(r.merge()), FeaturesBenchmarkReport.fmt(r.lake()));
    return r;
  }

  private Baseline baseline(DatabaseUrl db, String database, String sql, String name) {
    BenchDatabase.execute(db, "TRUNCATE features_topic_daily");
    long[] rows = new long[1];
    double seconds;
    CpuMeter.Cpu cpu;
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      if (options.baselineWorkMem() != null) {
        st.execute("SET work_mem = '" + options.baselineWorkMem().replace("'", "") + "'");
      }
      CpuMeter meter = CpuMeter.start(database);
      seconds = timed(() -> {
        try {
          rows[0] = st.executeUpdate(sql);
        } catch (SQLException e) {
          throw Errors.databaseFailure("The PostgreSQL baseline " + name, e);
        }
      });
      cpu = meter.stop();
    } catch (SQLException e) {
      throw Errors.databaseFailure("The PostgreSQL baseline " + name, e);
    }
    ResultDiff diff = BenchDatabase.queryLong(db, "SELECT count(*) FROM pg_tables WHERE tablename = '" + SPARK_RESULT
        + "' AND schemaname = current_schema()") > 0 ? ResultDiff.compare(db) : null;
    LOG.info("bench: baseline {}: {} s, {} rows{}", name, FeaturesBenchmarkReport.fmt(seconds), rows[0],
        diff == null ? "" : diff.same() ? ", same rows as the Spark job" : ", DIFFERS from the Spark job: " + diff);
    return new Baseline(seconds, cpu, rows[0], diff);
  }

  /** Compares features_topic_daily (baseline) with the saved Spark result. */




  // ---------------------------------------------------------------------------------------------
  // helpers

  /** 1000000 → 1M, 250000 → 250k. */
  public static String label(long n) {
    if (n >= 1_000_000 && n % 1_000_000 == 0) {
      return n / 1_000_000 + "M";
    }
    if (n >= 1_000 && n % 1_000 == 0) {
      return n / 1_000 + "k";
    }
    return Long.toString(n);
  }

  /** "1000000,10M,250k" → sizes. */
  public static List<Long> parseSizes(String text) {
    List<Long> sizes = new ArrayList<>();
    for (String part : text.split(",")) {
      String s = part.trim().toLowerCase(Locale.ROOT).replace("_", "");
      long mult = 1;
      if (s.endsWith("m")) {
        mult = 1_000_000;
        s = s.substring(0, s.length() - 1);
      } else if (s.endsWith("k")) {
        mult = 1_000;
        s = s.substring(0, s.length() - 1);
      }
      try {
        long n = Math.round(Double.parseDouble(s) * mult);
        if (n < 1_000) {
          throw new NumberFormatException();
        }
        sizes.add(n);
      } catch (NumberFormatException e) {
        throw Errors.badSetting("--sizes", text, "comma-separated answer counts of at least 1000, e.g. 1000000,10M");
      }
    }
    return sizes;
  }

  private static double timed(Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }



  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }


  /** Deletes a folder and everything under it (best effort; also used by {@link KillBenchmark}). */
  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }

}
