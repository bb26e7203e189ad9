package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * One item's parameters in mirt's IRT form (IRTpars=TRUE, logistic, D = 1):
 * P(θ) = c + (1 − c) / (1 + exp(−a(θ − b))), with their standard errors.
 *
 * <p>The IRT form (rather than mirt's slope-intercept a1, d) is what we store and report because
 * b lives on the θ scale: content authors and the KPIs compare difficulties to abilities directly.
 * A standard error is NaN when the parameter was not estimated (c in 2PL) or could not be (a
 * parameter on its bound, or a singular information block). All of a, b, c NaN marks an item
 * that was not calibrated.
 */
public record ItemParams(double a, double b, double c, double seA, double seB, double seC)
    implements Serializable {

  /** Parameters without standard errors, e.g. start values or a fixed anchor. */
  public static ItemParams of(double a, double b, double c) {
    return new ItemParams(a, b, c, Double.NaN, Double.NaN, Double.NaN);
  }

  /** mirt's slope-intercept form P = g + (1 − g)/(1 + exp(−(a1·θ + d))), so b = −d/a1. */
  public static ItemParams fromSlopeIntercept(double a1, double d, double g) {
    return of(a1, -d / a1, g);
  }

  /** The marker for an item too sparse to calibrate: it is left out of every likelihood. */
  public static ItemParams notCalibrated() {
    return of(Double.NaN, Double.NaN, Double.NaN);
  }

  public boolean isCalibrated() {
    return !Double.isNaN(a) && !Double.isNaN(b) && !Double.isNaN(c);
  }

  /** mirt's intercept d = −a·b, for comparing with its default output. */
  public double intercept() {
    return -a * b;
  }

  public ItemParams withStandardErrors(double seA, double seB, double seC) {
    return new ItemParams(a, b, c, seA, seB, seC);
  }

  public double probability(double theta) {
    return LogisticResponse.probability(a, b, c, theta);
  }
}
