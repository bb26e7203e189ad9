package io.seedtest.analytics.irt;

import java.util.Arrays;

/**
 * Cholesky factorisation, solve and inverse for symmetric matrices: the tiny (1×1 to 3×3) Newton
 * system of one item's M-step, and the observed information of a whole calibration behind its
 * standard errors.
 *
 * <p>Cholesky rather than a general inverse because both uses need to know whether the matrix is
 * positive definite: the M-step uses failure as the signal to damp its Newton step, and the
 * standard errors must come out NaN, not negative or huge, for a singular block. Matrices are
 * flat row-major {@code double[n*n]}; only the lower triangle is read.
 *
 * <p>Hand-written rather than commons-math3's: the 3×3 solve runs per item inside the hot M-step
 * loop on caller-owned arrays, where a library call would allocate matrix objects every iteration.
 */
public final class Cholesky {
  private Cholesky() {}

  /**
   * Factors {@code m = L Lᵀ} into {@code lower} (row-major, upper part zeroed).
   *
   * @return false when m is not (numerically) positive definite; {@code lower} is then garbage
   */
  public static boolean decompose(double[] m, int n, double[] lower) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (j > i) {
          lower[i * n + j] = 0.0;
          continue;
        }
        double sum = m[i * n + j];
        for (int k = 0; k < j; k++) {
          sum -= lower[i * n + k] * lower[j * n + k];
        }
        if (i == j) {
          if (!(sum > 1e-300) || !Double.isFinite(sum)) {
            return false;
          }
          lower[i * n + i] = Math.sqrt(sum);
        } else {
          lower[i * n + j] = sum / lower[j * n + j];
        }
      }
    }
    return true;
  }

  /** Solves {@code L Lᵀ x = rhs} given the factor from {@link #decompose}; x may alias rhs. */
  public static void solve(double[] lower, int n, double[] rhs, double[] x) {
    for (int i = 0; i < n; i++) {
      double sum = rhs[i];
      for (int k = 0; k < i; k++) {
        sum -= lower[i * n + k] * x[k];
      }
      x[i] = sum / lower[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double sum = x[i];
      for (int k = i + 1; k < n; k++) {
        sum -= lower[k * n + i] * x[k];
      }
      x[i] = sum / lower[i * n + i];
    }
  }

  /** The inverse of a symmetric positive definite matrix, or null when it is not one. */
  public static double[] invert(double[] m, int n) {
    double[] lower = new double[n * n];
    if (!decompose(m, n, lower)) {
      return null;
    }
    double[] inverse = new double[n * n];
    double[] column = new double[n];
    for (int j = 0; j < n; j++) {
      Arrays.fill(column, 0.0);
      column[j] = 1.0;
      solve(lower, n, column, column);
      for (int i = 0; i < n; i++) {
        inverse[i * n + j] = column[i];
      }
    }
    return inverse;
  }

  /**
   * L⁻¹ of a lower-triangular factor from {@link #decompose} (row-major, lower triangular): n³/6
   * multiply-adds, against n³ for the whole inverse, and enough for any entry of the inverse of
   * L Lᵀ (see {@link ParameterCovariance}).
   */
  public static double[] invertLower(double[] lower, int n) {
    double[] inv = new double[n * n];
    for (int j = 0; j < n; j++) {
      inv[j * n + j] = 1.0 / lower[j * n + j];
      for (int i = j + 1; i < n; i++) {
        double sum = 0.0;
        for (int k = j; k < i; k++) {
          sum -= lower[i * n + k] * inv[k * n + j];
        }
        inv[i * n + j] = sum / lower[i * n + i];
      }
    }
    return inv;
  }
}
