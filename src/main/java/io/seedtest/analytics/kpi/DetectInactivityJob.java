package io.seedtest.analytics.kpi;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.attempts.AnswerTally;
import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.Quarantine;
import io.seedtest.analytics.io.ServingTables;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Workstream F, the event trigger (hourly): finds the students whose last activity has just
 * crossed 7 days and those who came back after such a gap ({@link InactivityEvents}, over the
 * last {@value InactivityEvents#DETECTION_HOURS} hours), keeps the events not recorded yet, records
 * them in inactivity_events, and recomputes at once the KPIs, P and S included, of exactly the
 * students with a new event, for the run's day t (default: today, UTC), through
 * {@link KpiPipeline} — the nightly job's own code, with inputs cut at the run's clock. A run's
 * work is proportional to the new events: an hour with none reads the window and stops.
 *
 * <p>The trigger and the nightly run never produce two different rows for one key: the trigger's
 * row of (student, t) is provisional (computed_by = 'trigger'), computed as the nightly run for t
 * computes it — same transforms, same population priors, and, once the previous night's run has
 * finished, the same churn model (the one serving t; the trigger never trains one) — on the data
 * available so far. The nightly run for t, which sees the whole day, replaces it (with identical
 * values when nothing arrived after the trigger ran), and the trigger never writes a key the
 * nightly run has written. Quarantine is left to the nightly run of each day (bad answers are
 * recorded once, by the run that owns their day).
 */
public final class DetectInactivityJob implements Job {
  public static final String NAME = "detect-inactivity";

  private final AttemptSource source;
  private final Clock clock;
  private String report = "";
  private final StageTimes.Listener stages;

  public DetectInactivityJob(AttemptSource source) {
    this(source, Clock.systemUTC());
  }

  /** With a clock, so tests can run "at" a given instant. */
  public DetectInactivityJob(AttemptSource source, Clock clock) {
    this(source, clock, StageTimes.Listener.NONE);
  }

  /** With a stage hook too: the benchmark times each stage of a run. */
  public DetectInactivityJob(AttemptSource source, Clock clock, StageTimes.Listener stages) {
    this.source = source;
    this.clock = clock;
    this.stages = stages;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String report() {
    return report;
  }

  @Override
  public JobResult run(RunContext ctx) {
    if (ctx.window().days() != 1) {
      throw Errors.badWindow(NAME + " runs for one day (--date), not a range");
    }
    StageTimes times = new StageTimes(stages);
    SparkSession spark = ctx.spark();
    LocalDate t = ctx.window().to();
    Instant now = clock.instant();
    KpiParams p = KpiParams.trigger(t, now, ctx.settings());
    String runId = ctx.runId().toString();
    int span = Math.max(p.lookbackDays(), 14);
    LocalDate readFrom = t.minusDays(span + 2L);
    Instant readTo = KpiParams.startOf(t.plusDays(2));
    readTo = readTo.isAfter(now) ? now.plusSeconds(1) : readTo;

    Dataset<Row> attempts = source.finishedBetween(spark, KpiParams.startOf(readFrom), readTo)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> bank = source.itemBank(spark).cache();
    AttemptValidation.Split split = AttemptValidation.split(attempts, bank, !bank.isEmpty(), now);
    // a valid answer always has its time; a rejected one may not, and still belongs to its day
    org.apache.spark.sql.Column inWindow = col(Attempts.ANSWERED_AT).isNull()
        .or(col(Attempts.ANSWERED_AT).lt(lit(Timestamp.from(p.cutoff()))))
        .and(col(AttemptValidation.EVENT_DAY).between(Date.valueOf(readFrom), Date.valueOf(t)));
    Dataset<Row> valid = split.valid().where(inWindow).persist(StorageLevel.MEMORY_AND_DISK());
    // The trigger writes no quarantine rows (the nightly runs of those days own them), but it
    // accounts for every answer it read all the same.
    AnswerTally tally = AnswerTally.of(split.verdicts(), inWindow);

    Instant windowStart = InactivityEvents.windowStart(p.cutoff());
    Dataset<Row> recorded = ServingTables.readIfExists(spark, ctx.settings(), KpiTables.INACTIVITY_EVENTS)
        .map(e -> e.where(col("event_day").geq(lit(Date.valueOf(windowStart.atZone(ZoneOffset.UTC).toLocalDate())))))
        .orElse(null);
    Dataset<Row> events = InactivityEvents.newEvents(InactivityEvents.detect(valid, windowStart, p.cutoff()), recorded)
        .withColumn("detected_at", lit(Timestamp.from(now)))
        .withColumn("run_id", lit(runId));
    events = KpiPipeline.conform(events, KpiTables.INACTIVITY_EVENTS_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    long eventCount = events.count();
    times.mark("read, validate, detect (" + eventCount + " new events)");
    Dataset<Row> students = events.select("user_id").distinct();
    Dataset<Row> finalRows = KpiInputs.weeklyKpi(spark, ctx.settings())
        .map(k -> k.where(col("week_ending").equalTo(lit(Date.valueOf(t)))
            .and(col("computed_by").equalTo(lit(KpiTables.COMPUTED_BY_DAILY)))).select("user_id"))
        .orElse(null);
    Dataset<Row> targets = finalRows == null ? students : students.join(finalRows, new String[] {"user_id"}, "left_anti");
    targets = targets.persist(StorageLevel.MEMORY_AND_DISK());
    long studentCount = students.count();
    long targetCount = targets.count();

    Dataset<Row> history = KpiInputs.abilityHistory(spark, ctx.settings());
    Dataset<Row> goals = KpiInputs.goals(spark, ctx.settings());
    // every student's days feed the population priors; topics only feed the targets' own
    // retention, so only their answers are folded (a broadcast of the few recomputed ids)
    Dataset<Row> targetAnswers = valid.join(broadcast(targets), new String[] {"user_id"}, "left_semi");
    KpiPipeline.Inputs inputs = new KpiPipeline.Inputs(ActivityDays.userDays(valid),
        ActivityDays.topicDays(targetAnswers), history, goals);
    ChurnModel model = ChurnModels.load(spark, ctx.settings()).newestFor(t).orElse(null);
    Dataset<Row> kpis = targetCount == 0 ? spark.createDataFrame(List.of(), KpiTables.WEEKLY_KPI_SCHEMA)
        : KpiPipeline.weeklyKpi(spark, inputs, p, model, targets, runId).persist(StorageLevel.MEMORY_AND_DISK());

    long rows = kpis.count();
    times.mark("KPIs of " + rows + " students");
    List<Row> byType = events.groupBy("event_type").count().orderBy("event_type").collectAsList();
    // the distribution is what --dry-run prints; a scheduled run only logs the summary line
    report = rows == 0 || !ctx.dryRun() ? ""
        : KpiDistribution.describe(kpis, KpiTables.WEEKLY_KPI + " " + t + " (trigger)");
    String summary = String.format("new events in [%s, %s): %s; %d students recomputed for %s (%d already final), model %s",
        windowStart, p.cutoff(), byType.isEmpty() ? "none" : byType.stream().map(r -> r.getString(0) + "=" + r.getLong(1))
            .reduce((a, b) -> a + ", " + b).orElse(""),
        rows, t, studentCount - targetCount, model == null ? "none" : model.version())
        + "; " + tally.line() + " (quarantine rows are the nightly runs')" + "; stages: " + times;
    Dataset<Row> noQuarantine = spark.createDataFrame(List.of(), Quarantine.SCHEMA);
    List<Dataset<Row>> persisted = new ArrayList<>(List.of(attempts, bank, split.verdicts(), valid, events, targets,
        kpis));
    return new JobResult(List.of(new Output(KpiTables.INACTIVITY_EVENTS_SPEC, events, null),
        new Output(KpiTables.WEEKLY_KPI_TRIGGER_SPEC, kpis, null)), noQuarantine, valid.count(), summary, persisted);
  }
}
