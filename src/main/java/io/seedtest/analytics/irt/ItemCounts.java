package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * One item's expected counts by quadrature node from the E-step: n_k students expected at node k
 * answered it, r_k of them correctly. Self-contained so the per-item M-steps can be shipped out
 * and run independently.
 */
public record ItemCounts(double[] answered, double[] correct) implements Serializable {
  public ItemCounts {
    if (answered.length != correct.length) {
      throw new IllegalArgumentException(
          "answered and correct counts differ in length: " + answered.length + " vs "
              + correct.length);
    }
  }

  /** Σ_k n_k: the item's number of answers (posterior weights sum to one per answer). */
  public double total() {
    double t = 0;
    for (double v : answered) {
      t += v;
    }
    return t;
  }
}
