package io.seedtest.analytics.irt;

/**
 * The covariance of a calibration's item estimates, from {@link ItemInformation}: the whole
 * inverse of the observed information (through its Cholesky factor), or, when only item blocks
 * were kept, each item's block inverse (RASCH: the arrowhead of the common slope and the b's,
 * inverted exactly by its Schur complement). Entries it does not have are NaN.
 */
public final class ParameterCovariance {
  private final int[] row;
  /** Full form: L⁻¹ of the information's Cholesky factor, size × size, row-major; else null. */
  private final double[] inverseFactor;
  private final int size;
  /** Block form (or the full form's fallback): per item a 3×3 over (a, b, c); else null. */
  private final double[] blocks;
  /** Per parameter, the prior's second derivative (0 without a prior): −D in H = I + D. */
  private final double[] priorCurvature;

  private ParameterCovariance(int[] row, double[] inverseFactor, int size, double[] blocks,
      double[] priorCurvature) {
    this.row = row;
    this.inverseFactor = inverseFactor;
    this.size = size;
    this.blocks = blocks;
    this.priorCurvature = priorCurvature.clone();
  }

  /** Whether cross-item covariances are available (the whole matrix was inverted). */
  public boolean isFull() {
    return inverseFactor != null;
  }

  static ParameterCovariance ofFull(int[] row, int size, double[] information,
      double[] priorCurvature) {
    double[] m = information.clone();
    for (int g = 0; g < size; g++) {
      m[g * size + g] -= priorCurvature[g];
    }
    double[] lower = new double[size * size];
    if (size > 0 && Cholesky.decompose(m, size, lower)) {
      return new ParameterCovariance(row, Cholesky.invertLower(lower, size), size, null, priorCurvature);
    }
    // Not positive definite as a whole (an item with next to no information): each item's own
    // block, as the block form would have it, so the other items keep their SEs.
    double[] blocks = itemBlocks(row, row.length / 3, (j, p, q) -> m[row[j * 3 + p] * size + row[j * 3 + q]]);
    return new ParameterCovariance(row, null, size, blocks, priorCurvature);
  }

  static ParameterCovariance ofBlocks(ItemModel model, int[] row, int items, double[] information,
      double slopeSlope, double[] priorCurvature) {
    if (model == ItemModel.RASCH) {
      double[] blocks = new double[items * 9];
      java.util.Arrays.fill(blocks, Double.NaN);
      rasch(row, items, information, slopeSlope, priorCurvature, blocks);
      return new ParameterCovariance(row, null, 0, blocks, priorCurvature);
    }
    return new ParameterCovariance(row, null, 0, itemBlocks(row, items, (j, p, q) -> information[j * 9 + p * 3 + q]
        - (p == q ? priorCurvature[row[j * 3 + p]] : 0.0)), priorCurvature);
  }

  /**
   * RASCH blocks: the arrowhead over (a, b_1 … b_J), Var(a) = 1/(I_aa − Σ_j I_ab_j² / I_b_j),
   * Cov(a, b_j) = −(I_ab_j / I_b_j)·Var(a), Var(b_j) = 1/I_b_j + (I_ab_j / I_b_j)²·Var(a).
   */
  private static void rasch(int[] row, int items, double[] information, double slopeSlope,
      double[] priorCurvature, double[] blocks) {
    boolean slopeFree = false;
    double schur = slopeSlope;
    double[] bInformation = new double[items];
    for (int j = 0; j < items; j++) {
      slopeFree |= row[j * 3] >= 0;
      int g = row[j * 3 + 1];
      if (g < 0) {
        continue;
      }
      bInformation[j] = information[j * 9 + 4] - priorCurvature[g];
      if (bInformation[j] > 0) {
        double cross = information[j * 9 + 1];
        schur -= cross * cross / bInformation[j];
      }
    }
    double slopeVariance = Double.NaN;
    if (slopeFree) {
      schur -= priorCurvature[0];
      slopeVariance = schur > 0 ? 1.0 / schur : Double.NaN;
    }
    for (int j = 0; j < items; j++) {
      if (row[j * 3] >= 0) {
        blocks[j * 9] = slopeVariance;
      }
      if (bInformation[j] > 0) {
        double ratio = information[j * 9 + 1] / bInformation[j];
        double known = Double.isNaN(slopeVariance) ? 0.0 : slopeVariance;
        blocks[j * 9 + 4] = 1.0 / bInformation[j] + ratio * ratio * known;
        blocks[j * 9 + 1] = blocks[j * 9 + 3] = -ratio * slopeVariance;
      }
    }
  }

  /** Entry (p, q) of item j's own information block, the prior's curvature included. */
  private interface BlockEntry {
    double get(int item, int p, int q);
  }

  /** Per item, the inverse of its own block over its free parameters (NaN where singular or fixed). */
  private static double[] itemBlocks(int[] row, int items, BlockEntry entry) {
    double[] blocks = new double[items * 9];
    java.util.Arrays.fill(blocks, Double.NaN);
    for (int j = 0; j < items; j++) {
      int[] q = new int[3];
      int n = 0;
      for (int p = 0; p < 3; p++) {
        if (row[j * 3 + p] >= 0) {
          q[n++] = p;
        }
      }
      double[] block = new double[n * n];
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          block[r * n + c] = entry.get(j, q[r], q[c]);
        }
      }
      fill(blocks, j, q, n, n == 0 ? null : Cholesky.invert(block, n));
    }
    return blocks;
  }

  private static void fill(double[] blocks, int item, int[] q, int n, double[] inverse) {
    if (inverse == null) {
      return;
    }
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        blocks[item * 9 + q[r] * 3 + q[c]] = inverse[r * n + c];
      }
    }
  }

  /** Cov(parameter p of item i, parameter q of item j), p, q in 0 = a, 1 = b, 2 = c; or NaN. */
  public double covariance(int i, int p, int j, int q) {
    int gi = row[i * 3 + p];
    int gj = row[j * 3 + q];
    if (gi < 0 || gj < 0) {
      return Double.NaN;
    }
    if (inverseFactor != null) {
      // (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹: entry (gi, gj) = Σ_k L⁻¹[k][gi]·L⁻¹[k][gj], L⁻¹ lower triangular
      double sum = 0.0;
      for (int k = Math.max(gi, gj); k < size; k++) {
        sum += inverseFactor[k * size + gi] * inverseFactor[k * size + gj];
      }
      return sum;
    }
    return i == j ? blocks[i * 9 + p * 3 + q] : Double.NaN;
  }

  /** √Var of parameter q of item j, NaN where held fixed or singular. */
  public double standardError(int j, int q) {
    double v = covariance(j, q, j, q);
    return v > 0 ? Math.sqrt(v) : Double.NaN;
  }

  /**
   * √ of the sampling variance of the estimate of parameter q of item j: the sandwich
   * H⁻¹·I·H⁻¹ with H = I + D the information plus the prior's negative curvature D, written
   * H⁻¹ − H⁻¹·D·H⁻¹ so that no second inverse is needed. Without priors it equals
   * {@link #standardError}. Under priors it is smaller: the posterior SE describes where the true
   * value may lie (the prior's pull included), this one how far the estimate itself moves from
   * sample to sample, which is what a difference of two calibrations' estimates needs
   * ({@link ItemDrift}). NaN where {@link #standardError} is, or where the difference is not
   * positive.
   */
  public double samplingStandardError(int j, int q) {
    int g = row[j * 3 + q];
    double v = covariance(j, q, j, q);
    if (g < 0 || !(v > 0)) {
      return Double.NaN;
    }
    double shrink = 0.0;
    if (inverseFactor != null) {
      double[] column = fullColumn(g);
      for (int k = 0; k < size; k++) {
        shrink -= priorCurvature[k] * column[k] * column[k];
      }
    } else {
      for (int p = 0; p < 3; p++) {
        int k = row[j * 3 + p];
        double cov = k < 0 ? Double.NaN : blocks[j * 9 + q * 3 + p];
        if (!Double.isNaN(cov)) {
          shrink -= priorCurvature[k] * cov * cov;
        }
      }
    }
    double s = v - shrink;
    return s > 0 ? Math.sqrt(s) : Double.NaN;
  }

  /** Column g of the whole covariance L⁻ᵀL⁻¹, walking the rows of L⁻¹ (contiguous in memory). */
  private double[] fullColumn(int g) {
    double[] column = new double[size];
    for (int m = g; m < size; m++) {
      double u = inverseFactor[m * size + g];
      if (u == 0.0) {
        continue;
      }
      int base = m * size;
      for (int k = 0; k <= m; k++) {
        column[k] += inverseFactor[base + k] * u;
      }
    }
    return column;
  }

  /** {@code params} with {@link #standardError}s attached (NaN where held fixed or singular). */
  public ItemParams[] standardErrors(ItemParams[] params) {
    return withErrors(params, this::standardError);
  }

  /**
   * {@code params} with {@link #samplingStandardError}s attached; where there is none (the
   * likelihood's curvature at the MAP estimate is not positive along a weakly identified direction,
   * usually a flat item's c or a) the posterior {@link #standardError}, the conservative choice.
   */
  public ItemParams[] samplingErrors(ItemParams[] params) {
    return withErrors(params, (j, q) -> {
      double s = samplingStandardError(j, q);
      return Double.isNaN(s) ? standardError(j, q) : s;
    });
  }

  /** One parameter's standard error: item j, parameter q (0 = a, 1 = b, 2 = c). */
  private interface ErrorOf {
    double of(int j, int q);
  }

  private static ItemParams[] withErrors(ItemParams[] params, ErrorOf error) {
    ItemParams[] out = params.clone();
    for (int j = 0; j < params.length; j++) {
      if (params[j].isCalibrated()) {
        out[j] = params[j].withStandardErrors(error.of(j, 0), error.of(j, 1), error.of(j, 2));
      }
    }
    return out;
  }
}
