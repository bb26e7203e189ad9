package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CholeskyTest {

  @Test
  void invertsASymmetricPositiveDefiniteMatrix() {
    double[] m = {4, 1.2, -0.3, 1.2, 2, 0.5, -0.3, 0.5, 1};
    double[] inv = Cholesky.invert(m, 3);
    assertThat(inv).isNotNull();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += m[i * 3 + k] * inv[k * 3 + j];
        }
        assertThat(s).isCloseTo(i == j ? 1.0 : 0.0, within(1e-12));
      }
    }
    assertThat(Cholesky.invert(new double[] {4}, 1)).containsExactly(0.25);
  }

  @Test
  void refusesMatricesThatAreNotPositiveDefinite() {
    assertThat(Cholesky.invert(new double[] {1, 2, 2, 1}, 2)).isNull();
    assertThat(Cholesky.invert(new double[] {1, 1, 1, 1}, 2)).isNull();
    assertThat(Cholesky.invert(new double[] {Double.NaN}, 1)).isNull();
  }

  @Test
  void solvesInPlace() {
    double[] m = {2, 1, 1, 3};
    double[] lower = new double[4];
    assertThat(Cholesky.decompose(m, 2, lower)).isTrue();
    double[] x = {3, 5};
    Cholesky.solve(lower, 2, x, x);
    assertThat(x[0]).isCloseTo(0.8, within(1e-14));
    assertThat(x[1]).isCloseTo(1.4, within(1e-14));
  }
}
