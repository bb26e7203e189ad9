package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * log P and log(1 − P) for every item at every quadrature node, plus the nodes' log weights.
 *
 * <p>Built once per EM iteration (broadcast to the executors in the Spark job) so the E-step, which
 * touches every answer of every student, does additions only: no exp or log in the hot loop.
 * One array per item row, not one flat array indexed {@code item * nodes + k}: C2's SuperWord (JDK
 * 17) only vectorises {@code posterior[k] += row[k]} when both indices have the same form, and
 * the flat form {@code row[base + k]} kept that loop scalar, at about half the C floor's speed
 * (docs/irt.md, "The E-step against a native floor"). An item that is
 * not calibrated gets a row of zeros, which makes its answers carry no information instead of
 * needing a branch per answer.
 */
public final class ItemLogTables implements Serializable {
  private final int items;
  private final int nodeCount;
  private final double[] theta;
  private final double[] logPrior;
  private final double[][] logCorrect;
  private final double[][] logWrong;

  private ItemLogTables(Quadrature quadrature, int items) {
    this.items = items;
    this.nodeCount = quadrature.size();
    this.theta = quadrature.nodes();
    this.logPrior = quadrature.logWeights();
    this.logCorrect = new double[items][nodeCount];
    this.logWrong = new double[items][nodeCount];
  }

  public static ItemLogTables of(ItemParams[] params, Quadrature quadrature) {
    ItemLogTables tables = new ItemLogTables(quadrature, params.length);
    tables.update(params);
    return tables;
  }

  /** Refills the tables in place for new parameters, so an EM loop allocates them once. */
  public void update(ItemParams[] params) {
    if (params.length != items) {
      throw new IllegalArgumentException(
          "tables were built for " + items + " items, got " + params.length);
    }
    for (int j = 0; j < items; j++) {
      ItemParams p = params[j];
      double[] correct = logCorrect[j];
      double[] wrong = logWrong[j];
      boolean active = p.isCalibrated();
      for (int k = 0; k < nodeCount; k++) {
        correct[k] = active ? LogisticResponse.logProbability(p.a(), p.b(), p.c(), theta[k]) : 0.0;
        wrong[k] = active ? LogisticResponse.logComplement(p.a(), p.b(), p.c(), theta[k]) : 0.0;
      }
    }
  }

  public int items() {
    return items;
  }

  public int nodes() {
    return nodeCount;
  }

  double[] theta() {
    return theta;
  }

  /**
   * Copies of the flat rows, {@code item * nodes + k}: log P when {@code correct}, else log(1 − P)
   * (what the E-step benchmark hands its native floor).
   */
  public double[] logRows(boolean correct) {
    double[] flat = new double[items * nodeCount];
    for (int j = 0; j < items; j++) {
      System.arraycopy(correct ? logCorrect[j] : logWrong[j], 0, flat, j * nodeCount, nodeCount);
    }
    return flat;
  }

  double[] logPrior() {
    return logPrior;
  }

  /** Row {@code item} holds log P at each node. */
  double[][] logCorrect() {
    return logCorrect;
  }

  /** Row {@code item} holds log(1 − P) at each node. */
  double[][] logWrong() {
    return logWrong;
  }
}
