package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * The M-step over all items for the configured model: each calibrated item by
 * {@link ItemMStep}, or for RASCH all items together by {@link CommonSlopeMStep}. Items that are
 * not calibrated pass through unchanged.
 *
 * <p>Separate from the EM loop so the single-threaded {@link EmCalibration} and the Spark driver
 * run literally the same code on the aggregated {@link ExpectedCounts}: only the E-step differs
 * between them.
 */
public final class CalibrationMStep implements Serializable {
  private final ItemModel model;
  private final ItemPriors priors;
  private final ParameterBounds bounds;
  private final double[] theta;
  private final ItemMStep itemStep;
  private final CommonSlopeMStep slopeStep;

  public CalibrationMStep(CalibrationSettings settings) {
    this.model = settings.model();
    this.priors = settings.priors();
    this.bounds = settings.bounds();
    this.theta = settings.quadrature().nodes();
    this.itemStep = new ItemMStep(model, priors, bounds);
    this.slopeStep = new CommonSlopeMStep(priors, bounds);
  }

  /** New parameters from the counts of an E-step run at {@code current}. */
  public MStepOutcome maximise(ExpectedCounts counts, ItemParams[] current) {
    return maximise(counts, current, 1);
  }

  /**
   * As {@link #maximise(ExpectedCounts, ItemParams[])}, the items' fits spread over {@code threads}
   * threads. Items are independent given the counts, so the result is identical either way; the
   * Spark driver uses as many threads as Spark was given cores, the single-threaded reference one.
   */
  public MStepOutcome maximise(ExpectedCounts counts, ItemParams[] current, int threads) {
    int items = current.length;
    ItemParams[] next = current.clone();
    if (model == ItemModel.RASCH) {
      ItemCounts[] perItem = itemCounts(counts, current);
      CommonSlopeFit fit = slopeStep.fit(theta, perItem, current, commonSlope(current));
      for (int j = 0; j < items; j++) {
        if (fit.items()[j] != null) {
          next[j] = fit.items()[j].params();
        }
      }
      return new MStepOutcome(next, fit.converged() ? 0 : 1, fit.gradientNorm());
    }
    ItemFit[] fits = new ItemFit[items];
    java.util.function.IntConsumer fitItem = j -> {
      if (current[j].isCalibrated()) {
        fits[j] = itemStep.fit(theta, counts.itemCounts(j), current[j]);
      }
    };
    FixedThreads.forEach(threads, items, fitItem);
    int notConverged = 0;
    double maxGradient = 0.0;
    for (int j = 0; j < items; j++) {
      ItemFit fit = fits[j];
      if (fit == null) {
        continue;
      }
      next[j] = fit.params();
      maxGradient = Math.max(maxGradient, fit.gradientNorm());
      if (!fit.converged()) {
        notConverged++;
      }
    }
    return new MStepOutcome(next, notConverged, maxGradient);
  }

  /**
   * The largest projected-gradient component of the log-posterior at {@code params}, given the
   * counts of an E-step run at those same parameters. For EM that is the exact gradient of the
   * marginal log-posterior (Fisher's identity), so this is the stopping point's certificate.
   */
  public double maxGradient(ExpectedCounts counts, ItemParams[] params) {
    if (model == ItemModel.RASCH) {
      return slopeStep.projectedGradient(theta, itemCounts(counts, params), params);
    }
    double max = 0.0;
    for (int j = 0; j < params.length; j++) {
      if (params[j].isCalibrated()) {
        max = Math.max(max, itemStep.projectedGradient(theta, counts.itemCounts(j), params[j]));
      }
    }
    return max;
  }

  /**
   * The gradient check of {@link ConvergenceCriteria}: the largest projected-gradient component
   * of the log-posterior at {@code params}, each item's divided by √n_j (its expected number of
   * answers), so the check means the same for an item with 50 answers and one with 50,000. Under
   * RASCH the common slope's gradient is divided by √(all answers). Same counts as
   * {@link #maxGradient}: those of an E-step run at {@code params}.
   */
  public double maxScaledGradient(ExpectedCounts counts, ItemParams[] params) {
    if (model == ItemModel.RASCH) {
      return slopeStep.scaledGradient(theta, itemCounts(counts, params), params);
    }
    double max = 0.0;
    for (int j = 0; j < params.length; j++) {
      if (params[j].isCalibrated()) {
        ItemCounts c = counts.itemCounts(j);
        double g = itemStep.projectedGradient(theta, c, params[j]);
        max = Math.max(max, g / Math.sqrt(Math.max(1.0, c.total())));
      }
    }
    return max;
  }

  private static ItemCounts[] itemCounts(ExpectedCounts counts, ItemParams[] params) {
    ItemCounts[] perItem = new ItemCounts[params.length];
    for (int j = 0; j < params.length; j++) {
      perItem[j] = params[j].isCalibrated() ? counts.itemCounts(j) : null;
    }
    return perItem;
  }

  private static double commonSlope(ItemParams[] params) {
    for (ItemParams p : params) {
      if (p.isCalibrated()) {
        return p.a();
      }
    }
    return 1.0;
  }
}
