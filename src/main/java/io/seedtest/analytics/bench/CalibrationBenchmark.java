package io.seedtest.analytics.bench;

import static org.apache.spark.sql.functions.col;

import io.seedtest.analytics.calibration.CalibrateIrtJob;
import io.seedtest.analytics.calibration.CalibrationOptions;
import io.seedtest.analytics.calibration.CalibrationReport;
import io.seedtest.analytics.calibration.DistributedResponses;
import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.calibration.WindowAnswers;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.LakeAttemptSource;
import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EStep;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.EmIteration;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.sim.GenerateJob;
import io.seedtest.analytics.sim.SimulationSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The calibration benchmark of issue 3 ("Numbers"), in one run (bin/bench-calibration):
 *
 * <ol>
 *   <li>generates the standard recovery sets with the simulator's RECOVERY mode into a temporary
 *       lake each: 20,000 students × 500 items × 60 answers (1.2M) and 100,000 × 2,000 × 60
 *       (6M);
 *   <li>runs calibrate-irt on each end to end, embedded (read the lake's answers, validate,
 *       calibrate 3PL with default priors, link, score every student, write five Delta tables and
 *       the ledger), timing the whole and its parts; scores recovery against the simulator's
 *       truth (and, for the 1.2M set, once more with priors off);
 *   <li>measures seconds per plain (unaccelerated) EM iteration on the same arrays four ways, each
 *       in a fresh JVM: the plain-Java {@link EmCalibration} on one thread (the floor) and with its
 *       E-step on two threads (what the cores give without Spark), the Spark EM on {@code local[1]}
 *       and on {@code local[2]};
 *   <li>the recovery table by answers per item (200 / 1,000 / 5,000: 500 items, 60 answers per
 *       student, 1,667 / 8,333 / 41,667 students), priors on and off;
 *   <li>peak memory (heap and RSS) of the main JVM and of the child JVMs;
 *   <li>the coverage of the standard errors' 95% intervals over simulated replications
 *       ({@link SeCoverage}).
 * </ol>
 *
 * The numbers are printed as Markdown and written to {@code <work>/report.md}.
 */
public final class CalibrationBenchmark {
  static final String PLAIN = "plain";
  static final String PLAIN_TWO_THREADS = "plain-2-threads";

  /** How many EM iterations the per-iteration measurements time (the first is not counted). */
  static final int SPEED_ITERATIONS = 11;
  /** EM iterations per untimed warm-up run, before the timed ones, in every mode alike (see {@link #speed}). */
  static final int WARM_UP_ITERATIONS = 8;
  /**
   * Warm-up runs repeat until at least this long has passed (JMH warms up 5 × 10 s by default): at
   * 10 s the JIT was still compiling Spark's job path during the first timed iterations of the 1.2M
   * set, measured with the JIT column and the event log (see {@link #speed}).
   */
  static final double WARM_UP_SECONDS = 20.0;
  static final String SPEED_PREFIX = "EM_SPEED ";

  public record Options(Path work, boolean quick, boolean keep, String commandLine) {}

  record DataSet(String name, int students, int items, int perStudent, long seed) {
    long answers() {
      return (long) students * perStudent;
    }

    SimulationSpec spec(LocalDate start) {
      return SimulationSpec.recovery(students, items, perStudent, seed).withWindow(start, 91);
    }
  }

  record EndToEnd(DataSet set, boolean priors, double seconds, double cpuSeconds, CalibrationReport report,
      RecoveryMetrics recovery, double heapPeakMb, double rssPeakMb) {}

  record Speed(String mode, double secondsPerIteration, double cpuPerIteration, double jitPerIteration, int iterations,
      int warmUpIterations, double buildSeconds, double heapPeakMb, double rssPeakMb) {}

  private final Options options;
  private final PrintStream out;
  private final LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(100);

  public CalibrationBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the benchmark; {@code local} configures its Spark session (as a job's, from the CLI's environment). */
  public void run(SparkSettings local) {
    List<DataSet> standard = options.quick()
        ? List.of(new DataSet("20k x 500", 20_000, 500, 60, 301L))
        : List.of(new DataSet("20k x 500", 20_000, 500, 60, 301L), new DataSet("100k x 2000", 100_000, 2_000, 60, 302L));
    List<DataSet> perItem = options.quick() ? List.of()
        : List.of(new DataSet("200/item", 1_667, 500, 60, 311L), new DataSet("1,000/item", 8_333, 500, 60, 312L),
            new DataSet("5,000/item", 41_667, 500, 60, 313L));
    SparkSession spark = SparkSessions.getOrCreate("seedtest bench-calibration", local);
    log("master %s, %d cores, driver heap max %.0f MB; work directory %s", spark.sparkContext().master(),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1048576.0, options.work());

    List<EndToEnd> runs = new ArrayList<>();
    List<List<Speed>> speeds = new ArrayList<>();
    for (DataSet set : standard) {
      Path lake = generate(spark, set);
      runs.add(endToEnd(spark, set, lake, true));
      if (set == standard.get(0)) {
        runs.add(endToEnd(spark, set, lake, false));
      }
      List<Speed> s = new ArrayList<>();
      for (String mode : List.of(PLAIN, PLAIN_TWO_THREADS, "local[1]", "local[2]")) {
        s.add(childSpeed(mode, lake, set));
      }
      speeds.add(s);
    }
    List<EndToEnd> table = new ArrayList<>();
    for (DataSet set : perItem) {
      Path lake = generate(spark, set);
      table.add(endToEnd(spark, set, lake, true));
      table.add(endToEnd(spark, set, lake, false));
    }
    int replications = options.quick() ? 50 : 200;
    log("standard-error coverage: %d replications per model", replications);
    String report = report(standard, runs, speeds, table)
        + "\n## Standard errors: 95% coverage of the true a, b, c\n\n" + SeCoverage.table(replications);
    out.println(report);
    try {
      Files.writeString(options.work().resolve("report.md"), report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!options.keep()) {
      deleteLakes(standard, perItem);
    }
  }

  private Path generate(SparkSession spark, DataSet set) {
    Path lake = options.work().resolve(set.name().replaceAll("[^A-Za-z0-9]+", "_"));
    long t0 = System.nanoTime();
    Settings settings = new Settings(Optional.empty(), lake, 30, 0.0, false, 4);
    new GenerateJob().run(spark, settings, set.spec(start), true);
    log("generated %s (%,d answers) into %s in %.1f s", set.name(), set.answers(), lake, seconds(t0));
    return lake;
  }

  private EndToEnd endToEnd(SparkSession spark, DataSet set, Path lake, boolean priors) {
    resetPeaks();
    Settings settings = new Settings(Optional.empty(), lake, 30, 0.0, false, 4);
    CalibrationOptions calibration = CalibrationOptions.defaults().withPriors(priors);
    CalibrationReport[] computed = new CalibrationReport[1];
    CalibrateIrtJob job = new CalibrateIrtJob(new LakeAttemptSource(new Lake(lake)), calibration,
        report -> computed[0] = report);
    LocalDate asOf = set.spec(start).endDay();
    long t0 = System.nanoTime();
    double cpu0 = cpuSeconds();
    JobRunner.run(job, new RunContext(UUID.randomUUID(), CalibrateIrtJob.NAME, DateWindow.day(asOf), false, false,
        "bench-calibration", settings, spark, RunContext.NONE));
    double total = seconds(t0);
    double cpu = cpuSeconds() - cpu0;
    double heap = heapPeakMb();
    double rss = vmHwmMb();
    CalibrationReport report = computed[0];
    Lake l = new Lake(lake);
    Dataset<Row> items = l.read(spark, IrtTables.ITEM_PARAMS_HISTORY)
        .where(col("calibration_id").equalTo(report.calibrationId()));
    Dataset<Row> abilities = l.read(spark, IrtTables.ABILITY_HISTORY)
        .where(col("calibration_id").equalTo(report.calibrationId()));
    RecoveryMetrics m = RecoveryMetrics.of(items, l.read(spark, "sim_items"), abilities,
        l.read(spark, "sim_students"), "theta0");
    log("%s, priors %s: %.1f s end to end, %d iterations (%s), %.3f s/iteration; %s", set.name(),
        priors ? "on" : "off", total, report.result().iterations(), report.result().converged() ? "converged"
            : "NOT converged", report.secondsPerIteration(), m);
    return new EndToEnd(set, priors, total, cpu, report, m, heap, rss);
  }

  /** Runs {@link #speed} in a fresh JVM (same classpath and flags) and parses its result line. */
  private Speed childSpeed(String mode, Path lake, DataSet set) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildJvm.CLI_MAIN);
    command.addAll(List.of("bench-calibration", "--em-speed", mode, "--lake", lake.toString(), "--as-of",
        set.spec(start).endDay().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SPARK_MASTER", mode.startsWith(PLAIN) ? "local[1]" : mode);
    pb.environment().remove(Settings.DATABASE_URL);
    long t0 = System.nanoTime();
    try {
      Process p = pb.start();
      String result = null;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith(SPEED_PREFIX)) {
            result = line.substring(SPEED_PREFIX.length());
          }
        }
      }
      int code = p.waitFor();
      if (code != 0 || result == null) {
        throw new IllegalStateException("the " + mode + " speed run on " + set.name() + " failed (exit " + code + ")");
      }
      Map<String, String> f = java.util.Arrays.stream(result.split(" ")).map(kv -> kv.split("=", 2))
          .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
      Speed s = new Speed(mode, Double.parseDouble(f.get("s_per_iteration")),
          Double.parseDouble(f.get("cpu_per_iteration")), Double.parseDouble(f.get("jit_per_iteration")),
          Integer.parseInt(f.get("iterations")), Integer.parseInt(f.get("warm_up_iterations")),
          Double.parseDouble(f.get("build_s")), Double.parseDouble(f.get("heap_mb")), Double.parseDouble(f.get("rss_mb")));
      log("%s: EM on %s: %.3f s/iteration (over iterations 2..%d, after %d warm-up iterations; arrays built in "
              + "%.1f s; JVM total %.1f s)", set.name(), mode, s.secondsPerIteration(), s.iterations(),
          s.warmUpIterations(), s.buildSeconds(), seconds(t0));
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The child side: builds the arrays from the lake exactly as the job does, repeats untimed
   * {@value #WARM_UP_ITERATIONS}-iteration EM runs until {@value #WARM_UP_SECONDS} s have passed, then
   * times {@value #SPEED_ITERATIONS} EM iterations (3PL, default priors) with the Spark E-step, or, for
   * mode "plain", with the single-threaded {@link EStep#local} over the same arrays collected to the
   * driver (mode "plain-2-threads": the same on two threads, {@link EStep#local(Responses, int)}).
   * Prints one {@value #SPEED_PREFIX} line.
   */
  public static void speed(String mode, Path lake, LocalDate asOf, SparkSettings local, PrintStream out) {
    SparkSession spark = SparkSessions.getOrCreate("seedtest bench-calibration " + mode, local);
    resetPeaks();
    CalibrationOptions options = CalibrationOptions.defaults().withMaxIterations(SPEED_ITERATIONS);
    DateWindow window = options.observationWindow(DateWindow.day(asOf));
    AttemptSource source = new LakeAttemptSource(new Lake(lake));
    long t0 = System.nanoTime();
    int partitions = CalibrateIrtJob.partitions(spark);
    WindowAnswers answers = WindowAnswers.read(spark, source, window, Instant.now(), partitions);
    try (DistributedResponses data = DistributedResponses.build(answers.checked(), options.minAnswers(),
        partitions)) {
      EStep eStep = data;
      if (mode.equals(PLAIN)) {
        eStep = EStep.local(data.collect());
      } else if (mode.equals(PLAIN_TWO_THREADS)) {
        eStep = EStep.local(data.collect(), 2);
      }
      double build = seconds(t0);
      List<EmIteration> progress = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      List<Double> jit = new ArrayList<>();
      // plain EM steps, one E-step each: this measures the cost of an iteration, not the acceleration
      CalibrationSettings settings = options.settings().withAcceleration(false);
      int mStepThreads = mode.equals(PLAIN) ? 1
          : mode.equals(PLAIN_TWO_THREADS) ? 2 : CalibrateIrtJob.mStepThreads(spark);
      // Warm-up, as JMH does: the JIT compiles an iteration's code over its first runs, and for Spark
      // that is also the job, task, scheduler and serialization paths. Each of those runs a few times
      // per job, so they cross the compile thresholds only after dozens of jobs; until then C2 takes
      // most of a core from the two E-step tasks (measured with the JIT column below: 0.08-0.16 s of
      // compile per 0.1 s iteration after 8 warm-up iterations). Untimed runs first, in every mode
      // alike, so the figure is an iteration's steady cost; the end-to-end table keeps the whole job,
      // JIT included.
      long warmUp = System.nanoTime();
      int warmUpIterations = 0;
      do {
        warmUpIterations += new EmCalibration(settings.withMaxIterations(WARM_UP_ITERATIONS))
            .withParallelMStep(mStepThreads).run(eStep, null, EmIteration.Listener.NONE).iterations();
      } while (seconds(warmUp) < WARM_UP_SECONDS);
      // The read leaves gigabytes of garbage (rows, shuffle pages) that the collector would
      // otherwise clear during the first timed iterations, in one mode more than another: collect
      // it now, in every mode alike, so the figure is the iteration's own cost.
      System.gc();
      cpu.add(cpuSeconds());
      jit.add(jitSeconds());
      EmCalibration em = new EmCalibration(settings).withParallelMStep(mStepThreads);
      CalibrationResult r = em.run(eStep, null, p -> {
        progress.add(p);
        cpu.add(cpuSeconds());
        jit.add(jitSeconds());
      });
      double perIteration = progress.stream().skip(1).mapToDouble(EmIteration::seconds).average().orElse(Double.NaN);
      double cpuPerIteration = (cpu.get(cpu.size() - 1) - cpu.get(1)) / Math.max(1, progress.size() - 1);
      double jitPerIteration = (jit.get(jit.size() - 1) - jit.get(1)) / Math.max(1, progress.size() - 1);
      out.printf(Locale.ROOT, "%smode=%s s_per_iteration=%.5f cpu_per_iteration=%.5f jit_per_iteration=%.5f "
              + "iterations=%d warm_up_iterations=%d build_s=%.2f heap_mb=%.0f rss_mb=%.0f log_likelihood=%.6f%n",
          SPEED_PREFIX, mode, perIteration, cpuPerIteration, jitPerIteration, r.iterations(), warmUpIterations, build,
          heapPeakMb(), vmHwmMb(), r.logLikelihood());
    }
  }

  private String report(List<DataSet> standard, List<EndToEnd> runs, List<List<Speed>> speeds,
      List<EndToEnd> table) {
    StringBuilder b = new StringBuilder();
    b.append("# Calibration benchmark\n\n");
    b.append(String.format(Locale.ROOT, "`%s` on %s, %d cores, driver heap max %.0f MB, %s (UTC).%n%n",
        options.commandLine(), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1048576.0, Instant.now()));
    b.append(String.format(Locale.ROOT, "System load average at the end: %.1f (a 2-core machine shared with other "
        + "work; CPU seconds are given beside wall times because they depend far less on the load).%n%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    b.append("Standard recovery design (simulator RECOVERY mode): θ ~ N(0,1), a ~ logN(0, 0.25²), b ~ N(0,1), "
        + "c ~ U(.10,.25), 60 random items per student; 3PL, 61 nodes on [-6, 6].\n\n");
    b.append("## End to end (calibrate-irt, embedded: lake in, lake out), local[2]\n\n");
    b.append("| set | answers | priors | total s | CPU s | read s | EM s | score s | write s | iterations | converged "
        + "| s/iteration | E-step s | heap peak MB | RSS peak MB |\n");
    b.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
    for (EndToEnd e : runs) {
      CalibrationReport r = e.report();
      b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s | %.3f "
              + "| %.1f | %.0f | %.0f |%n", e.set().name(), r.answers(), e.priors() ? "on" : "off", e.seconds(),
          e.cpuSeconds(),
          r.secondsRead(), r.secondsEm(), r.secondsScoring(), e.seconds() - r.secondsTotal(),
          r.result().iterations(), r.result().converged(), r.secondsPerIteration(), r.secondsEStep(),
          e.heapPeakMb(), e.rssPeakMb()));
    }
    b.append(String.format(Locale.ROOT, "%n## Seconds per EM iteration on the same arrays (fresh JVM each; untimed "
        + "%d-iteration warm-up runs for at least %.0f s, then the mean of iterations 2..%d)%n%n", WARM_UP_ITERATIONS,
        WARM_UP_SECONDS, SPEED_ITERATIONS));
    b.append("| set | plain Java, 1 thread (floor) | plain Java, 2 threads | Spark local[1] | Spark local[2] "
        + "| local[2] vs floor | local[1] → local[2] speed-up | plain 1 → 2 threads speed-up "
        + "| CPU s/iteration (plain, plain ×2, local[1], local[2]) "
        + "| JIT compile s/iteration (plain, plain ×2, local[1], local[2]) "
        + "| warm-up iterations (plain, plain ×2, local[1], local[2]) "
        + "| heap / RSS peak MB (plain, plain ×2, local[1], local[2]) |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|\n");
    for (int i = 0; i < speeds.size(); i++) {
      List<Speed> s = speeds.get(i);
      double plain = s.get(0).secondsPerIteration();
      double plain2 = s.get(1).secondsPerIteration();
      double local1 = s.get(2).secondsPerIteration();
      double local2 = s.get(3).secondsPerIteration();
      b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.2f× | %.2f× | %.2f× | %s | %s | %s | %s |%n",
          standard.get(i).name(), plain, plain2, local1, local2, plain / local2, local1 / local2, plain / plain2,
          s.stream().map(x -> String.format(Locale.ROOT, "%.3f", x.cpuPerIteration()))
              .collect(Collectors.joining(", ")),
          s.stream().map(x -> String.format(Locale.ROOT, "%.3f", x.jitPerIteration()))
              .collect(Collectors.joining(", ")),
          s.stream().map(x -> Integer.toString(x.warmUpIterations())).collect(Collectors.joining(", ")),
          s.stream().map(x -> String.format(Locale.ROOT, "%.0f/%.0f", x.heapPeakMb(), x.rssPeakMb()))
              .collect(Collectors.joining(", "))));
    }
    b.append("\nPlain Java on 2 threads is the same EM over the same arrays with the E-step split between two "
        + "threads and no Spark (EStep.local(arrays, 2)): what this machine's two cores give the kernel. The gap "
        + "from it to local[2] is Spark's per-iteration cost (job launch, task results, merge); the gap from "
        + "it to 2× is the hardware's (two cores sharing caches and memory bandwidth).\n");
    b.append("\n## Recovery\n\n");
    b.append("| set | answers/item | priors | RMSE a | RMSE b | RMSE c | corr(EAP θ, θ) | 95% coverage | iterations |\n");
    b.append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    List<EndToEnd> all = new ArrayList<>(runs);
    all.addAll(table);
    for (EndToEnd e : all) {
      RecoveryMetrics m = e.recovery();
      b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.3f | %.3f | %.3f | %.3f | %.1f%% | %d |%n",
          e.set().name(), e.set().answers() / e.set().items(), e.priors() ? "on" : "off", m.rmseA(), m.rmseB(),
          m.rmseC(), m.corrTheta(), 100 * m.coverage95(), e.report().result().iterations()));
    }
    b.append("\nTargets (issue 3): local[2] iteration at least as fast as the floor; local[1] → local[2] ≥ 1.7×; "
        + "6M end to end < 30 s; at 20k × 500 with priors RMSE(a) ≤ .12, RMSE(b) ≤ .17, RMSE(c) ≤ .05, "
        + "corr ≥ .93, coverage 93–97%.\n");
    return b.toString();
  }

  private void deleteLakes(List<DataSet> standard, List<DataSet> perItem) {
    for (DataSet set : java.util.stream.Stream.concat(standard.stream(), perItem.stream()).toList()) {
      Path lake = options.work().resolve(set.name().replaceAll("[^A-Za-z0-9]+", "_"));
      try (var paths = Files.walk(lake)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log("could not delete %s: %s", lake, e.getMessage());
      }
    }
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux, or not allowed: VmHWM then covers the whole process
    }
  }

  /** Sum of the heap pools' peak usage since the last reset (includes garbage not yet collected). */
  private static double heapPeakMb() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
  }

  /** The JIT compilers' accumulated time in this JVM. */
  private static double jitSeconds() {
    return ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
  }

  /** CPU seconds used by this process so far (all threads). */
  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /** Peak resident set size of this process (Linux VmHWM), NaN elsewhere. */
  private static double vmHwmMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  private void log(String format, Object... args) {
    out.printf(Locale.ROOT, "bench-calibration: " + format + "%n", args);
    out.flush();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
