package io.seedtest.analytics.irt;

/**
 * Bock–Aitkin marginal maximum likelihood (MAP with priors) by EM, single-threaded over
 * in-memory {@link Responses}.
 *
 * <p>It exists as the reference the distributed calibration is checked against (same inputs,
 * same numbers) and as the benchmark floor, so it is deliberately plain: no threads. It only wires
 * the pieces the Spark driver reuses: {@link ExpectedCounts#accumulate} per student (the E-step,
 * which Spark distributes), {@link CalibrationMStep} (per item), {@link ConvergenceCriteria}, and a
 * last pass of {@link ItemInformation} for the standard errors.
 *
 * <p>Each iteration: tables at the current parameters → E-step (counts and the log-likelihood
 * at those parameters) → M-step → E-step at the new parameters → compare. Convergence needs both
 * the parameter change and the log-posterior change small; the final E-step's counts then give
 * the exact gradient at the returned parameters, reported as {@code maxGradient}.
 */
public final class EmCalibration {
  private final CalibrationSettings settings;
  private final CalibrationMStep mStep;

  public EmCalibration(CalibrationSettings settings) {
    this.settings = settings;
    this.mStep = new CalibrationMStep(settings);
  }

  /** Calibrates from start values derived from the data. */
  public CalibrationResult run(Responses data) {
    return run(data, null);
  }

  /**
   * Calibrates starting from {@code start} (e.g. last week's estimates; null or NaN entries get
   * data-derived start values). An item with too few answers keeps its start parameters in the
   * result but is flagged and left out of every likelihood: its answers neither move θ nor it.
   */
  public CalibrationResult run(Responses data, ItemParams[] start) {
    int items = data.items();
    if (start != null && start.length != items) {
      throw new IllegalArgumentException(
          "start has " + start.length + " items, the responses have " + items);
    }
    int[] answersPerItem = data.answersPerItem();
    boolean[] calibrated = new boolean[items];
    ItemParams[] derived = StartValues.fromProportions(
        data, settings.model(), settings.priors(), settings.bounds());
    ItemParams[] params = new ItemParams[items];
    for (int j = 0; j < items; j++) {
      calibrated[j] = answersPerItem[j] >= settings.minAnswersPerItem();
      boolean usable = start != null && start[j] != null && start[j].isCalibrated();
      params[j] = !calibrated[j] ? ItemParams.notCalibrated() : usable ? start[j] : derived[j];
    }
    if (settings.model() == ItemModel.RASCH) {
      params = withCommonSlope(params);
    }

    Quadrature quadrature = settings.quadrature();
    ItemLogTables tables = ItemLogTables.of(params, quadrature);
    ExpectedCounts counts = new ExpectedCounts(items, quadrature.size());
    double[] scratch = new double[quadrature.size()];
    ConvergenceCriteria criteria = settings.convergence();

    eStep(data, tables, counts, scratch);
    double logPosterior = counts.logLikelihood() + settings.priors().logDensity(settings.model(),
        params);
    int iteration = 0;
    boolean converged = false;
    double parameterChange = Double.NaN;
    double logPosteriorChange = Double.NaN;
    int notConverged = 0;
    while (iteration < criteria.maxIterations()) {
      MStepOutcome outcome = mStep.maximise(counts, params);
      iteration++;
      notConverged = outcome.notConverged();
      parameterChange = ConvergenceCriteria.maxParameterChange(params, outcome.params());
      params = outcome.params();
      tables.update(params);
      eStep(data, tables, counts, scratch);
      double next = counts.logLikelihood() + settings.priors().logDensity(settings.model(),
          params);
      logPosteriorChange = ConvergenceCriteria.relativeChange(logPosterior, next);
      logPosterior = next;
      if (criteria.isMet(parameterChange, logPosteriorChange)) {
        converged = true;
        break;
      }
    }
    double maxGradient = mStep.maxGradient(counts, params);
    double logLikelihood = counts.logLikelihood();

    ItemInformation information = new ItemInformation(settings.model(), items);
    for (int s = 0; s < data.students(); s++) {
      information.accumulate(tables, params, data.itemIndex(), data.correct(), data.from(s),
          data.to(s), scratch);
    }
    ItemParams[] withErrors =
        information.standardErrors(params, settings.priors(), settings.bounds());
    for (int j = 0; j < items; j++) {
      if (!calibrated[j]) {
        withErrors[j] = start != null && start[j] != null ? start[j] : ItemParams.notCalibrated();
      }
    }
    return new CalibrationResult(settings.model(), withErrors, calibrated, answersPerItem,
        iteration, converged, logLikelihood, logPosterior, maxGradient, parameterChange,
        logPosteriorChange, notConverged, data.students());
  }

  private static void eStep(Responses data, ItemLogTables tables, ExpectedCounts counts,
      double[] scratch) {
    counts.clear();
    int[] itemIndex = data.itemIndex();
    byte[] correct = data.correct();
    for (int s = 0; s < data.students(); s++) {
      counts.accumulate(tables, itemIndex, correct, data.from(s), data.to(s), scratch);
    }
  }

  /** RASCH items must share one slope from the start; take the first calibrated one's. */
  private static ItemParams[] withCommonSlope(ItemParams[] params) {
    double a = Double.NaN;
    for (ItemParams p : params) {
      if (p.isCalibrated()) {
        a = p.a();
        break;
      }
    }
    ItemParams[] out = params.clone();
    for (int j = 0; j < out.length; j++) {
      if (out[j].isCalibrated()) {
        out[j] = ItemParams.of(a, out[j].b(), 0.0);
      }
    }
    return out;
  }
}
