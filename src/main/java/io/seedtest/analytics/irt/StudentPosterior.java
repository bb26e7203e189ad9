package io.seedtest.analytics.irt;

/**
 * One student's posterior over the quadrature nodes from her answers: the step the E-step, the
 * standard-error pass and the scorer share.
 *
 * <p>Works in log space and normalises with log-sum-exp because a product of 30+ item likelihoods
 * underflows a double at the tail nodes. It writes into a caller-owned array so the per-student
 * loop allocates nothing: on a cluster this runs once per student per EM iteration.
 */
public final class StudentPosterior {
  /** Log-weight gap below the mode beyond which a node's weight is taken as 0 (e^−40 ≈ 4e-18). */
  static final double NEGLIGIBLE_LOG = 40.0;

  private StudentPosterior() {}

  /**
   * Writes the normalised posterior weights of one student into {@code posterior[0..nodes)} and
   * returns her marginal log-likelihood log Σ_k w_k Π_i P(x_i | θ_k).
   *
   * @param itemIndex item of each answer; this student's answers are {@code [from, to)}
   * @param correct 1 for a correct answer, 0 for a wrong one, parallel to {@code itemIndex}
   * @param posterior scratch of at least {@code tables.nodes()} doubles, overwritten
   */
  public static double compute(ItemLogTables tables, int[] itemIndex, byte[] correct, int from,
      int to, double[] posterior) {
    int n = tables.nodes();
    double[][] logCorrect = tables.logCorrect();
    double[][] logWrong = tables.logWrong();
    System.arraycopy(tables.logPrior(), 0, posterior, 0, n);
    for (int i = from; i < to; i++) {
      // row[k], not flat[base + k]: the form C2 vectorises (see ItemLogTables)
      double[] row = (correct[i] != 0 ? logCorrect : logWrong)[itemIndex[i]];
      for (int k = 0; k < n; k++) {
        posterior[k] += row[k];
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      if (posterior[k] > max) {
        max = posterior[k];
      }
    }
    // A node more than 40 below the mode weighs < 4e-18 against the mode's 1, under the E-step's
    // 1e-15 cut-off: its exp is not worth computing (with a few dozen answers, a third of the nodes).
    double floor = max - NEGLIGIBLE_LOG;
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
      double x = posterior[k];
      double e = x < floor ? 0.0 : Math.exp(x - max);
      posterior[k] = e;
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int k = 0; k < n; k++) {
      posterior[k] *= inv;
    }
    return max + Math.log(sum);
  }

  /** Posterior weights below this (out of 1) in a student's tails are not worth adding up. */
  static final double NEGLIGIBLE = 1e-15;

  /** The first node of {@code posterior[0..nodes)} whose weight is not negligible. */
  static int supportStart(double[] posterior, int nodes) {
    int lo = 0;
    while (lo < nodes - 1 && posterior[lo] < NEGLIGIBLE) {
      lo++;
    }
    return lo;
  }

  /** The last node at or after {@code start} whose weight is not negligible. */
  static int supportEnd(double[] posterior, int start, int nodes) {
    int hi = nodes - 1;
    while (hi > start && posterior[hi] < NEGLIGIBLE) {
      hi--;
    }
    return hi;
  }
}
