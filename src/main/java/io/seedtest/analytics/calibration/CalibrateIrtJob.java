package io.seedtest.analytics.calibration;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.seedtest.analytics.attempts.AnswerTally;
import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.io.AttemptSource;
import io.seedtest.analytics.io.Output;
import io.seedtest.analytics.io.ServingTables;
import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.EmIteration;
import io.seedtest.analytics.irt.ItemFlags;
import io.seedtest.analytics.irt.ItemInformation;
import io.seedtest.analytics.irt.ItemMisfit;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.job.Job;
import io.seedtest.analytics.job.JobResult;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.DateWindow;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workstream B: the weekly IRT calibration. Reads the window's answers (default the 26 weeks
 * ending on the as-of day), validates them (bad rows to quarantine), keeps each student's first
 * answer to each item, calibrates the items by a distributed Bock–Aitkin EM, links the scale to
 * the previous calibration (Stocking–Lord), scores every student by EAP, and publishes
 * calibrations, mirt_item_params(+_history) and mirt_ability(+_history). docs/irt.md explains
 * every choice.
 *
 * <p>The recipe: {@link AttemptValidation#split} → {@link DistributedResponses#build} (answers
 * cached once as arrays) → {@link EmCalibration#run(io.seedtest.analytics.irt.EStep, ItemParams[],
 * EmIteration.Listener)} with the distributed E-step → {@link Linking#decide} → {@link
 * DistributedResponses#score} → outputs. A run is deterministic: the same window and the same
 * previous calibration give bit-identical rows, so a rerun changes nothing.
 */
public final class CalibrateIrtJob implements Job {
  public static final String NAME = "calibrate-irt";
  /** Spark conf key overriding the number of answer blocks (default: the default parallelism). */
  public static final String PARTITIONS_CONF = "spark.seedtest.calibration.partitions";

  private static final Logger LOG = LoggerFactory.getLogger(CalibrateIrtJob.class);

  private final AttemptSource source;
  private final CalibrationOptions options;
  private final Consumer<CalibrationReport> reports;

  public CalibrateIrtJob(AttemptSource source, CalibrationOptions options) {
    this(source, options, report -> {});
  }

  /**
   * With a hook given each run's report once it is computed (not when there is nothing to
   * calibrate): what the benchmark and tests read, so the job keeps no state between runs.
   */
  public CalibrateIrtJob(AttemptSource source, CalibrationOptions options, Consumer<CalibrationReport> reports) {
    this.source = source;
    this.options = options;
    this.reports = reports;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(RunContext ctx) {
    long t0 = System.nanoTime();
    SparkSession spark = ctx.spark();
    DateWindow window = options.observationWindow(ctx.window());
    String calibrationId = options.calibrationId(window);
    String model = CalibrationOptions.code(options.model());
    Instant now = Instant.now();
    LOG.info("{}: calibration {} ({}, priors {}, min answers {}, max iterations {}) over answers of {}",
        NAME, calibrationId, model, options.priors() ? "on" : "off", options.minAnswers(),
        options.maxIterations(), window);

    // 1. Read and validate.
    int partitions = partitions(spark);
    WindowAnswers answers = WindowAnswers.read(spark, source, window, now, partitions);
    Dataset<Row> bank = answers.bank();

    // 2. In the same pass: valid answers as cached arrays (items indexed on the driver), bad rows
    // to the quarantine.
    DistributedResponses data = DistributedResponses.build(answers.checked(), options.minAnswers(), partitions,
        options.rapidGuesses());
    Dataset<Row> rejected = data.takeQuarantined();
    Dataset<Row> quarantine = AttemptValidation.quarantineRows(rejected, ctx.runId(), NAME, now);
    long quarantined = quarantine.count();
    ItemIndex index = data.index();
    long validAnswers = data.validAnswers();
    tally(data, quarantined).requireShareAtMost(ctx.settings().maxQuarantineShare(), NAME, rejected);
    double secondsRead = seconds(t0);
    LOG.info("{}: {} valid answers in the window ({} repeats of an item by the same student and {} rapid "
            + "guesses not used), {} students, {} items of which {} have at least {} answers; {} quarantined; read in {} s",
        NAME, validAnswers, data.repeatedAnswers(), data.rapidGuesses(),
        data.students() + data.studentsWithoutCalibratedItems(), index.items(), index.eligible(), options.minAnswers(),
        quarantined, fmt(secondsRead));
    List<Dataset<Row>> persisted = new ArrayList<>(List.of(bank, rejected));
    if (data.students() == 0) {
      data.close();
      String why = index.items() == 0 ? "no valid answers in " + window
          : "no item has " + options.minAnswers() + " answers (" + index.items() + " items, "
              + validAnswers + " answers)";
      LOG.warn("{}: nothing to calibrate: {}; nothing written but the run's ledger and quarantine rows",
          NAME, why);
      return new JobResult(List.of(), quarantine, validAnswers + quarantined,
          "nothing to calibrate: " + why + "; " + tally(data, quarantined).line() + " (source " + source.describe()
              + ")", persisted);
    }

    try {
      return calibrate(ctx, data, window, calibrationId, model, quarantine, quarantined, persisted,
          secondsRead, t0);
    } finally {
      data.close();
    }
  }

  /** Where every answer read went: valid + quarantined + outside the window's days. */
  private static AnswerTally tally(DistributedResponses data, long quarantined) {
    return new AnswerTally(data.validAnswers() + quarantined + data.outsideWindow(), data.validAnswers(), quarantined);
  }

  private JobResult calibrate(RunContext ctx, DistributedResponses data, DateWindow window, String calibrationId,
      String model, Dataset<Row> quarantine, long quarantined, List<Dataset<Row>> persisted, double secondsRead,
      long t0) {
    SparkSession spark = ctx.spark();
    LocalDate asOf = window.to();
    ItemIndex index = data.index();
    long[] denseIds = index.eligibleIds();
    CalibrationSettings settings = options.settings();

    // 3. The EM, warm-started from the previous calibration's estimates on its own raw scale.
    Optional<PreviousCalibration> previous = PreviousCalibration.find(spark, ctx.settings(), asOf, model,
        options.scope(), index.itemIds());
    ItemParams[] start = warmStart(previous, denseIds);
    long tEm = System.nanoTime();
    List<EmIteration> progress = Collections.synchronizedList(new ArrayList<>());
    CalibrationResult result = new EmCalibration(settings).withParallelMStep(mStepThreads(spark)).run(data, start, p -> {
      progress.add(p);
      LOG.info("{}: EM iteration {}{}: log-likelihood {}, max change {}, log-posterior change {}{}, {} s",
          NAME, p.iteration(), Double.isNaN(p.extrapolation()) ? ""
              : String.format(" (after SQUAREM step %.1f, %s)", p.extrapolation(), p.extrapolationKept() ? "kept" : "not kept"),
          String.format("%.4f", p.logLikelihood()), String.format("%.2e", p.parameterChange()),
          String.format("%.2e", p.logPosteriorChange()),
          Double.isNaN(p.scaledGradient()) ? "" : ", gradient check " + String.format("%.2e", p.scaledGradient()),
          String.format("%.2f", p.seconds()));
    });
    double secondsEm = seconds(tEm);
    if (!Double.isFinite(result.logLikelihood())) {
      throw new IllegalStateException(NAME + ": the calibration produced a non-finite log-likelihood ("
          + result.logLikelihood() + "); nothing was written. Check the window's answers.");
    }
    if (result.converged()) {
      LOG.info("{}: converged after {} iterations ({} E-steps, {} of {} SQUAREM steps kept): log-likelihood {}, "
              + "max gradient {} (scaled {}), {} s",
          NAME, result.iterations(), result.eSteps(), result.extrapolationsKept(), result.extrapolations(),
          String.format("%.4f", result.logLikelihood()),
          String.format("%.2e", result.maxGradient()), String.format("%.2e", result.maxScaledGradient()),
          fmt(secondsEm));
    } else {
      LOG.warn("{}: *** NOT CONVERGED *** stopped at the iteration cap ({}) with max change {}, log-posterior "
              + "change {}, scaled gradient {}: the estimates are NOT at the maximum. They are written with "
              + "converged = false; rerun with a higher --max-iterations.",
          NAME, result.iterations(), String.format("%.2e", result.parameterChange()),
          String.format("%.2e", result.logLikelihoodChange()), String.format("%.2e", result.maxScaledGradient()));
    }

    ItemInformation layout = new ItemInformation(settings.model(), result.params(), settings.bounds());
    LOG.info("{}: standard errors from the observed information (Louis) of {} {} parameters", NAME,
        layout.isFull() ? "all" : "each item's own block of its", layout.size());
    // 4. Checks: an estimate that is not finite is flagged and not used, never written.
    ItemParams[] own = result.params().clone();
    String[] flags = new String[own.length];
    for (int d = 0; d < own.length; d++) {
      ItemParams p = own[d];
      if (!result.calibrated()[d]) {
        own[d] = ItemParams.notCalibrated();
        flags[d] = tooFew(result.answersPerItem()[d]);
      } else if (!Double.isFinite(p.a()) || !Double.isFinite(p.b()) || !Double.isFinite(p.c())) {
        LOG.warn("{}: item {} got a non-finite estimate (a={}, b={}, c={}): flagged, not used, not written",
            NAME, denseIds[d], p.a(), p.b(), p.c());
        own[d] = ItemParams.notCalibrated();
        flags[d] = "non_finite_estimate";
      } else {
        flags[d] = ItemFlags.of(p, settings.bounds(), options.model(), result.misfit()[d]);
      }
    }

    // 5. Linking to the previous calibration's scale, then scoring every student.
    // The drift test compares two calibrations' estimates, so it wants how far an estimate moves
    // between samples (the sandwich), not the posterior SE, which under priors is about 1.3× wider
    // (docs/irt.md, "Item drift"); the values are the same, so is the link.
    ItemParams[] sampled = own.clone();
    for (int d = 0; d < own.length; d++) {
      sampled[d] = own[d].isCalibrated() ? result.sampling()[d] : own[d];
    }
    Linking link = Linking.decide(previous, denseIds, sampled, options.driftFdr());
    if (link.method().equals(Linking.STOCKING_LORD) || link.method().equals(Linking.MEAN_SIGMA)) {
      LOG.info("{}: linked to {} by {} over {} of {} common items ({} purged as drifted): θ = {}·θ_own + {}", NAME,
          link.reference(), link.method(), link.anchorItems(), link.commonItems(), link.purgedItems(),
          String.format("%.4f", link.transform().a()), String.format("%.4f", link.transform().b()));
    } else if (link.method().equals(Linking.NONE_FIRST)) {
      LOG.info("{}: first calibration of {}: it defines the scale (θ ~ N(0, 1) in this window); calibrations of "
          + "other scopes are not linked to it", NAME, options.scopeName());
      if (options.scope() == null) {
        LOG.info("{}: (no --scope: the scope is this window's item bank; no earlier calibration without a scope "
            + "calibrated any of its {} items)", NAME, index.items());
      }
    } else if (link.method().equals(Linking.NONE_TOO_FEW)) {
      LOG.warn("{}: {} shares too few items with {} (the latest earlier calibration of {}): if this is another "
          + "item bank or exam, calibrate it with its own --scope", NAME, calibrationId, link.reference(),
          options.scopeName());
    }
    ItemParams[] linked = link.transform().apply(own);
    long tScore = System.nanoTime();
    Dataset<Row> scores = spark.createDataFrame(data.score(own, settings.quadrature(), link.transform()),
        IrtTables.SCORES_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    persisted.add(scores);
    Row check = scores.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
            finite(col("theta")).and(finite(col("theta_se"))).and(col("theta_se").gt(0)), 0).otherwise(1)))
        .first();
    long scored = check.getLong(0);
    long nonFinite = check.isNullAt(1) ? 0 : check.getLong(1);
    if (nonFinite > 0) {
      throw new IllegalStateException(NAME + ": " + nonFinite + " of " + scored
          + " abilities came out non-finite; nothing was written (this is a bug: report it with the run id)");
    }
    double secondsScoring = seconds(tScore);
    double secondsTotal = seconds(t0);

    // 6. Outputs.
    Timestamp abilityAsOf = Timestamp.from(endOfDay(asOf));
    Dataset<Row> abilities = scores
        .withColumn("as_of", lit(abilityAsOf))
        .withColumn("calibration_id", lit(calibrationId))
        .withColumn("source", lit(IrtTables.SOURCE_CALIBRATION));
    int calibratedCount = 0;
    for (ItemParams p : own) {
      calibratedCount += p.isCalibrated() ? 1 : 0;
    }
    ItemRows items = itemRows(spark, ctx, data, linked, link.transform().apply(sampled), result.misfit(), flags,
        calibrationId, model, asOf);
    Row calibration = RowFactory.create(calibrationId, Date.valueOf(asOf), Date.valueOf(window.from()),
        Date.valueOf(window.to()), model, options.priors(), data.students(), index.items(), calibratedCount,
        data.answers(), data.repeatedAnswers(), options.minAnswers(), options.maxIterations(), result.iterations(),
        result.logLikelihood(), result.converged(), orNull(result.maxGradient()),
        orNull(result.maxScaledGradient()), link.method(), link.reference(), link.transform().a(),
        link.transform().b(), link.commonItems(), data.eStepSeconds(), secondsTotal, ctx.runId().toString(),
        Timestamp.from(Instant.now()));
    Dataset<Row> calibrations = spark.createDataFrame(List.of(calibration), IrtTables.CALIBRATIONS_SCHEMA);

    List<Output> outputs = new ArrayList<>();
    outputs.add(new Output(IrtTables.CALIBRATIONS_SPEC, calibrations, null));
    outputs.add(new Output(IrtTables.ITEM_PARAMS_HISTORY_SPEC, items.history(), null));
    outputs.add(new Output(IrtTables.ABILITY_HISTORY_SPEC, abilities, null));
    if (!link.drift().isEmpty()) {
      outputs.add(new Output(IrtTables.ITEM_DRIFT_SPEC, driftRows(spark, link, calibrationId), null));
    }
    boolean later = PreviousCalibration.laterExists(spark, ctx.settings(), asOf, options.scope(), index.itemIds());
    if (later) {
      LOG.warn("{}: a calibration of {} with an as-of day after {} exists: this run updates the history tables only "
          + "and leaves mirt_item_params and mirt_ability (the current values) as they are", NAME, options.scopeName(), asOf);
    } else {
      outputs.add(new Output(IrtTables.ITEM_PARAMS_SPEC, items.current(), null));
      Dataset<Row> current = notOverwritingNewer(spark, ctx, abilities, abilityAsOf);
      persisted.add(current);
      outputs.add(new Output(IrtTables.ABILITY_SPEC, current, null));
    }

    CalibrationReport report = new CalibrationReport(calibrationId, window, result, List.copyOf(progress), link,
        scored, data.answers(), data.repeatedAnswers(), index.items(), calibratedCount, data.partitions(),
        secondsRead, secondsEm, data.eStepSeconds(), secondsScoring, secondsTotal);
    reports.accept(report);
    String summary = String.format("calibration %s: %s%s on %d answers of %d students, %d of %d items calibrated "
            + "(%d flagged), %d iterations, %s, log-likelihood %.3f; item fit: %d misfitting (RMSD > %.2f); "
            + "scale %s%s; drift: %d items tested, %d flagged; %d abilities%s; %s, %s (source %s)",
        calibrationId, model, options.priors() ? "" : " without priors", data.answers(), data.students(),
        calibratedCount, index.items(), index.items() - calibratedCount, result.iterations(),
        result.converged() ? "converged" : "NOT CONVERGED (iteration cap)", result.logLikelihood(),
        result.itemsMisfitting(), ItemMisfit.FLAG_THRESHOLD, link.method(),
        link.commonItems() > 0 ? String.format(" (A=%.4f, B=%.4f, %d common items, %d anchors, %d purged)",
            link.transform().a(), link.transform().b(), link.commonItems(), link.anchorItems(), link.purgedItems()) : "",
        link.driftTested(), link.driftFlagged(), scored,
        later ? "; current tables left as they are (a later calibration of " + options.scopeName() + " exists)" : "",
        tally(data, quarantined).line(), options.rapidGuesses().enabled()
            ? "of the valid ones " + data.rapidGuesses() + " rapid guesses left out (" + options.rapidGuesses() + ")"
            : "rapid guesses " + options.rapidGuesses(), source.describe());
    return new JobResult(outputs, quarantine, data.validAnswers() + quarantined, summary, persisted);
  }

  /**
   * The abilities for mirt_ability without the students whose current θ is newer than this
   * calibration's as-of (a session-end update after the window closed): recency wins there, and
   * the calibration's θ for them is still in the history. Materialised once, so the PostgreSQL and
   * the lake write see the same rows.
   */
  private static Dataset<Row> notOverwritingNewer(SparkSession spark, RunContext ctx, Dataset<Row> abilities,
      Timestamp asOf) {
    Optional<Dataset<Row>> existing = ServingTables.readIfExists(spark, ctx.settings(), IrtTables.ABILITY);
    Dataset<Row> current = existing.isEmpty() ? abilities
        : abilities.join(existing.get().where(col("as_of").gt(lit(asOf))).select("user_id"),
            scala.jdk.javaapi.CollectionConverters.asScala(List.of("user_id")).toSeq(), "left_anti");
    current = current.persist(StorageLevel.MEMORY_AND_DISK());
    long kept = current.count();
    long total = abilities.count();
    if (kept < total) {
      LOG.info("{}: {} students have a θ newer than this calibration (session updates): mirt_ability keeps it, "
          + "mirt_ability_history gets the calibration's", NAME, total - kept);
    }
    return current;
  }

  /** Rows of item_drift: every common item's test under the final link, and whether it stayed an anchor. */
  private static Dataset<Row> driftRows(SparkSession spark, Linking link, String calibrationId) {
    List<Row> rows = new ArrayList<>(link.drift().size());
    for (Linking.ItemDriftRow d : link.drift()) {
      io.seedtest.analytics.irt.ItemDrift.Result r = d.result();
      rows.add(RowFactory.create(calibrationId, d.itemId(), link.reference(), orNull(r.deltaA()), orNull(r.deltaB()),
          orNull(r.zA()), orNull(r.zB()), orNull(r.p()), orNull(r.q()), r.flagged(), d.anchor()));
    }
    return spark.createDataFrame(rows, IrtTables.ITEM_DRIFT_SCHEMA);
  }

  /** Rows of mirt_item_params (current) and mirt_item_params_history for every item of the window. */
  private record ItemRows(Dataset<Row> current, Dataset<Row> history) {}

  private ItemRows itemRows(SparkSession spark, RunContext ctx, DistributedResponses data, ItemParams[] linked,
      ItemParams[] linkedSampling, ItemMisfit[] misfit, String[] flags, String calibrationId, String model, LocalDate asOf) {
    ItemIndex index = data.index();
    long[] all = index.itemIds();
    List<Long> notEstimated = new ArrayList<>();
    for (long id : all) {
      int d = index.denseIndex(id);
      if (d < 0 || !linked[d].isCalibrated()) {
        notEstimated.add(id);
      }
    }
    Map<Long, ItemParams> carried = PreviousCalibration.currentParams(spark, ctx.settings(),
        notEstimated.stream().mapToLong(Long::longValue).toArray());
    List<Row> current = new ArrayList<>(all.length);
    List<Row> history = new ArrayList<>(all.length);
    Date day = Date.valueOf(asOf);
    for (long id : all) {
      int d = index.denseIndex(id);
      boolean calibrated = d >= 0 && linked[d].isCalibrated();
      String flag = d >= 0 ? flags[d] : tooFew(index.answers(id));
      ItemParams estimated = calibrated ? linked[d] : ItemParams.notCalibrated();
      ItemParams kept = calibrated ? linked[d] : carried.getOrDefault(id, ItemParams.notCalibrated());
      int answers = index.answers(id);
      // RMSD is unchanged by the linear linking (it compares curves, not parameters)
      ItemMisfit fit = calibrated ? misfit[d] : ItemMisfit.NOT_COMPUTED;
      // the threshold of every item answered in the window, calibrated or not: features and the
      // session-end update judge answers by it
      Double rapidGuessMs = orNull(data.rapidGuessThresholdMs(id));
      current.add(RowFactory.create(id, model, orNull(kept.a()), orNull(kept.b()), orNull(kept.c()),
          orNull(kept.seA()), orNull(kept.seB()), orNull(kept.seC()), answers, calibrationId, calibrated, flag,
          orNull(fit.rmsd()), orNull(fit.meanDeviation()), rapidGuessMs));
      history.add(RowFactory.create(calibrationId, id, day, model, orNull(estimated.a()), orNull(estimated.b()),
          orNull(estimated.c()), orNull(estimated.seA()), orNull(estimated.seB()), orNull(estimated.seC()),
          answers, calibrated, flag, orNull(fit.rmsd()), orNull(fit.meanDeviation()), rapidGuessMs,
          calibrated ? orNull(linkedSampling[d].seA()) : null, calibrated ? orNull(linkedSampling[d].seB()) : null));
    }
    return new ItemRows(spark.createDataFrame(current, IrtTables.ITEM_PARAMS_SCHEMA),
        spark.createDataFrame(history, IrtTables.ITEM_PARAMS_HISTORY_SCHEMA));
  }

  private ItemParams[] warmStart(Optional<PreviousCalibration> previous, long[] denseIds) {
    if (previous.isEmpty()) {
      return null;
    }
    PreviousCalibration prev = previous.get();
    // The previous estimates were moved to the common scale; undo that so they are on a scale like
    // this calibration's own (its population as N(0, 1)), where the EM works.
    var back = prev.link().inverse();
    ItemParams[] start = new ItemParams[denseIds.length];
    int found = 0;
    for (int d = 0; d < denseIds.length; d++) {
      ItemParams p = prev.items().get(denseIds[d]);
      if (p != null && p.isCalibrated()) {
        ItemParams raw = back.apply(p);
        start[d] = ItemParams.of(raw.a(), raw.b(), options.model().hasGuessing() ? raw.c() : 0.0);
        found++;
      }
    }
    LOG.info("{}: warm start from calibration {} for {} of {} items", NAME, prev.calibrationId(), found,
        denseIds.length);
    return start;
  }

  private String tooFew(int answers) {
    return "too_few_answers (" + answers + " < " + options.minAnswers() + ")";
  }

  /** Blocks per run: {@value #PARTITIONS_CONF}, else one per core (the default parallelism). */
  public static int partitions(SparkSession spark) {
    String configured = spark.conf().get(PARTITIONS_CONF, "");
    if (!configured.isBlank()) {
      return Integer.parseInt(configured.trim());
    }
    return Math.max(1, spark.sparkContext().defaultParallelism());
  }

  /**
   * Driver threads for the M-step: the cores Spark was given (local[1] stays on one core), at
   * most the driver's own.
   */
  public static int mStepThreads(SparkSession spark) {
    return Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), Runtime.getRuntime().availableProcessors()));
  }

  private static Column finite(Column c) {
    return c.isNotNull().and(c.isNaN().unary_$bang()).and(c.lt(Double.POSITIVE_INFINITY))
        .and(c.gt(Double.NEGATIVE_INFINITY));
  }

  /** NaN (not estimated) becomes SQL NULL: NaN is never written. */
  static Double orNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The last instant of the as-of day: abilities estimated from answers up to its end. */
  static Instant endOfDay(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1_000);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String fmt(double seconds) {
    return String.format("%.1f", seconds);
  }
}
