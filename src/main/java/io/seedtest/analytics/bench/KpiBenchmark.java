package io.seedtest.analytics.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.to_date;

import io.seedtest.analytics.calibration.IrtTables;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.config.SparkSettings;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Lake;
import io.seedtest.analytics.io.LakeAttemptSource;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.job.SparkSessions;
import io.seedtest.analytics.kpi.AbilityTrend;
import io.seedtest.analytics.kpi.ActivityDays;
import io.seedtest.analytics.kpi.BinaryMetrics;
import io.seedtest.analytics.kpi.ChurnEvaluation;
import io.seedtest.analytics.kpi.ChurnModel;
import io.seedtest.analytics.kpi.ChurnTraining;
import io.seedtest.analytics.kpi.ComputeDailyKpisJob;
import io.seedtest.analytics.kpi.DetectInactivityJob;
import io.seedtest.analytics.kpi.GoalDistancePrior;
import io.seedtest.analytics.kpi.GoalProbability;
import io.seedtest.analytics.kpi.KpiParams;
import io.seedtest.analytics.kpi.KpiPipeline;
import io.seedtest.analytics.kpi.KpiTables;
import io.seedtest.analytics.kpi.StageTimes;
import io.seedtest.analytics.kpi.TrendDynamics;
import io.seedtest.analytics.kpi.TrendPrior;
import io.seedtest.analytics.run.DateWindow;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.sim.SimulatedData;
import io.seedtest.analytics.sim.SimulationSpec;
import io.seedtest.analytics.sim.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KPI benchmark (bin/bench-kpis; method and figures in docs/benchmarks.md (KPIs)).
 *
 * <p><b>Scale.</b> Simulated students (REALISTIC, sessions of 1–3 answers, so that a million
 * students fit this machine: the KPIs depend on days and accuracy, not on session length), sized so
 * that about {@code --population} of them have answers in the 30 days ending on the last simulated
 * day, written to a local Delta lake with their goals and a stand-in ability history
 * ({@link SimulatedTruth#abilityHistory}); then compute-daily-kpis end to end (read, validate, fold,
 * train the two churn models a first run trains, score, MERGE into the lake) with the time of each
 * stage; its rerun (the steady state minus the one training a night does); and the inactivity
 * trigger: a first run at 02:00 the next day (catching up a day of events), then the run at the
 * instant by which 1 % of the population has newly crossed the 7-day line.
 *
 * <p><b>Quality.</b> On separate, smaller simulations kept in memory: S out of time on several as-of
 * days ({@code --churn-students} over {@code --days} days ending 2026-12-01), each beside recency
 * alone, the activity rate alone and the true probability ({@link SimulatedTruth#churnProbabilities});
 * and P's ECE against who reached her goal, both settings.
 */
public final class KpiBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(KpiBenchmark.class);

  public record Options(long population, int days, long seed, Path work, boolean scale, boolean quality,
      int churnStudents, int goalStudents, Path report, double churnMinAucGain) {}

  private final Options o;
  private final StringBuilder out = new StringBuilder();

  public KpiBenchmark(Options o) {
    this.o = o;
  }

  /** Runs the benchmark; {@code local} configures its Spark session (as a job's, from the CLI's environment). */
  public void run(SparkSettings local) {
    SparkSession spark = SparkSessions.getOrCreate("seedtest bench-kpis", local);
    line("# bench-kpis " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, master "
        + spark.sparkContext().master() + ", heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, load "
        + load());
    if (o.scale()) {
      scale(spark);
    }
    if (o.quality()) {
      churnQuality(spark);
      goalQuality(spark);
    }
    try {
      Files.createDirectories(o.report().getParent());
      Files.writeString(o.report(), out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(out);
  }

  // ---------------------------------------------------------------------------------------- scale

  void scale(SparkSession spark) {
    LocalDate end = LocalDate.of(2026, 10, 31);
    LocalDate start = end.minusDays(o.days() - 1L);
    SimulationSpec base = SimulationSpec.realistic().withWindow(start, o.days()).withSessions(1.0, 1, 3)
        .withSeed(o.seed());
    SimulationSpec sample = base.withStudents(5000);
    long active = Simulator.generate(spark, sample).attempts()
        .where(col(Attempts.ANSWERED_AT).geq(lit(Timestamp.from(KpiParams.startOf(end.minusDays(29))))))
        .agg(countDistinct(col(Attempts.USER_ID))).first().getLong(0);
    int students = (int) Math.min(SimulationSpec.MAX_STUDENTS, Math.round(o.population() * 5000.0 / active));
    SimulationSpec spec = base.withStudents(students);
    line("");
    line("## Scale: " + students + " simulated students, " + o.days() + " days " + start + " .. " + end
        + " (sessions of 1–3 answers; " + String.format(Locale.ROOT, "%.1f", 100.0 * active / 5000)
        + " % of a 5,000-student sample answer in the last 30 days)");
    Path lakeDir = o.work().resolve("lake");
    Lake lake = new Lake(lakeDir);
    Settings settings = new Settings(Optional.empty(), lakeDir, 30, 0.0, false, 4)
        .withChurnMinAucGain(o.churnMinAucGain());
    SimulatedData data = Simulator.generate(spark, spec);
    line("");
    line("| generate (not part of the job) | seconds | rows |");
    line("|---|---:|---:|");
    timed("attempts -> lake (partitioned by day)", () -> {
      lake.overwrite(Lake.withDay(data.attempts()), Lake.ATTEMPTS, Lake.DAY);
      return lake.read(spark, Lake.ATTEMPTS).count();
    });
    timed("item_bank, goals -> lake", () -> {
      lake.overwrite(data.itemBank(), Lake.ITEM_BANK);
      lake.overwrite(data.goals(), KpiTables.GOALS);
      return lake.read(spark, KpiTables.GOALS).count();
    });
    timed("ability history (weekly stand-in) -> lake", () -> {
      lake.overwrite(SimulatedTruth.abilityHistory(data.truthStudentDays(), start, o.seed()), IrtTables.ABILITY_HISTORY);
      return lake.read(spark, IrtTables.ABILITY_HISTORY).count();
    });

    LakeAttemptSource source = new LakeAttemptSource(lake);
    // the stage hook of every job below; runJob empties it before each run
    List<StageTimes.Stage> stages = new ArrayList<>();
    ComputeDailyKpisJob daily = new ComputeDailyKpisJob(source, stages::add);
    JobResultTimes first = runJob(spark, settings, daily, DateWindow.day(end), stages);
    long population = lake.read(spark, KpiTables.WEEKLY_KPI).where(col("week_ending").equalTo(lit(Date.valueOf(end))))
        .count();
    line("");
    line("compute-daily-kpis --date " + end + ": **" + population + " students** (weekly_kpi rows), end to end **"
        + secs(first.total) + " s** (first run: trains the model serving " + end + " and the one serving "
        + end.plusDays(1) + ")");
    table(first);
    JobResultTimes rerun = runJob(spark, settings, daily, DateWindow.day(end), stages);
    line("");
    line("Rerun of the same day (both models exist: no training; MERGE rewrites nothing): **" + secs(rerun.total)
        + " s**. A nightly run in steady state = this + one training (the model serving tomorrow).");
    table(rerun);

    // the trigger: catch-up run at 02:00 the next day, then the run by which 1 % more have crossed
    Instant c0 = KpiParams.startOf(end.plusDays(1)).plusSeconds(2 * 3600);
    DetectInactivityJob catchUp = new DetectInactivityJob(source, Clock.fixed(c0, ZoneOffset.UTC), stages::add);
    JobResultTimes t0 = runJob(spark, settings, catchUp, DateWindow.day(end.plusDays(1)), stages);
    line("");
    line("detect-inactivity at " + c0 + " (first run: a day of events to catch up): **" + secs(t0.total) + " s** — "
        + t0.outcome.summary());
    long target = Math.max(1, population / 100);
    List<Row> crossings = lake.read(spark, Lake.ATTEMPTS)
        .where(col(Attempts.ANSWERED_AT).geq(lit(Timestamp.from(KpiParams.startOf(end.minusDays(29))))))
        .groupBy(col(Attempts.USER_ID)).agg(max(col(Attempts.ANSWERED_AT)).as("last"))
        .select(col("last").plus(org.apache.spark.sql.functions.expr("INTERVAL 7 DAYS")).as("crossing"))
        .where(col("crossing").geq(lit(Timestamp.from(c0))))
        .orderBy("crossing").limit((int) target).collectAsList();
    Instant c1 = crossings.get(crossings.size() - 1).getTimestamp(0).toInstant().plusSeconds(1);
    LocalDate day1 = c1.atZone(ZoneOffset.UTC).toLocalDate();
    DetectInactivityJob onePercent = new DetectInactivityJob(source, Clock.fixed(c1, ZoneOffset.UTC), stages::add);
    JobResultTimes t1 = runJob(spark, settings, onePercent, DateWindow.day(day1), stages);
    line("");
    line("detect-inactivity at " + c1 + ", when " + crossings.size() + " students (1 % of " + population
        + ") have crossed the 7-day line since the previous run: **" + secs(t1.total) + " s** — " + t1.outcome.summary());
    table(t1);
  }

  record JobResultTimes(double total, JobOutcome outcome, List<StageTimes.Stage> stages) {}

  /** Runs the job, whose stage hook adds to {@code hooked}: its stages, then the rest up to the end of the run. */
  JobResultTimes runJob(SparkSession spark, Settings settings, Job job, DateWindow w, List<StageTimes.Stage> hooked) {
    hooked.clear();
    long t0 = System.nanoTime();
    JobOutcome outcome = JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), w, false, false,
        "bench-kpis", settings, spark, RunContext.NONE));
    double total = (System.nanoTime() - t0) / 1e9;
    List<StageTimes.Stage> stages = new ArrayList<>(hooked);
    stages.add(new StageTimes.Stage("counts, publish (lake MERGE), ledger",
        total - hooked.stream().mapToDouble(StageTimes.Stage::seconds).sum()));
    return new JobResultTimes(total, outcome, stages);
  }

  void table(JobResultTimes r) {
    line("");
    line("| stage | seconds |");
    line("|---|---:|");
    for (StageTimes.Stage s : r.stages()) {
      line("| " + s.name() + " | " + secs(s.seconds()) + " |");
    }
    line("| **total** | **" + secs(r.total()) + "** |");
  }

  void timed(String what, Supplier<Long> step) {
    long t0 = System.nanoTime();
    long rows = step.get();
    line("| " + what + " | " + secs((System.nanoTime() - t0) / 1e9) + " | " + rows + " |");
  }

  // -------------------------------------------------------------------------------------- quality

  /** The as-of days S is scored on, as offsets back from the simulation's last day (each needs its following week). */
  static final int[] CHURN_AS_OF_OFFSETS = {14, 10, 7};

  /**
   * S out of time on every as-of day t of {@link #CHURN_AS_OF_OFFSETS}: the model serving t (trained
   * on outcomes known by t − 1, through the gate), scored on every student of t's population,
   * labelled by her activity in (t, t + 7], beside recency alone, her activity rate alone and the
   * simulator's true probability.
   */
  void churnQuality(SparkSession spark) {
    LocalDate end = LocalDate.of(2026, 12, 1);
    SimulationSpec spec = SimulationSpec.realistic().withStudents(o.churnStudents())
        .withWindow(end.minusDays(o.days() - 1L), o.days()).withSessions(1.0, 1, 3).withSeed(o.seed());
    long t0 = System.nanoTime();
    SimulatedData sim = Simulator.generate(spark, spec);
    Dataset<Row> userDays = ActivityDays.userDays(sim.attempts().withColumn("event_day", to_date(col("answered_at"))))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> days = sim.truthStudentDays().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> goals = sim.goals().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> history = SimulatedTruth.abilityHistory(days, spec.startDay(), o.seed())
        .persist(StorageLevel.MEMORY_AND_DISK());
    KpiPipeline.Inputs in = new KpiPipeline.Inputs(userDays, null, history, goals);
    List<LocalDate> asOf = new ArrayList<>();
    for (int k : CHURN_AS_OF_OFFSETS) {
      asOf.add(end.minusDays(k));
    }
    Dataset<Row> scoring = KpiPipeline.churnTrainingRows(spark, in, asOf, 30)
        .join(SimulatedTruth.churnProbabilities(sim.truthStudents(), days, goals, asOf),
            new String[] {"user_id", "as_of_day"})
        .persist(StorageLevel.MEMORY_AND_DISK());
    line("");
    line("## Quality of S: " + spec.students() + " students, " + spec.days() + " days " + spec.startDay() + " .. "
        + end + " (seed " + o.seed() + "); out of time: on day t the model serving t (trained on outcomes known by"
        + " t − 1, through the gate with margin " + o.churnMinAucGain() + "), every student of t's population, labelled"
        + " by her activity in (t, t + 7]");
    line("");
    line("| as-of | students | S served by | AUC of S | AUC of recency alone | AUC of activity rate alone"
        + " | AUC of the true probability | S − best baseline | true − S | ECE of S | Brier of S | ECE of true"
        + " | gate on t − 8: candidate vs best baseline |");
    line("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    int met = 0;
    for (LocalDate t : asOf) {
      long t1 = System.nanoTime();
      ChurnModel model = ChurnTraining.train(KpiPipeline.churnTrainingRows(spark, in, ChurnTraining.weeksFor(t), 30),
          t, Instant.now(), o.churnMinAucGain());
      if (model == null) {
        line("| " + t + " | no labelled week before it: no model (simulate more --days) |");
        continue;
      }
      Dataset<Row> day = scoring.where(col("as_of_day").equalTo(lit(Date.valueOf(t)))).withColumn("s", model.score())
          .cache();
      BinaryMetrics.Metrics sm = BinaryMetrics.of(day, "s", "label");
      BinaryMetrics.Metrics truth = BinaryMetrics.of(day, "p_true", "label");
      Double recency = BinaryMetrics.auc(day, "recency_days", "label");
      Double rate = BinaryMetrics.auc(day.withColumn("_r", col("f_activity_rate").multiply(-1.0)), "_r", "label");
      double best = Math.max(recency, rate);
      boolean ok = sm.auc() >= best + 0.02 && truth.auc() - sm.auc() <= 0.015 && sm.ece() <= 0.03;
      met += ok ? 1 : 0;
      line(String.format(Locale.ROOT, "| %s | %d | %s | **%.4f** | %.4f | %.4f | %.4f | %+.4f | %.4f | **%.4f** | %.4f"
              + " | %.4f | %s |", t, sm.n(), model.fallback() ? "recency buckets (gate: fallback)" : "logistic regression",
          sm.auc(), recency, rate, truth.auc(), sm.auc() - best, truth.auc() - sm.auc(), sm.ece(), sm.brier(),
          truth.ece(), gateFigures(model.evaluation())));
      LOG.info("churn quality {}: {} — {} s; gate {}", t, model, secs((System.nanoTime() - t1) / 1e9),
          model.evaluation());
      day.unpersist();
    }
    line("");
    line("Targets per day (AUC of S ≥ best single-feature baseline + 0.02, true − S ≤ 0.015, ECE ≤ 0.03): met on **"
        + met + " of " + asOf.size() + "** days — " + secs((System.nanoTime() - t0) / 1e9) + " s");
    scoring.unpersist();
    userDays.unpersist();
  }

  private static String gateFigures(ChurnEvaluation g) {
    if (g == null || g.candidateAuc() == null || g.baselineAuc() == null) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.4f vs %.4f (%s), %+.4f", g.candidateAuc(), g.baselineAuc(), g.baselineName(),
        g.candidateAuc() - g.baselineAuc());
  }

  void goalQuality(SparkSession spark) {
    SimulationSpec spec = SimulationSpec.realistic().withStudents(o.goalStudents())
        .withWindow(LocalDate.of(2026, 3, 1), 150).withSeed(o.seed() + 2);
    long t0 = System.nanoTime();
    SimulatedData sim = Simulator.generate(spark, spec);
    Dataset<Row> days = sim.truthStudentDays().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> goals = sim.goals().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> history = SimulatedTruth.abilityHistory(days, spec.startDay(), o.seed())
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> reached = SimulatedTruth.goalOutcomes(sim.truthStudents(), days, goals, spec.endDay())
        .persist(StorageLevel.MEMORY_AND_DISK());
    line("");
    line("## Quality of P: " + spec.students() + " students (default sessions), " + spec.days() + " days; P as of a"
        + " day for every student with an ability estimate and a goal date after it, within the simulation; reached ="
        + " true θ on the goal date ≥ target");
    line("");
    line("| as of | setting | students | reached | AUC | Brier | ECE (10 bins) | trend damping τ (days) |");
    line("|---|---|---:|---:|---:|---:|---:|---:|");
    List<Dataset<Row>> pooled = new ArrayList<>();
    for (int offset : List.of(75, 105)) {
      LocalDate t = spec.startDay().plusDays(offset);
      Instant cutoff = KpiParams.startOf(t.plusDays(1));
      Timestamp cut = Timestamp.from(cutoff);
      Dataset<Row> keys = history.where(col("as_of").lt(lit(cut))).select("user_id").distinct()
          .join(reached.where(col("goal_date").gt(lit(Date.valueOf(t)))).select("user_id"), "user_id")
          .withColumn("as_of_day", lit(Date.valueOf(t))).withColumn("_cutoff", lit(cut));
      Dataset<Row> state = KpiPipeline.withGoals(AbilityTrend.asOf(history, keys, 30), goals)
          .withColumn("attempts_window", lit(1)).withColumn("correct_window", lit(1))
          .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> noFallback = KpiPipeline.asOfDays(spark, List.of(t)).withColumn("_wn_p0", lit(0.6))
          .withColumn("_wn_m", lit(10.0));
      for (boolean bayes : List.of(true, false)) {
        TrendPrior prior = bayes ? TrendPrior.estimate(AbilityTrend.populationSlopes(history, cutoff, 30))
            : TrendPrior.DEFAULT;
        TrendDynamics dyn = TrendDynamics.estimate(history, cutoff, 30, bayes);
        GoalDistancePrior distance = bayes ? GoalDistancePrior.estimate(history, goals, cutoff) : GoalDistancePrior.NONE;
        Dataset<Row> p = GoalProbability.withGoalProbability(state, noFallback, 0.0, bayes, prior, dyn, distance)
            .join(reached.select("user_id", "reached"), "user_id").select("p_goal", "reached")
            .persist(StorageLevel.MEMORY_AND_DISK());
        BinaryMetrics.Metrics m = BinaryMetrics.of(p, "p_goal", "reached");
        line(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.4f | %.4f | **%.4f** | %.1f |", t,
            bayes ? "METRICS_USE_BAYESIAN=true" : "false", m.n(), m.positiveRate(), m.auc(), m.brier(), m.ece(),
            dyn.tau()));
        if (bayes) {
          pooled.add(p);
        }
      }
    }
    BinaryMetrics.Metrics all = BinaryMetrics.of(pooled.get(0).unionAll(pooled.get(1)), "p_goal", "reached");
    line("");
    line(String.format(Locale.ROOT, "Bayesian setting, both days pooled: n = %d, ECE **%.4f** (target ≤ 0.05), AUC %.4f"
        + " — %s s", all.n(), all.ece(), all.auc(), secs((System.nanoTime() - t0) / 1e9)));
  }

  void metricsRow(String name, BinaryMetrics.Metrics m) {
    line(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |", name, m.auc(), m.brier(), m.ece()));
  }

  // ---------------------------------------------------------------------------------------- utils

  void line(String s) {
    out.append(s).append('\n');
    LOG.info("bench-kpis: {}", s);
  }

  static String secs(double s) {
    return String.format(Locale.ROOT, "%.1f", s);
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
