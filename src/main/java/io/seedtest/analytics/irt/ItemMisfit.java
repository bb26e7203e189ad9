package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * How far one item's observed response curve is from the one the model fitted: the root mean
 * square deviation (RMSD) and the mean deviation (MD) between the two, weighted by where the
 * item's answerers are on θ.
 *
 * <p>The observed curve comes from the final E-step's pseudo-counts: at node k, r_k / n_k is the
 * posterior-expected share correct among the students who answered the item. Nobody needs to
 * answer every item, which is why large-scale assessments on sparse, rotated designs use this
 * statistic rather than S-X² or other complete-data fit tests (PISA since 2015; OECD, PISA 2015
 * Technical Report, ch. 9):
 *
 * <pre>
 *   RMSD = sqrt( Σ_k n_k (r_k / n_k − P(θ_k))² / Σ_k n_k )
 *   MD   =       Σ_k n_k (r_k / n_k − P(θ_k))  / Σ_k n_k
 * </pre>
 *
 * MD is signed (positive: easier than the model says); RMSD catches any shape. The sample RMSD of
 * an item that fits is biased upward by its sampling noise (Robitzsch 2022, Foundations 2(2)),
 * which sets how low the flag threshold can go: see {@link #FLAG_THRESHOLD}.
 */
public record ItemMisfit(double rmsd, double meanDeviation) implements Serializable {
  /**
   * RMSD above which an item is flagged. PISA flags at 0.12 (since 2015), a cut-off meant for
   * item-by-country deviations it tolerates as partial invariance; here a misfitting item biases
   * every student's θ, and on the simulator 0.12 missed non-monotone items (RMSD 0.10–0.13) while
   * items that fit stayed below 0.03 with 1,600 answers and below 0.06 with 200 (ItemMisfitTest;
   * docs/irt.md, "Item fit"). Fixed cut-offs trade power for false alarms by sample size, so
   * items with few answers are the first to false-alarm if this is lowered.
   */
  public static final double FLAG_THRESHOLD = 0.08;

  public static final ItemMisfit NOT_COMPUTED = new ItemMisfit(Double.NaN, Double.NaN);

  /**
   * @param counts the item's expected counts from an E-step at {@code params}
   * @param params the item's estimates (on the calibration's own scale, as the counts are)
   * @param nodes the quadrature nodes the counts are on
   */
  public static ItemMisfit of(ItemCounts counts, ItemParams params, double[] nodes) {
    double[] n = counts.answered();
    double[] r = counts.correct();
    if (n.length != nodes.length) {
      throw new IllegalArgumentException("counts on " + n.length + " nodes, quadrature has " + nodes.length);
    }
    double total = 0;
    double squares = 0;
    double deviations = 0;
    for (int k = 0; k < n.length; k++) {
      if (n[k] <= 0) {
        continue;
      }
      // n_k (r_k/n_k − P)² = (r_k − n_k P)² / n_k, without dividing a tiny r_k by a tiny n_k
      double residual = r[k] - n[k] * params.probability(nodes[k]);
      total += n[k];
      squares += residual * residual / n[k];
      deviations += residual;
    }
    if (!(total > 0)) {
      return NOT_COMPUTED;
    }
    return new ItemMisfit(Math.sqrt(squares / total), deviations / total);
  }

  /** Misfit of every item calibrated in {@code counts}; {@link #NOT_COMPUTED} for the others. */
  public static ItemMisfit[] of(ExpectedCounts counts, ItemParams[] params, boolean[] calibrated,
      Quadrature quadrature) {
    ItemMisfit[] out = new ItemMisfit[params.length];
    double[] nodes = quadrature.nodes();
    for (int j = 0; j < params.length; j++) {
      out[j] = calibrated[j] && params[j].isCalibrated()
          ? of(counts.itemCounts(j), params[j], nodes) : NOT_COMPUTED;
    }
    return out;
  }

  public boolean isComputed() {
    return Double.isFinite(rmsd);
  }

  public boolean isFlagged() {
    return isComputed() && rmsd > FLAG_THRESHOLD;
  }
}
