package io.seedtest.analytics.irt;

/**
 * What one item's M-step maximises: the expected complete-data log-likelihood
 * Σ_k [r_k log P(θ_k) + (n_k − r_k) log(1 − P(θ_k))] plus the log prior, as a function of (a, b, c).
 *
 * <p>Value, gradient and Hessian are analytic (chain rule through P) so the Newton M-step gets
 * exact curvature, and the gradient at the final E-step counts is, by Fisher's identity, the exact
 * gradient of the marginal log-posterior, which is how the EM verifies it stopped at a maximum.
 * Derivatives are for all three of a, b, c whatever the model; callers use the free ones. The
 * slope prior counts only when each item has its own slope (a common slope's prior is counted
 * once, by {@link CommonSlopeMStep}), the guessing prior only in the 3PL.
 */
public final class ItemObjective {
  private final double[] theta;
  private final double[] answered;
  private final double[] correct;
  private final ItemModel model;
  private final ItemPriors priors;
  private final double[] priorScratch = new double[2];

  public ItemObjective(double[] theta, ItemCounts counts, ItemModel model, ItemPriors priors) {
    if (theta.length != counts.answered().length) {
      throw new IllegalArgumentException("counts have " + counts.answered().length
          + " nodes but the quadrature has " + theta.length);
    }
    this.theta = theta;
    this.answered = counts.answered();
    this.correct = counts.correct();
    this.model = model;
    this.priors = priors;
  }

  /** The objective at (a, b, c); −∞ where a prior density is zero (c = 0 under a Beta prior). */
  public double value(double a, double b, double c) {
    double f = logPrior(a, b, c);
    double logOneMinusC = Math.log1p(-c);
    for (int k = 0; k < theta.length; k++) {
      double n = answered[k];
      if (n == 0.0) {
        continue;
      }
      double r = correct[k];
      double z = a * (theta[k] - b);
      double logP = c == 0.0
          ? LogisticResponse.logSigmoid(z)
          : Math.log(c + (1.0 - c) * LogisticResponse.sigmoid(z));
      double logQ = logOneMinusC + LogisticResponse.logSigmoid(-z);
      f += r * logP + (n - r) * logQ;
    }
    return f;
  }

  /**
   * The objective at (a, b, c), with its gradient written to {@code gradient[0..2]} and its
   * Hessian, row-major 3×3, to {@code hessian[0..8]}.
   */
  public double evaluate(double a, double b, double c, double[] gradient, double[] hessian) {
    double gA = 0;
    double gB = 0;
    double gC = 0;
    double hAA = 0;
    double hAB = 0;
    double hAC = 0;
    double hBB = 0;
    double hBC = 0;
    double hCC = 0;
    double f = 0;
    double oneMinusC = 1.0 - c;
    double logOneMinusC = Math.log1p(-c);
    for (int k = 0; k < theta.length; k++) {
      double n = answered[k];
      if (n == 0.0) {
        continue;
      }
      double r = correct[k];
      double w = n - r;
      double dt = theta[k] - b;
      double z = a * dt;
      double s = LogisticResponse.sigmoid(z);
      double sBar = LogisticResponse.sigmoid(-z);
      double p = c + oneMinusC * s;
      double q = oneMinusC * sBar;
      double logP = c == 0.0 ? LogisticResponse.logSigmoid(z) : Math.log(p);
      f += r * logP + w * (logOneMinusC + LogisticResponse.logSigmoid(-z));

      // dQ/dP and d²Q/dP² of r log P + w log(1 − P)
      double d1 = r / p - w / q;
      double d2 = -r / (p * p) - w / (q * q);
      double slope = oneMinusC * s * sBar; // dP/dz
      double curve = slope * (1.0 - 2.0 * s); // d²P/dz²
      double pA = slope * dt;
      double pB = -slope * a;
      double pC = sBar;
      gA += d1 * pA;
      gB += d1 * pB;
      gC += d1 * pC;
      hAA += d2 * pA * pA + d1 * curve * dt * dt;
      hBB += d2 * pB * pB + d1 * curve * a * a;
      hAB += d2 * pA * pB - d1 * (curve * a * dt + slope);
      hAC += d2 * pA * pC - d1 * s * sBar * dt;
      hBC += d2 * pB * pC + d1 * s * sBar * a;
      hCC += d2 * pC * pC;
    }
    f += logPrior(a, b, c);
    if (model.hasItemSlope()) {
      priors.slopeDerivatives(a, priorScratch);
      gA += priorScratch[0];
      hAA += priorScratch[1];
    }
    priors.difficultyDerivatives(b, priorScratch);
    gB += priorScratch[0];
    hBB += priorScratch[1];
    if (model.hasGuessing()) {
      priors.guessDerivatives(c, priorScratch);
      gC += priorScratch[0];
      hCC += priorScratch[1];
    }
    gradient[0] = gA;
    gradient[1] = gB;
    gradient[2] = gC;
    hessian[0] = hAA;
    hessian[1] = hAB;
    hessian[2] = hAC;
    hessian[3] = hAB;
    hessian[4] = hBB;
    hessian[5] = hBC;
    hessian[6] = hAC;
    hessian[7] = hBC;
    hessian[8] = hCC;
    return f;
  }

  private double logPrior(double a, double b, double c) {
    double f = priors.difficultyLogDensity(b);
    if (model.hasItemSlope()) {
      f += priors.slopeLogDensity(a);
    }
    if (model.hasGuessing()) {
      f += priors.guessLogDensity(c);
    }
    return f;
  }
}
