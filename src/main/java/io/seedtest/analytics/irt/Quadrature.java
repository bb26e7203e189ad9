package io.seedtest.analytics.irt;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Discrete nodes and weights standing in for the θ distribution in every marginal integral.
 *
 * <p>The default, 61 equally spaced nodes on [−6, 6] with weights φ(θ_k)/Σφ, is exactly mirt's
 * default for one factor; using the same grid is what lets our marginal log-likelihoods match
 * mirt's to the third decimal. The weights are normalised to sum to one, so the marginal
 * likelihood is Σ_k w_k L(θ_k) with no extra constant.
 *
 * <p>{@link #forNormal} moves the grid rather than reweighting it: a session-end update uses the
 * previous θ estimate as prior, often with SD 0.3 or less, and reweighting fixed nodes 0.2 apart
 * would leave such a prior with only a handful of effective nodes.
 */
public final class Quadrature implements Serializable {
  public static final int DEFAULT_POINTS = 61;
  public static final double DEFAULT_HALF_WIDTH = 6.0;

  private final double mean;
  private final double sd;
  private final double[] standardNodes;
  private final double[] nodes;
  private final double[] weights;
  private final double[] logWeights;

  private Quadrature(double mean, double sd, double[] standardNodes, double[] logWeights) {
    this.mean = mean;
    this.sd = sd;
    this.standardNodes = standardNodes;
    this.logWeights = logWeights;
    int n = standardNodes.length;
    this.nodes = new double[n];
    this.weights = new double[n];
    for (int k = 0; k < n; k++) {
      nodes[k] = mean + sd * standardNodes[k];
      weights[k] = Math.exp(logWeights[k]);
    }
  }

  /** mirt's default grid for θ ~ N(0, 1). */
  public static Quadrature standardNormal() {
    return standardNormal(DEFAULT_POINTS, DEFAULT_HALF_WIDTH);
  }

  /** {@code points} equally spaced nodes on [−halfWidth, halfWidth], N(0, 1) weights. */
  public static Quadrature standardNormal(int points, double halfWidth) {
    if (points < 2 || !(halfWidth > 0)) {
      throw new IllegalArgumentException(
          "quadrature needs at least 2 points and a positive half-width, got " + points + ", "
              + halfWidth);
    }
    double[] x = new double[points];
    double[] logW = new double[points];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < points; k++) {
      x[k] = -halfWidth + 2.0 * halfWidth * k / (points - 1);
      logW[k] = -0.5 * x[k] * x[k];
      max = Math.max(max, logW[k]);
    }
    double sum = 0;
    for (int k = 0; k < points; k++) {
      sum += Math.exp(logW[k] - max);
    }
    double logNorm = max + Math.log(sum);
    for (int k = 0; k < points; k++) {
      logW[k] -= logNorm;
    }
    return new Quadrature(0.0, 1.0, x, logW);
  }

  /** The same grid moved to N(mean, sd²): nodes mean + sd·x_k, weights unchanged. */
  public Quadrature forNormal(double mean, double sd) {
    if (!(sd > 0) || !Double.isFinite(mean) || !Double.isFinite(sd)) {
      throw new IllegalArgumentException(
          "a normal prior needs a finite mean and a positive SD, got " + mean + ", " + sd);
    }
    return new Quadrature(mean, sd, standardNodes, logWeights);
  }

  public int size() {
    return nodes.length;
  }

  public double mean() {
    return mean;
  }

  public double sd() {
    return sd;
  }

  public double node(int k) {
    return nodes[k];
  }

  /** A copy of the θ nodes. */
  public double[] nodes() {
    return nodes.clone();
  }

  /** A copy of the normalised weights (they sum to 1). */
  public double[] weights() {
    return weights.clone();
  }

  /** A copy of the log weights; the E-step starts each student's log posterior from these. */
  public double[] logWeights() {
    return logWeights.clone();
  }

  /** A copy of the nodes of the N(0, 1) grid this one was moved from. */
  double[] standardNodes() {
    return standardNodes.clone();
  }

  /** True when this grid is the unmoved N(0, 1) one. */
  boolean isStandard() {
    return mean == 0.0 && sd == 1.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quadrature q
        && mean == q.mean
        && sd == q.sd
        && Arrays.equals(standardNodes, q.standardNodes)
        && Arrays.equals(logWeights, q.logWeights);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nodes) + Arrays.hashCode(logWeights);
  }

  @Override
  public String toString() {
    return "Quadrature[" + size() + " nodes on [" + nodes[0] + ", " + nodes[size() - 1]
        + "], N(" + mean + ", " + sd + "²)]";
  }
}
