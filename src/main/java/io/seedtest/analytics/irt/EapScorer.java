package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * Expected-a-posteriori ability scoring over quadrature nodes, for any normal prior.
 *
 * <p>EAP rather than maximum likelihood because it is finite for all-correct and all-wrong
 * answer patterns and for students with one or two answers, which in a practice app are common.
 * The prior is a parameter so one scorer serves both uses in the design: the weekly scoring of
 * everyone with the calibration's N(0, 1), and the session-end update that uses the student's
 * previous θ and SD as her prior, so a session's few answers move the estimate by the right
 * amount. For a non-standard prior the grid is moved and scaled to the prior
 * ({@link Quadrature#forNormal}) so a narrow prior still gets all 61 nodes; for the standard
 * prior the per-iteration log tables are reused, with no exp or log per answer.
 */
public final class EapScorer implements Serializable {
  private final ItemParams[] params;
  private final Quadrature grid;
  private final double[] standardNodes;
  private final double[] logWeights;
  private final ItemLogTables tables;

  /** Scores with mirt's default grid (61 nodes on [−6, 6]). */
  public EapScorer(ItemParams[] params) {
    this(params, Quadrature.standardNormal());
  }

  public EapScorer(ItemParams[] params, Quadrature grid) {
    this.params = params.clone();
    this.grid = grid;
    this.standardNodes = grid.standardNodes();
    this.logWeights = grid.logWeights();
    this.tables = ItemLogTables.of(this.params, grid);
  }

  /** EAP under the calibration's N(0, 1) prior. */
  public AbilityEstimate score(int[] itemIndex, byte[] correct) {
    return score(itemIndex, correct, 0, itemIndex.length, 0.0, 1.0,
        new double[grid.size()]);
  }

  /** EAP under the prior N(priorMean, priorSd²). */
  public AbilityEstimate score(int[] itemIndex, byte[] correct, double priorMean,
      double priorSd) {
    return score(itemIndex, correct, 0, itemIndex.length, priorMean, priorSd,
        new double[grid.size()]);
  }

  /**
   * EAP of the answers {@code [from, to)} under N(priorMean, priorSd²), allocation-free apart
   * from the result, for scoring many students in a loop.
   *
   * @param scratch at least {@code grid.size()} doubles, overwritten
   */
  public AbilityEstimate score(int[] itemIndex, byte[] correct, int from, int to,
      double priorMean, double priorSd, double[] scratch) {
    if (!(priorSd > 0) || !Double.isFinite(priorMean) || !Double.isFinite(priorSd)) {
      throw new IllegalArgumentException(
          "the prior needs a finite mean and a positive SD, got " + priorMean + ", " + priorSd);
    }
    int used = 0;
    for (int i = from; i < to; i++) {
      if (params[itemIndex[i]].isCalibrated()) {
        used++;
      }
    }
    if (used == 0) {
      return new AbilityEstimate(priorMean, priorSd, 0);
    }
    int n = standardNodes.length;
    if (priorMean == grid.mean() && priorSd == grid.sd()) {
      StudentPosterior.compute(tables, itemIndex, correct, from, to, scratch);
    } else {
      logPosterior(itemIndex, correct, from, to, priorMean, priorSd, scratch);
      normalise(scratch, n);
    }
    double mean = 0.0;
    for (int k = 0; k < n; k++) {
      mean += scratch[k] * (priorMean + priorSd * standardNodes[k]);
    }
    double variance = 0.0;
    for (int k = 0; k < n; k++) {
      double d = priorMean + priorSd * standardNodes[k] - mean;
      variance += scratch[k] * d * d;
    }
    return new AbilityEstimate(mean, Math.sqrt(variance), used);
  }

  private void logPosterior(int[] itemIndex, byte[] correct, int from, int to, double priorMean,
      double priorSd, double[] out) {
    int n = standardNodes.length;
    System.arraycopy(logWeights, 0, out, 0, n);
    for (int i = from; i < to; i++) {
      ItemParams p = params[itemIndex[i]];
      if (!p.isCalibrated()) {
        continue;
      }
      boolean isCorrect = correct[i] != 0;
      for (int k = 0; k < n; k++) {
        double theta = priorMean + priorSd * standardNodes[k];
        out[k] += isCorrect
            ? LogisticResponse.logProbability(p.a(), p.b(), p.c(), theta)
            : LogisticResponse.logComplement(p.a(), p.b(), p.c(), theta);
      }
    }
  }

  private static void normalise(double[] logValues, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      max = Math.max(max, logValues[k]);
    }
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
      logValues[k] = Math.exp(logValues[k] - max);
      sum += logValues[k];
    }
    for (int k = 0; k < n; k++) {
      logValues[k] /= sum;
    }
  }
}
