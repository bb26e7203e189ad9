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
 * at those parameters) → M-step → E-step at the new parameters → compare. Convergence needs the
 * parameter change and the log-posterior change small and then the exact gradient at the new
 * parameters small too (see {@link ConvergenceCriteria}); the final E-step's counts give that
 * gradient, reported as {@code maxGradient} and {@code maxScaledGradient}.
 *
 * <p>The E-step is behind {@link EStep}: {@link #run(Responses, ItemParams[])} runs it on this
 * thread, the Spark job passes its distributed one to {@link #run(EStep, ItemParams[],
 * EmIteration.Listener)}.
 */
public final class EmCalibration {
  private final CalibrationSettings settings;
  private final CalibrationMStep mStep;
  private final int mStepThreads;

  public EmCalibration(CalibrationSettings settings) {
    this(settings, 1);
  }

  private EmCalibration(CalibrationSettings settings, int mStepThreads) {
    this.settings = settings;
    this.mStep = new CalibrationMStep(settings);
    this.mStepThreads = mStepThreads;
  }

  /**
   * The same EM with the per-item M-steps spread over {@code threads} threads (identical results:
   * items are independent given the counts). For the Spark driver, which is otherwise idle
   * between distributed E-steps; the reference and benchmark floor stay on one thread.
   */
  public EmCalibration withParallelMStep(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("M-step threads must be at least 1, got " + threads);
    }
    return new EmCalibration(settings, threads);
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
    return run(EStep.local(data), start, EmIteration.Listener.NONE);
  }

  /**
   * The EM over any {@link EStep}: the single-threaded one, or the Spark job's distributed one.
   * Everything but the E-step (start values, M-step, convergence rule, standard errors) is this
   * method, so both give the same numbers up to floating-point summation order.
   *
   * @param listener told about every iteration (progress logging)
   */
  public CalibrationResult run(EStep data, ItemParams[] start, EmIteration.Listener listener) {
    int items = data.items();
    if (start != null && start.length != items) {
      throw new IllegalArgumentException(
          "start has " + start.length + " items, the responses have " + items);
    }
    int[] answersPerItem = data.answersPerItem();
    boolean[] calibrated = new boolean[items];
    ItemParams[] derived = StartValues.fromProportions(
        data.proportionCorrect(), settings.model(), settings.priors(), settings.bounds());
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
    ConvergenceCriteria criteria = settings.convergence();

    ExpectedCounts counts = data.expectedCounts(tables);
    double logPosterior = counts.logLikelihood() + settings.priors().logDensity(settings.model(),
        params);
    int iteration = 0;
    boolean converged = false;
    double parameterChange = Double.NaN;
    double logPosteriorChange = Double.NaN;
    double scaledGradient = Double.NaN;
    int notConverged = 0;
    SquaremStep squarem = settings.accelerated() ? new SquaremStep(settings.bounds()) : null;
    // the plain EM iterates since the last extrapolation (or the start): SQUAREM needs three
    ItemParams[][] cycle = new ItemParams[3][];
    int inCycle = 0;
    cycle[inCycle++] = params;
    double cycleStartPosterior = logPosterior;
    double extrapolation = Double.NaN;
    boolean extrapolationKept = false;
    int extrapolations = 0;
    int extrapolationsKept = 0;
    while (iteration < criteria.maxIterations()) {
      long t0 = System.nanoTime();
      if (squarem != null && inCycle == 3) {
        // Try a jump from the last three EM iterates; keep it only if the log-posterior is not below
        // the cycle's start, so the EM still ascends. Either way the next EM step starts a new cycle.
        ItemParams[] jump = squarem.propose(cycle[0], cycle[1], cycle[2]);
        inCycle = 0;
        if (jump != null) {
          extrapolations++;
          extrapolation = squarem.lastStep();
          tables.update(jump);
          ExpectedCounts jumped = data.expectedCounts(tables);
          double jumpedPosterior = jumped.logLikelihood() + settings.priors().logDensity(settings.model(), jump);
          // against the cycle's start, as the reference SQUAREM does: the cycle as a whole ascends
          extrapolationKept = jumpedPosterior >= cycleStartPosterior;
          if (extrapolationKept) {
            extrapolationsKept++;
            params = jump;
            counts = jumped;
            logPosterior = jumpedPosterior;
          } else {
            squarem.rejected();
            tables.update(params);
          }
        }
        cycle[inCycle++] = params;
        cycleStartPosterior = logPosterior;
      }
      MStepOutcome outcome = mStep.maximise(counts, params, mStepThreads);
      iteration++;
      notConverged = outcome.notConverged();
      parameterChange = ConvergenceCriteria.maxParameterChange(params, outcome.params());
      params = outcome.params();
      tables.update(params);
      counts = data.expectedCounts(tables);
      double next = counts.logLikelihood() + settings.priors().logDensity(settings.model(),
          params);
      logPosteriorChange = ConvergenceCriteria.relativeChange(logPosterior, next);
      logPosterior = next;
      scaledGradient = Double.NaN;
      if (criteria.isMet(parameterChange, logPosteriorChange)) {
        // Parameters and log-posterior have settled: certify with the exact gradient before
        // stopping, so a crawl on a flat ridge is not mistaken for a maximum.
        scaledGradient = mStep.maxScaledGradient(counts, params);
        converged = criteria.gradientIsSmall(scaledGradient);
      }
      listener.onIteration(new EmIteration(iteration, counts.logLikelihood(), logPosterior,
          parameterChange, logPosteriorChange, scaledGradient, notConverged,
          (System.nanoTime() - t0) / 1e9, extrapolation, extrapolationKept));
      extrapolation = Double.NaN;
      extrapolationKept = false;
      if (squarem != null) {
        cycle[inCycle++] = params;
      }
      if (converged) {
        break;
      }
    }
    double maxGradient = mStep.maxGradient(counts, params);
    if (Double.isNaN(scaledGradient)) {
      scaledGradient = mStep.maxScaledGradient(counts, params);
    }
    double logLikelihood = counts.logLikelihood();
    // The final counts are the E-step at the final parameters: the pseudo-observed curves RMSD needs.
    ItemMisfit[] misfit = ItemMisfit.of(counts, params, calibrated, settings.quadrature());

    ItemInformation information = data.information(
        new ItemInformation(settings.model(), params, settings.bounds()), tables, params);
    ParameterCovariance covariance = information.covariance(params, settings.priors());
    ItemParams[] withErrors = covariance.standardErrors(params);
    ItemParams[] sampling = covariance.samplingErrors(params);
    for (int j = 0; j < items; j++) {
      if (!calibrated[j]) {
        withErrors[j] = start != null && start[j] != null ? start[j] : ItemParams.notCalibrated();
        sampling[j] = withErrors[j];
      }
    }
    return new CalibrationResult(settings.model(), withErrors, calibrated, answersPerItem,
        iteration, converged, logLikelihood, logPosterior, maxGradient, parameterChange,
        logPosteriorChange, notConverged, (int) data.students(), scaledGradient, extrapolations,
        extrapolationsKept, misfit, sampling);
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
