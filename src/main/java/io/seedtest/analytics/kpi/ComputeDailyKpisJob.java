package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.col;

import io.seedtest.analytics.attempts.AnswerTally;
import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workstream D: every morning, one weekly_kpi row per student with answers in the
 * {@code KPI_LOOKBACK_DAYS} days ending on the run's day t (default yesterday, UTC): A_t, I_t,
 * E_t, R_t, P, S and what they were computed from (docs/metrics.md, "KPIs").
 *
 * <p>The recipe: read the answers the KPIs and the churn model need (the lookback window, and
 * the model's labelled weeks before it), validate them, fold them into student-days; read the
 * ability history and the goals; make sure the churn model serving t exists (train it if not);
 * compute the rows ({@link KpiPipeline}); train the model serving t + 1 (outcomes through t are
 * now known) so the trigger has it tomorrow. Outputs: weekly_kpi (the run owns day t: rows of t
 * it did not produce are removed), new churn_models rows, and the quarantined answers of day t
 * (each bad answer is quarantined by the run of its own day, once). A range --from/--to computes
 * each day in order in one run (one transaction).
 */
public final class ComputeDailyKpisJob implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(ComputeDailyKpisJob.class);
  public static final String NAME = "compute-daily-kpis";

  private final AttemptSource source;
  private String report = "";
  private final StageTimes.Listener stages;

  public ComputeDailyKpisJob(AttemptSource source) {
    this(source, StageTimes.Listener.NONE);
  }

  /** With a stage hook: the benchmark times each stage of a run (up to the hand-over to the publisher). */
  public ComputeDailyKpisJob(AttemptSource source, StageTimes.Listener stages) {
    this.source = source;
    this.stages = stages;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The distribution of every KPI of the last run (what --dry-run prints). */
  @Override
  public String report() {
    return report;
  }

  @Override
  public JobResult run(RunContext ctx) {
    StageTimes times = new StageTimes(stages);
    DateWindow w = ctx.window();
    SparkSession spark = ctx.spark();
    Instant now = Instant.now();
    String runId = ctx.runId().toString();
    int lookback = ctx.settings().kpiLookbackDays();
    ChurnModels models = ChurnModels.load(spark, ctx.settings());

    LocalDate readFrom = readFrom(w, lookback, models);
    Dataset<Row> attempts = source.finishedBetween(spark, KpiParams.startOf(readFrom),
        KpiParams.startOf(w.to().plusDays(2))).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> bank = source.itemBank(spark).cache();
    boolean checkItems = !bank.isEmpty();
    AttemptValidation.Split split = AttemptValidation.split(attempts, bank, checkItems, now);
    Column inWindow = col(AttemptValidation.EVENT_DAY).between(Date.valueOf(w.from()), Date.valueOf(w.to()));
    AnswerTally tally = AnswerTally.of(split.verdicts(), inWindow);
    tally.requireShareAtMost(ctx.settings().maxQuarantineShare(), NAME, split.quarantined().where(inWindow));
    Dataset<Row> valid = split.valid()
        .where(col(AttemptValidation.EVENT_DAY).between(Date.valueOf(readFrom), Date.valueOf(w.to())));
    Dataset<Row> userDays = ActivityDays.userDays(valid).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> topicDays = ActivityDays.topicDays(valid).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> history = persisted(KpiInputs.abilityHistory(spark, ctx.settings()));
    Dataset<Row> goals = persisted(KpiInputs.goals(spark, ctx.settings()));
    KpiPipeline.Inputs inputs = new KpiPipeline.Inputs(userDays, topicDays, history, goals);
    long userDayRows = userDays.count();
    times.mark("read, validate, fold into student-days (" + userDayRows + ")");
    if (history != null) {
      times.mark("ability history (" + history.count() + " rows)");
    }

    List<ChurnModel> trained = new ArrayList<>();
    double gain = ctx.settings().churnMinAucGain();
    List<Dataset<Row>> persisted = new ArrayList<>(List.of(attempts, bank, split.verdicts(), userDays, topicDays));
    Dataset<Row> kpis = null;
    for (LocalDate t = w.from(); !t.isAfter(w.to()); t = t.plusDays(1)) {
      ChurnModel model = modelServing(spark, inputs, models, t, lookback, now, trained, times, gain);
      Dataset<Row> day = KpiPipeline.weeklyKpi(spark, inputs, KpiParams.daily(t, ctx.settings()), model, null, runId)
          .persist(StorageLevel.MEMORY_AND_DISK());
      persisted.add(day);
      times.mark("KPIs for " + t + " (" + day.count() + " students)");
      kpis = kpis == null ? day : kpis.unionByName(day);
      modelServing(spark, inputs, models, t.plusDays(1), lookback, now, trained, times, gain);
    }
    kpis = kpis.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> modelRows = spark.createDataFrame(trained.stream().map(m -> m.toRow(runId)).toList(),
        KpiTables.CHURN_MODELS_SCHEMA).cache();
    Dataset<Row> quarantine = AttemptValidation.quarantineRows(split.quarantined().where(inWindow),
        ctx.runId(), NAME, now).persist(StorageLevel.MEMORY_AND_DISK());

    long students = kpis.count();
    Row sum = userDays.agg(org.apache.spark.sql.functions.sum("answers")).first();
    long answers = sum.isNullAt(0) ? 0 : sum.getLong(0);
    report = KpiDistribution.describe(kpis, KpiTables.WEEKLY_KPI + " " + w);
    times.mark("quarantine and summary");
    LOG.info("{} {}: stages: {}\n{}", NAME, w, times, report);
    String summary = String.format("%s; %d students -> %s for %s (%d valid answers from %s on, %d new churn model%s%s;"
            + " source %s)", tally.line(), students, KpiTables.WEEKLY_KPI, w, answers, readFrom, trained.size(), trained.size() == 1 ? "" : "s",
        trained.isEmpty() ? "" : ": " + trained.stream().map(ChurnModel::toString).reduce((a, b) -> a + "; " + b).orElse(""),
        source.describe());
    persisted.addAll(List.of(kpis, modelRows, quarantine));
    if (history != null) {
      persisted.add(history);
    }
    if (goals != null) {
      persisted.add(goals);
    }
    return new JobResult(List.of(new Output(KpiTables.WEEKLY_KPI_SPEC, kpis, w),
        new Output(KpiTables.CHURN_MODELS_SPEC, modelRows, null)), quarantine, tally.read(), summary, persisted);
  }

  /**
   * The first day to read: the lookback window (at least 14 days, for A_{t−1}) before the first
   * day, and, for each churn model this run may have to train, the same window before its oldest
   * labelled week.
   */
  static LocalDate readFrom(DateWindow w, int lookback, ChurnModels models) {
    int span = Math.max(lookback, 14);
    LocalDate from = w.from().minusDays(span - 1L);
    for (LocalDate t = w.from(); !t.isAfter(w.to().plusDays(1)); t = t.plusDays(1)) {
      if (models.servingFrom(t).isEmpty()) {
        List<LocalDate> weeks = ChurnTraining.weeksFor(t);
        LocalDate oldest = weeks.get(weeks.size() - 1).minusDays(span - 1L);
        from = oldest.isBefore(from) ? oldest : from;
      }
    }
    return from;
  }

  /** The model serving {@code day}: the registered one, else trained now (and recorded in {@code trained}). */
  private static ChurnModel modelServing(SparkSession spark, KpiPipeline.Inputs inputs, ChurnModels models,
      LocalDate day, int lookback, Instant now, List<ChurnModel> trained, StageTimes times, double minAucGain) {
    if (models.servingFrom(day).isPresent()) {
      return models.servingFrom(day).get();
    }
    long students = inputs.userDays().select("user_id").distinct().count();
    double share = ChurnTrainingSample.share(students, ChurnTrainingSample.MAX_STUDENTS);
    KpiPipeline.Inputs sample = new KpiPipeline.Inputs(ChurnTrainingSample.of(inputs.userDays(), share),
        inputs.topicDays(), inputs.abilityHistory(), inputs.goals());
    ChurnModel m = ChurnTraining.train(
        KpiPipeline.churnTrainingRows(spark, sample, ChurnTraining.weeksFor(day), lookback), day, now, minAucGain);
    times.mark("train churn model serving " + day + (share < 1 ? String.format(java.util.Locale.ROOT,
        " (on %.1f %% of %d students)", 100 * share, students) : ""));
    if (m == null) {
      return models.newestFor(day).orElse(null);
    }
    models.add(m);
    trained.add(m);
    return m;
  }

  private static Dataset<Row> persisted(Dataset<Row> d) {
    return d == null ? null : d.persist(StorageLevel.MEMORY_AND_DISK());
  }
}
