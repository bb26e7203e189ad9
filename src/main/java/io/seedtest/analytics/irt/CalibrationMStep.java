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
    int notConverged = 0;
    double maxGradient = 0.0;
    for (int j = 0; j < items; j++) {
      if (!current[j].isCalibrated()) {
        continue;
      }
      ItemFit fit = itemStep.fit(theta, counts.itemCounts(j), current[j]);
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
