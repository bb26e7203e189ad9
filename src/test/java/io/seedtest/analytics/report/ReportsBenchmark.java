package io.seedtest.analytics.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.ReportStorage;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.features.FeaturesTopicDaily;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.kpi.KpiTables;
import io.seedtest.analytics.kpi.StageTimes;
import io.seedtest.analytics.run.DateWindow;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The weekly-report benchmark (issue 14, docs/reports.md "Benchmark"): {@code bin/bench-reports
 * [--students N] [--work DIR]}. Synthesises a report week for N students in a lake (12 weekly_kpi
 * rows, 12 θ estimates, 4 topics on 3 days, 5 recent answers each; 1,200 calibrated items in 12
 * topics), starts the in-process S3 server (s3proxy, the tests' {@link InProcessS3}) and measures,
 * in one JVM: generate-weekly-reports end to end and per stage, its rerun with nothing changed, and
 * the floor: the same inputs collected to one plain Java thread that recommends, renders and PUTs
 * every report with the same classes and no Spark. Lives in test scope because s3proxy does.
 */
public final class ReportsBenchmark {
  static final LocalDate DAY = LocalDate.of(2026, 11, 29);
  static final int ITEMS = 1200;
  static final int TOPICS = 12;

  private ReportsBenchmark() {}

  public static void main(String[] args) throws Exception {
    long students = 100_000;
    Path work = Path.of("target/bench-reports");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--students" -> students = Long.parseLong(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--help", "-h" -> {
          System.out.println("bin/bench-reports [--students N (default 100000)] [--work DIR (default "
              + "target/bench-reports)]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
      }
    }
    System.out.println(run(students, work, SparkSettings.load(System.getenv()))); // the entry point: the environment read once, as SeedtestCli.main does
    System.exit(0);
  }

  static String run(long students, Path work, SparkSettings local) throws Exception {
    deleteTree(work);
    Files.createDirectories(work);
    SparkSession spark = SparkSessions.getOrCreate("seedtest bench-reports", local);
    Settings settings = new Settings(Optional.empty(), work.resolve("lake"), 30, 0.0, false, 2);
    long t0 = System.nanoTime();
    synthesize(spark, new Lake(work.resolve("lake")), students);
    double synthSeconds = (System.nanoTime() - t0) / 1e9;
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "bench-reports: %d students, master %s, week ending %s (lake "
        + "synthesised in %.1f s)%n", students, spark.sparkContext().master(), DAY, synthSeconds));
    try (InProcessS3 s3 = new InProcessS3(); PeakMemory memory = new PeakMemory()) {
      ReportStorage storage = s3.storage(InProcessS3.SECRET);
      Run first = runJob(spark, settings, storage);
      out.append(first.describe("first run (local)", students)).append('\n');
      Run again = runJob(spark, settings, storage);
      out.append(again.describe("rerun, nothing changed", students)).append('\n');
      double floor = floor(spark, settings, s3);
      double floorRate = students / floor;
      out.append(String.format(Locale.ROOT, "floor (one plain Java thread, no Spark: recommend, render, PUT): "
          + "%.1f s, %.1f reports/s%n", floor, floorRate));
      out.append(String.format(Locale.ROOT, "local vs floor: %.2fx (target >= 1.6x); report %.1f kB (target < 60 kB); "
          + "rerun / first run %.2f (target < 0.20)%n", (students / first.seconds) / floorRate,
          first.bytes / 1024.0 / students, again.seconds / first.seconds));
      out.append(memory.describe());
    }
    return out.toString();
  }

  record Run(double seconds, String stages, double renderSeconds, double storeSeconds, long bytes, long written,
      long unchanged, long skipped, long failed, double publishSeconds) {
    String describe(String what, long students) {
      return String.format(Locale.ROOT, "%s: %.1f s end to end, %.1f reports/s; %d written, %d unchanged, %d skipped, %d failed; "
          + "stages: %s, artifact + recommendation upsert %.1f s (%.1f reports/s); executor time render %.1f s, "
          + "upload %.1f s", what, seconds, students / seconds, written, unchanged, skipped, failed, stages, publishSeconds,
          students / Math.max(publishSeconds, 1e-9), renderSeconds, storeSeconds);
    }
  }

  private static Run runJob(SparkSession spark, Settings settings, ReportStorage storage) {
    List<StageTimes.Stage> times = new ArrayList<>();
    GenerateWeeklyReportsJob job = new GenerateWeeklyReportsJob(AttemptSource.from(settings), storage,
        ReportOptions.defaults(), times::add);
    long t0 = System.nanoTime();
    JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), DateWindow.day(DAY), false, false,
        "bench-reports", settings, spark, RunContext.NONE));
    double seconds = (System.nanoTime() - t0) / 1e9;
    StringBuilder stages = new StringBuilder();
    for (var s : times) {
      stages.append(stages.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f s", s.name(),
          s.seconds()));
    }
    return new Run(seconds, stages.toString(), job.renderSeconds(), job.storeSeconds(), job.totalBytes(),
        job.count(RenderReports.WRITTEN), job.count(RenderReports.UNCHANGED), job.count(RenderReports.SKIPPED),
        job.failed(),
        seconds - times.stream().mapToDouble(StageTimes.Stage::seconds).sum());
  }

  /** The same inputs, recommendations, templates, charts and PUTs in one thread with no Spark (timed from the first report). */
  private static double floor(SparkSession spark, Settings settings, InProcessS3 s3) {
    AttemptSource source = AttemptSource.from(settings);
    List<StudentWeek> weeks = new ArrayList<>();
    for (Row r : ReportInputs.students(spark, settings, source, DAY, List.of()).collectAsList()) {
      weeks.add(StudentWeek.fromRow(r));
    }
    Recommender recommender = new Recommender(ReportInputs.itemPool(spark, settings, source), 5);
    ReportStorage floorStorage = new ReportStorage("s3://" + InProcessS3.BUCKET + "/floor",
        s3.storage(InProcessS3.SECRET).endpoint(), "us-east-1", true, InProcessS3.KEY, InProcessS3.SECRET);
    ReportStore store = ReportStore.of(floorStorage);
    ReportRenderer renderer = ReportRenderer.shared();
    long t0 = System.nanoTime();
    try (ReportStore.Session session = store.open()) {
      for (StudentWeek s : weeks) {
        List<Recommendation> recs = recommender.recommend(s.theta(), s.thetaSe(), s.topics(), s.recentItems());
        byte[] html = renderer.render(s, recs, ReportLocale.KO);
        session.put(ReportStore.relativeKey(s.weekEnding(), s.userId(), ReportLocale.KO), html,
            RenderReports.sha256(html), false);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The report week's inputs for N students, in the shapes the job reads (ReportLake's, at scale). */
  static void synthesize(SparkSession spark, Lake lake, long n) {
    String day = "DATE'" + DAY + "'";
    Dataset<Row> users = spark.range(1, n + 1).withColumnRenamed("id", "user_id")
        .withColumn("theta0", expr("randn(11)"));
    Dataset<Row> weeks = users.withColumn("k", expr("explode(sequence(0, 11))"));
    lake.overwrite(weeks.selectExpr("user_id", "date_sub(" + day + ", 7 * k) AS week_ending",
        "0.4 + 0.4 * rand(1) AS a_t", "0.4 + 0.4 * rand(2) AS a_prev", "rand(3) AS e_t",
        "IF(rand(4) < 0.5, NULL, rand(5)) AS r_t", "0.05 * randn(6) AS i_t", "'theta' AS i_source",
        "rand(7) AS p_goal", "rand(8) AS s_churn", "theta0 + 1.0 AS target_theta", "'goal' AS target_source",
        "DATE'2027-03-01' AS goal_date", "theta0 + 0.02 * (12 - k) AS theta", "0.3D AS theta_se",
        "'calibrated' AS theta_source", "CAST(10 + 20 * rand(9) AS INT) AS attempts_7d",
        "CAST(10 + 20 * rand(10) AS INT) AS attempts_prev_7d"), KpiTables.WEEKLY_KPI);
    lake.overwrite(weeks.selectExpr("user_id",
        "CAST(date_sub(" + day + ", 7 * k) AS TIMESTAMP) + INTERVAL 20 HOURS AS as_of", "'calibration' AS source",
        "theta0 + 0.02 * (12 - k) + 0.1 * randn(12) AS theta", "0.3D + 0.01D * k AS theta_se"), IrtTables.ABILITY_HISTORY);
    lake.overwrite(users.withColumn("t", expr("explode(sequence(0, 3))")).withColumn("back",
            expr("explode(array(1, 9, 20))"))
        .selectExpr("user_id", "concat('topic_', CAST((user_id + t * 3) % " + TOPICS + " AS STRING)) AS topic",
            "'day' AS granularity", "date_sub(" + day + ", back) AS day", "5 AS attempts",
            "CAST(1 + floor(4 * rand(13)) AS INT) AS correct"), FeaturesTopicDaily.TABLE);
    Dataset<Row> items = spark.range(1, ITEMS + 1).withColumnRenamed("id", "item_id");
    lake.overwrite(items.selectExpr("item_id", "exp(0.3 * randn(14)) AS a", "randn(15) AS b",
        "0.1 + 0.15 * rand(16) AS c", "0.1D AS se_a", "0.15D AS se_b", "0.03D AS se_c", "true AS calibrated"),
        IrtTables.ITEM_PARAMS);
    lake.overwrite(items.selectExpr("item_id", "concat('topic_', CAST(item_id % " + TOPICS + " AS STRING)) AS topic"),
        Lake.ITEM_BANK);
    List<String> cols = new ArrayList<>();
    for (String f : Attempts.SCHEMA.fieldNames()) {
      cols.add(f);
    }
    lake.overwrite(users.withColumn("s", expr("explode(sequence(0, 4))"))
        .selectExpr("user_id * 5 + s AS " + Attempts.SCHEMA.fieldNames()[0], "user_id AS " + cols.get(1),
            "user_id AS " + cols.get(2), "CAST(s AS INT) AS " + cols.get(3),
            "CAST(1 + (user_id * 7 + s * 13) % " + ITEMS + " AS BIGINT) AS " + cols.get(4),
            "concat('topic_', CAST((1 + (user_id * 7 + s * 13) % " + ITEMS + ") % " + TOPICS + " AS STRING)) AS "
                + cols.get(5), "rand(17) < 0.6 AS " + cols.get(6), "30000.0 AS " + cols.get(7), "0 AS " + cols.get(8),
            "CAST(date_sub(" + day + ", 3) AS TIMESTAMP) + INTERVAL 10 HOURS AS " + cols.get(9),
            "CAST(date_sub(" + day + ", 3) AS TIMESTAMP) + INTERVAL 11 HOURS AS " + cols.get(10))
        .select(cols.stream().map(c -> col(c).cast(Attempts.SCHEMA.apply(c).dataType()))
            .toArray(org.apache.spark.sql.Column[]::new)), Lake.ATTEMPTS);
  }

  /** Peak heap used (sampled every 200 ms) and the process' peak RSS (VmHWM) over the runs. */
  private static final class PeakMemory implements AutoCloseable {
    private volatile boolean running = true;
    private volatile long peakHeap;
    private final Thread thread = new Thread(() -> {
      while (running) {
        peakHeap = Math.max(peakHeap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-reports-memory");

    PeakMemory() {
      thread.setDaemon(true);
      thread.start();
    }

    String describe() {
      String hwm = "?";
      try {
        hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
            .map(l -> l.replaceAll("\\D+", "")).findFirst().map(kb -> String.format(Locale.ROOT, "%.0f MB",
                Long.parseLong(kb) / 1024.0)).orElse("?");
      } catch (Exception e) {
        // not Linux: the heap figure stands alone
      }
      return String.format(Locale.ROOT, "peak memory: heap used %.0f MB (max %.0f MB), process RSS high-water %s%n",
          peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, hwm);
    }

    @Override
    public void close() {
      running = false;
    }
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (var s = Files.walk(p)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
  }
}
