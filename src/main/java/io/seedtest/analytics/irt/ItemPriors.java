package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * Prior densities on item parameters, making the M-step a MAP estimate (Bayes modal, as BILOG
 * and mirt with priors do).
 *
 * <p>Why priors at all: students see few items, so some items get few answers or all-correct
 * answers, and the 3PL likelihood is nearly flat in c for easy items. Without priors such items
 * run to their bounds (a = 6, c = 0.6) and distort every θ scored with them. The defaults:
 * <ul>
 *   <li>a ~ lognormal(0, 0.5²): keeps slopes positive and near 1 unless the data insist;</li>
 *   <li>c ~ Beta(6, 26): mode 1/6 with the weight of 30 answers (α + β − 2), mean 0.19, SD 0.07.
 *       The mode sits below blind guessing on five options (attractive distractors pull c down);
 *       the weight is what keeps b right, because an error in c moves b about three times as much
 *       (docs/irt.md, "Priors"). BILOG's Beta(5, 17) (mode 0.2, weight 20) biased every b by +0.05
 *       on the recovery sets; Beta(4, 16) (mode 1/6, weight 18) is unbiased but lets c wander,
 *       and the bank's own marginal estimate of the spread of c asks for a weight of 35 or more;</li>
 *   <li>b ~ N(0, 3²): so weak it moves an item with real data by a few hundredths, but it stops
 *       an all-correct item from sitting on the b bound.</li>
 * </ul>
 * Densities are on a, b, c themselves (the lognormal includes its −log a Jacobian term), so the
 * MAP does not depend on the internal parameterisation. A NaN spread switches a prior off;
 * {@link #none()} gives plain maximum likelihood, as mirt's default.
 */
public record ItemPriors(
    double logSlopeMean,
    double logSlopeSd,
    double guessAlpha,
    double guessBeta,
    double difficultyMean,
    double difficultySd)
    implements Serializable {

  public static ItemPriors defaults() {
    return new ItemPriors(0.0, 0.5, 6.0, 26.0, 0.0, 3.0);
  }

  /** Maximum likelihood: what mirt does unless told otherwise. */
  public static ItemPriors none() {
    return new ItemPriors(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  public ItemPriors withSlope(double logMean, double logSd) {
    return new ItemPriors(logMean, logSd, guessAlpha, guessBeta, difficultyMean, difficultySd);
  }

  public ItemPriors withGuessing(double alpha, double beta) {
    return new ItemPriors(
        logSlopeMean, logSlopeSd, alpha, beta, difficultyMean, difficultySd);
  }

  public ItemPriors withDifficulty(double mean, double sd) {
    return new ItemPriors(logSlopeMean, logSlopeSd, guessAlpha, guessBeta, mean, sd);
  }

  public ItemPriors withoutSlope() {
    return withSlope(Double.NaN, Double.NaN);
  }

  public ItemPriors withoutGuessing() {
    return withGuessing(Double.NaN, Double.NaN);
  }

  public ItemPriors withoutDifficulty() {
    return withDifficulty(Double.NaN, Double.NaN);
  }

  public boolean hasSlopePrior() {
    return logSlopeSd > 0;
  }

  public boolean hasGuessPrior() {
    return guessAlpha > 0 && guessBeta > 0;
  }

  public boolean hasDifficultyPrior() {
    return difficultySd > 0;
  }

  /**
   * The log prior of a whole calibration up to a constant: per calibrated item its difficulty,
   * slope (own slopes only) and guessing terms, plus a common slope's term once. Added to the
   * marginal log-likelihood it gives the log-posterior that a MAP EM increases every iteration.
   */
  public double logDensity(ItemModel model, ItemParams[] params) {
    double total = 0.0;
    double commonSlope = Double.NaN;
    for (ItemParams p : params) {
      if (!p.isCalibrated()) {
        continue;
      }
      total += difficultyLogDensity(p.b());
      if (model.hasItemSlope()) {
        total += slopeLogDensity(p.a());
      } else {
        commonSlope = p.a();
      }
      if (model.hasGuessing()) {
        total += guessLogDensity(p.c());
      }
    }
    if (!Double.isNaN(commonSlope)) {
      total += slopeLogDensity(commonSlope);
    }
    return total;
  }

  /** log π(a) up to a constant; 0 when off. */
  double slopeLogDensity(double a) {
    if (!hasSlopePrior()) {
      return 0.0;
    }
    double u = (Math.log(a) - logSlopeMean) / logSlopeSd;
    return -Math.log(a) - 0.5 * u * u;
  }

  /** d/da and d²/da² of {@link #slopeLogDensity}, written to {@code out[0..1]}. */
  void slopeDerivatives(double a, double[] out) {
    if (!hasSlopePrior()) {
      out[0] = 0.0;
      out[1] = 0.0;
      return;
    }
    double v = logSlopeSd * logSlopeSd;
    double l = Math.log(a) - logSlopeMean;
    out[0] = (-1.0 - l / v) / a;
    out[1] = (1.0 + l / v - 1.0 / v) / (a * a);
  }

  double guessLogDensity(double c) {
    if (!hasGuessPrior()) {
      return 0.0;
    }
    return (guessAlpha - 1.0) * Math.log(c) + (guessBeta - 1.0) * Math.log1p(-c);
  }

  void guessDerivatives(double c, double[] out) {
    if (!hasGuessPrior()) {
      out[0] = 0.0;
      out[1] = 0.0;
      return;
    }
    double q = 1.0 - c;
    out[0] = (guessAlpha - 1.0) / c - (guessBeta - 1.0) / q;
    out[1] = -(guessAlpha - 1.0) / (c * c) - (guessBeta - 1.0) / (q * q);
  }

  double difficultyLogDensity(double b) {
    if (!hasDifficultyPrior()) {
      return 0.0;
    }
    double u = (b - difficultyMean) / difficultySd;
    return -0.5 * u * u;
  }

  void difficultyDerivatives(double b, double[] out) {
    if (!hasDifficultyPrior()) {
      out[0] = 0.0;
      out[1] = 0.0;
      return;
    }
    double v = difficultySd * difficultySd;
    out[0] = -(b - difficultyMean) / v;
    out[1] = -1.0 / v;
  }
}
