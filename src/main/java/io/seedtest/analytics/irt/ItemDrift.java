package io.seedtest.analytics.irt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Item parameter drift between two calibrations on one scale: a Wald test per common item of the
 * change of a and of b, with the Benjamini–Hochberg false discovery rate across items.
 *
 * <p>For each item, Δa = a_cur − a_prev and Δb = b_cur − b_prev with the current estimates already
 * linked to the previous scale (a* = a/A, b* = A·b + B, so SE(a*) = SE(a)/A and SE(b*) = A·SE(b),
 * see {@link ScaleTransform}); z = Δ / √(SE_prev² + SE_cur²), the two calibrations being
 * independent samples. The item's p-value is the Bonferroni-corrected minimum of the two
 * two-sided p-values, p = min(1, 2·min(p_a, p_b)), rather than the 2-df Wald χ² of (Δa, Δb):
 * the χ² needs the a–b covariance of both calibrations, which the history tables do not keep, and
 * Bonferroni is valid whatever that correlation is (conservative by at most a factor 2). A
 * parameter without a standard error (on its bound, or c/a not estimated) is left out of the
 * item's test; an item with neither test is not tested.
 *
 * <p>The uncertainty of the link constants A, B is ignored, as in {@link ScaleTransform}: with
 * dozens of anchor items it is small next to one item's SE.
 */
public final class ItemDrift {
  /** Flag items whose BH q-value is below this: 5 % of the flagged items expected to be false. */
  public static final double DEFAULT_FDR = 0.05;

  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  /**
   * One item's test. Δ and z of a parameter without a test are NaN; p and q are NaN for an item
   * that was not tested (never flagged).
   *
   * @param index the item's position in the arrays passed to {@link #test}
   */
  public record Result(int index, double deltaA, double deltaB, double zA, double zB, double p, double q,
      boolean flagged) {
    public boolean tested() {
      return !Double.isNaN(p);
    }
  }

  private ItemDrift() {}

  /**
   * @param previous the previous calibration's parameters of the common items (its scale)
   * @param linkedCurrent this calibration's parameters of the same items, same order, already
   *     transformed to the previous scale (standard errors included)
   * @param fdr flag an item when its q-value is below this (0 flags nothing)
   * @return one result per item, in input order
   */
  public static List<Result> test(ItemParams[] previous, ItemParams[] linkedCurrent, double fdr) {
    if (previous.length != linkedCurrent.length) {
      throw new IllegalArgumentException("previous and current must list the same common items: "
          + previous.length + " vs " + linkedCurrent.length);
    }
    if (!(fdr >= 0 && fdr < 1)) {
      throw new IllegalArgumentException("the drift false discovery rate must be in [0, 1), got " + fdr);
    }
    int n = previous.length;
    double[] dA = new double[n];
    double[] dB = new double[n];
    double[] zA = new double[n];
    double[] zB = new double[n];
    double[] p = new double[n];
    for (int j = 0; j < n; j++) {
      ItemParams prev = previous[j];
      ItemParams cur = linkedCurrent[j];
      dA[j] = cur.a() - prev.a();
      dB[j] = cur.b() - prev.b();
      zA[j] = wald(dA[j], prev.seA(), cur.seA());
      zB[j] = wald(dB[j], prev.seB(), cur.seB());
      p[j] = itemP(zA[j], zB[j]);
    }
    double[] q = benjaminiHochberg(p);
    List<Result> out = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      out.add(new Result(j, dA[j], dB[j], zA[j], zB[j], p[j], q[j], q[j] < fdr));
    }
    return out;
  }

  /** Δ over its standard error, or NaN when either SE is missing or not positive. */
  static double wald(double delta, double sePrev, double seCur) {
    double var = sePrev * sePrev + seCur * seCur;
    if (!Double.isFinite(delta) || !Double.isFinite(var) || !(var > 0)) {
      return Double.NaN;
    }
    return delta / Math.sqrt(var);
  }

  /** Bonferroni over the tests the item has: 2·min(p_a, p_b), or the one p, or NaN for none. */
  static double itemP(double zA, double zB) {
    double pA = twoSided(zA);
    double pB = twoSided(zB);
    if (Double.isNaN(pA)) {
      return pB;
    }
    if (Double.isNaN(pB)) {
      return pA;
    }
    return Math.min(1.0, 2.0 * Math.min(pA, pB));
  }

  static double twoSided(double z) {
    // 2·Φ(−|z|) keeps precision in the far tail, where 1 − Φ(|z|) would round to 0.
    return Double.isNaN(z) ? Double.NaN : 2.0 * NORMAL.cumulativeProbability(-Math.abs(z));
  }

  /**
   * Benjamini–Hochberg adjusted p-values: q_(i) = min over k ≥ i of p_(k)·m/k, at most 1, with m
   * the number of tested items; NaN p-values (untested) stay NaN and do not count in m.
   */
  public static double[] benjaminiHochberg(double[] p) {
    Integer[] order = new Integer[p.length];
    int m = 0;
    for (int j = 0; j < p.length; j++) {
      if (!Double.isNaN(p[j])) {
        order[m++] = j;
      }
    }
    Integer[] tested = Arrays.copyOf(order, m);
    Arrays.sort(tested, Comparator.comparingDouble(j -> p[j]));
    double[] q = new double[p.length];
    Arrays.fill(q, Double.NaN);
    double running = 1.0;
    for (int k = m; k >= 1; k--) {
      int j = tested[k - 1];
      running = Math.min(running, p[j] * m / k);
      q[j] = running;
    }
    return q;
  }
}
