package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * The RASCH M-step: one slope shared by all items plus a difficulty per item.
 *
 * <p>The shared slope couples the items, so this cannot be split per item like
 * {@link ItemMStep}. Rather than a joint Newton over J + 1 parameters it maximises the profile
 * F(a) = Σ_j max_b Q_j(a, b) + log π(a): each evaluation fits every b_j by the per-item M-step, and
 * by the envelope theorem F'(a) = Σ_j ∂Q_j/∂a at b_j*(a) and F''(a) = Σ_j (H_aa − H_ab²/H_bb), the
 * Schur complement of the joint Hessian. That is exactly the joint Newton step, at the cost of a
 * handful of 1-D fits per item, and it reuses the bounded per-item machinery unchanged. It runs on
 * the driver: its input is only the items' expected counts.
 */
public final class CommonSlopeMStep implements Serializable {
  private static final int MAX_ITERATIONS = 50;
  private static final double MAX_STEP = 0.5;

  private final ItemMStep difficulty;
  private final ItemPriors priors;
  private final ParameterBounds bounds;

  public CommonSlopeMStep(ItemPriors priors, ParameterBounds bounds) {
    this.difficulty = new ItemMStep(ItemModel.RASCH, priors, bounds);
    this.priors = priors;
    this.bounds = bounds;
  }

  /**
   * @param counts each item's expected counts; null for an item not calibrated
   * @param start each item's current parameters (their b is the warm start); the slope starts at
   *     {@code slopeStart}
   */
  public CommonSlopeFit fit(double[] theta, ItemCounts[] counts, ItemParams[] start,
      double slopeStart) {
    int items = counts.length;
    double[] b = new double[items];
    for (int j = 0; j < items; j++) {
      b[j] = start[j] != null && Double.isFinite(start[j].b()) ? start[j].b() : 0.0;
    }
    double a = bounds.clamp(0, Double.isFinite(slopeStart) ? slopeStart : 1.0);
    ItemFit[] fits = new ItemFit[items];
    double[] derivatives = new double[3];
    double value = profile(theta, counts, a, b, fits, derivatives);
    int iteration = 0;
    boolean converged = false;
    double tolerance = 1e-9 * (1.0 + totalAnswers(counts));
    while (true) {
      double gradient = derivatives[0];
      boolean heldLow = a <= bounds.aMin() && gradient < 0;
      boolean heldHigh = a >= bounds.aMax() && gradient > 0;
      if (heldLow || heldHigh || Math.abs(gradient) <= tolerance) {
        converged = true;
        break;
      }
      if (iteration >= MAX_ITERATIONS) {
        break;
      }
      iteration++;
      double curvature = derivatives[1];
      double step = curvature < 0 ? -gradient / curvature : Math.signum(gradient) * MAX_STEP;
      step = Math.max(-MAX_STEP, Math.min(MAX_STEP, step));
      boolean accepted = false;
      double[] trialB = new double[items];
      ItemFit[] trialFits = new ItemFit[items];
      double[] trialDerivatives = new double[3];
      for (int ls = 0; ls < 40; ls++) {
        double trialA = bounds.clamp(0, a + step);
        System.arraycopy(b, 0, trialB, 0, items);
        double trialValue = profile(theta, counts, trialA, trialB, trialFits, trialDerivatives);
        if (Double.isFinite(trialValue)
            && trialValue >= value + 1e-4 * Math.max(0.0, gradient * (trialA - a))) {
          double moved = Math.abs(trialA - a);
          a = trialA;
          value = trialValue;
          System.arraycopy(trialB, 0, b, 0, items);
          System.arraycopy(trialFits, 0, fits, 0, items);
          System.arraycopy(trialDerivatives, 0, derivatives, 0, 3);
          accepted = true;
          if (moved < 1e-10) {
            converged = true;
          }
          break;
        }
        step *= 0.5;
      }
      if (!accepted || converged) {
        break;
      }
    }
    double gradientNorm = Math.abs(derivatives[0]);
    boolean heldLow = a <= bounds.aMin() && derivatives[0] < 0;
    boolean heldHigh = a >= bounds.aMax() && derivatives[0] > 0;
    if (heldLow || heldHigh) {
      gradientNorm = 0.0;
    }
    boolean itemsConverged = true;
    for (ItemFit fit : fits) {
      if (fit != null) {
        gradientNorm = Math.max(gradientNorm, fit.gradientNorm());
        itemsConverged &= fit.converged();
      }
    }
    return new CommonSlopeFit(a, fits, iteration, converged && itemsConverged, gradientNorm);
  }

  /**
   * The largest projected-gradient component over the common slope and every difficulty at
   * {@code params} (all sharing one slope), without refitting anything: the EM's final check.
   */
  public double projectedGradient(double[] theta, ItemCounts[] counts, ItemParams[] params) {
    double a = Double.NaN;
    double max = 0.0;
    double slopeGradient = 0.0;
    double[] g = new double[3];
    double[] h = new double[9];
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] == null) {
        continue;
      }
      a = params[j].a();
      new ItemObjective(theta, counts[j], ItemModel.RASCH, priors).evaluate(a, params[j].b(), 0.0,
          g, h);
      slopeGradient += g[0];
      double b = params[j].b();
      boolean held = (b <= bounds.bMin() && g[1] < 0) || (b >= bounds.bMax() && g[1] > 0);
      if (!held) {
        max = Math.max(max, Math.abs(g[1]));
      }
    }
    if (Double.isNaN(a)) {
      return 0.0;
    }
    double[] prior = new double[2];
    priors.slopeDerivatives(a, prior);
    slopeGradient += prior[0];
    boolean held = (a <= bounds.aMin() && slopeGradient < 0)
        || (a >= bounds.aMax() && slopeGradient > 0);
    return held ? max : Math.max(max, Math.abs(slopeGradient));
  }

  /**
   * {@link #projectedGradient} with each difficulty's component divided by √n_j and the common
   * slope's by √(Σ_j n_j): the scale-free gradient check of {@link ConvergenceCriteria}.
   */
  public double scaledGradient(double[] theta, ItemCounts[] counts, ItemParams[] params) {
    double a = Double.NaN;
    double max = 0.0;
    double slopeGradient = 0.0;
    double total = 0.0;
    double[] g = new double[3];
    double[] h = new double[9];
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] == null) {
        continue;
      }
      a = params[j].a();
      double n = Math.max(1.0, counts[j].total());
      total += n;
      new ItemObjective(theta, counts[j], ItemModel.RASCH, priors).evaluate(a, params[j].b(), 0.0,
          g, h);
      slopeGradient += g[0];
      double b = params[j].b();
      boolean held = (b <= bounds.bMin() && g[1] < 0) || (b >= bounds.bMax() && g[1] > 0);
      if (!held) {
        max = Math.max(max, Math.abs(g[1]) / Math.sqrt(n));
      }
    }
    if (Double.isNaN(a)) {
      return 0.0;
    }
    double[] prior = new double[2];
    priors.slopeDerivatives(a, prior);
    slopeGradient += prior[0];
    boolean held = (a <= bounds.aMin() && slopeGradient < 0)
        || (a >= bounds.aMax() && slopeGradient > 0);
    return held ? max : Math.max(max, Math.abs(slopeGradient) / Math.sqrt(total));
  }

  /**
   * The profile objective F(a) with each b_j refitted (warm-started from and written back to
   * {@code b}); writes F'(a) and F''(a) to {@code derivatives[0..1]}.
   */
  private double profile(double[] theta, ItemCounts[] counts, double a, double[] b,
      ItemFit[] fits, double[] derivatives) {
    double value = priors.slopeLogDensity(a);
    double[] slopePrior = new double[2];
    priors.slopeDerivatives(a, slopePrior);
    double gradient = slopePrior[0];
    double curvature = slopePrior[1];
    double[] g = new double[3];
    double[] h = new double[9];
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] == null) {
        fits[j] = null;
        continue;
      }
      ItemFit fit = difficulty.fit(theta, counts[j], ItemParams.of(a, b[j], 0.0));
      fits[j] = fit;
      b[j] = fit.params().b();
      new ItemObjective(theta, counts[j], ItemModel.RASCH, priors)
          .evaluate(a, b[j], 0.0, g, h);
      value += fit.objective();
      gradient += g[0];
      boolean bHeld = (b[j] <= bounds.bMin() && g[1] < 0) || (b[j] >= bounds.bMax() && g[1] > 0);
      curvature += bHeld || h[4] >= 0 ? h[0] : h[0] - h[1] * h[1] / h[4];
    }
    derivatives[0] = gradient;
    derivatives[1] = curvature;
    return value;
  }

  private static double totalAnswers(ItemCounts[] counts) {
    double total = 0.0;
    for (ItemCounts c : counts) {
      if (c != null) {
        total += c.total();
      }
    }
    return total;
  }
}
