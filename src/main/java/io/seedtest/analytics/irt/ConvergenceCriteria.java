package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * When the EM loop stops. All must hold: the largest change of any a, b or c since the last
 * iteration below {@code parameterTolerance} (mirt's TOL, 1e-4), the relative change of the
 * log-posterior below {@code logLikelihoodTolerance}, and the gradient check below
 * {@code gradientTolerance}.
 *
 * <p>Both, because EM is slow near the optimum: the log-likelihood flattens before the
 * parameters settle (a flat ridge, as c and b trade off in the 3PL, changes the likelihood by
 * almost nothing while the parameters still drift), while a parameter criterion alone can trip on
 * one iteration that happens to move little. Hitting
 * {@code maxIterations} first means not converged, and the result says so. This is separate from
 * the loop so the Spark driver applies the identical rule.
 *
 * <p>The gradient check guards against EM crawling: on a flat ridge EM can move less than the
 * tolerance per iteration while still far from the maximum. Once the other two criteria hold, the
 * exact gradient of the log-posterior (Fisher's identity, from the E-step just run) is checked,
 * per item scaled by 1/√n_j ({@link CalibrationMStep#maxScaledGradient}): a Newton step from there
 * is g/(n·i) for per-answer information i, so a scaled gradient of 0.02 means the remaining
 * optimisation error is a few percent of the parameter's standard error 1/√(n·i), whatever the
 * sample size. Until it holds the loop keeps iterating.
 */
public record ConvergenceCriteria(
    double parameterTolerance, double logLikelihoodTolerance, int maxIterations,
    double gradientTolerance)
    implements Serializable {

  public static final double DEFAULT_GRADIENT_TOLERANCE = 0.02;

  public ConvergenceCriteria {
    if (!(parameterTolerance > 0) || !(logLikelihoodTolerance > 0) || maxIterations < 1
        || !(gradientTolerance > 0)) {
      throw new IllegalArgumentException("convergence needs positive tolerances and at least one "
          + "iteration, got " + parameterTolerance + ", " + logLikelihoodTolerance + ", "
          + maxIterations + ", " + gradientTolerance);
    }
  }

  /** With the default gradient tolerance. */
  public ConvergenceCriteria(double parameterTolerance, double logLikelihoodTolerance,
      int maxIterations) {
    this(parameterTolerance, logLikelihoodTolerance, maxIterations, DEFAULT_GRADIENT_TOLERANCE);
  }

  public static ConvergenceCriteria defaults() {
    return new ConvergenceCriteria(1e-4, 1e-6, 500);
  }

  public ConvergenceCriteria withMaxIterations(int max) {
    return new ConvergenceCriteria(parameterTolerance, logLikelihoodTolerance, max,
        gradientTolerance);
  }

  public ConvergenceCriteria withGradientTolerance(double tolerance) {
    return new ConvergenceCriteria(parameterTolerance, logLikelihoodTolerance, maxIterations,
        tolerance);
  }

  /** The gradient check, applied once {@link #isMet} holds. */
  public boolean gradientIsSmall(double scaledGradient) {
    return scaledGradient <= gradientTolerance;
  }

  public boolean isMet(double parameterChange, double relativeLogLikelihoodChange) {
    return parameterChange < parameterTolerance
        && relativeLogLikelihoodChange < logLikelihoodTolerance;
  }

  /** Largest |Δa|, |Δb|, |Δc| over calibrated items. */
  public static double maxParameterChange(ItemParams[] before, ItemParams[] after) {
    double max = 0.0;
    for (int j = 0; j < before.length; j++) {
      if (!after[j].isCalibrated() || !before[j].isCalibrated()) {
        continue;
      }
      max = Math.max(max, Math.abs(after[j].a() - before[j].a()));
      max = Math.max(max, Math.abs(after[j].b() - before[j].b()));
      max = Math.max(max, Math.abs(after[j].c() - before[j].c()));
    }
    return max;
  }

  /** |after − before| / max(|after|, 1): relative for real data, absolute near zero. */
  public static double relativeChange(double before, double after) {
    return Math.abs(after - before) / Math.max(Math.abs(after), 1.0);
  }
}
