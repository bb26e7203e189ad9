package io.seedtest.analytics.irt;

import java.util.Random;

/** Expected-count inputs for M-step tests, built directly instead of through an E-step. */
final class ItemCountsFixture {
  private ItemCountsFixture() {}

  /** Counts whose maximum-likelihood solution is exactly {@code truth}: r_k = n_k·P(θ_k). */
  static ItemCounts exact(ItemParams truth, double students, double[] theta, double[] weights) {
    double[] n = new double[theta.length];
    double[] r = new double[theta.length];
    for (int k = 0; k < theta.length; k++) {
      n[k] = students * weights[k];
      r[k] = n[k] * truth.probability(theta[k]);
    }
    return new ItemCounts(n, r);
  }

  /** Counts with sampling noise, so the optimum is somewhere unremarkable. */
  static ItemCounts noisy(ItemParams truth, double students, double[] theta, double[] weights,
      long seed) {
    Random random = new Random(seed);
    double[] n = new double[theta.length];
    double[] r = new double[theta.length];
    for (int k = 0; k < theta.length; k++) {
      n[k] = students * weights[k] * (0.5 + random.nextDouble());
      double p = truth.probability(theta[k]) * (0.8 + 0.4 * random.nextDouble());
      r[k] = n[k] * Math.min(p, 0.999);
    }
    return new ItemCounts(n, r);
  }

  /** Every answer correct (or every answer wrong). */
  static ItemCounts unanimous(boolean correct, double students, double[] weights) {
    double[] n = new double[weights.length];
    double[] r = new double[weights.length];
    for (int k = 0; k < weights.length; k++) {
      n[k] = students * weights[k];
      r[k] = correct ? n[k] : 0.0;
    }
    return new ItemCounts(n, r);
  }
}
