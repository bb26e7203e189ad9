package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuadratureTest {

  @Test
  void defaultIsMirtsSixtyOneNodesOnPlusMinusSix() {
    Quadrature q = Quadrature.standardNormal();
    double[] x = q.nodes();
    assertThat(x).hasSize(61);
    assertThat(x[0]).isEqualTo(-6.0);
    assertThat(x[60]).isEqualTo(6.0);
    assertThat(x[30]).isCloseTo(0.0, within(1e-15));
    assertThat(x[1] - x[0]).isCloseTo(0.2, within(1e-12));
    double[] w = q.weights();
    double sum = 0;
    double mean = 0;
    double second = 0;
    for (int k = 0; k < 61; k++) {
      sum += w[k];
      mean += w[k] * x[k];
      second += w[k] * x[k] * x[k];
      assertThat(Math.log(w[k])).isCloseTo(q.logWeights()[k], within(1e-12));
    }
    assertThat(sum).isCloseTo(1.0, within(1e-14));
    assertThat(mean).isCloseTo(0.0, within(1e-14));
    // the trapezoid on a Gaussian is exact to rounding; what is lost is the tail beyond ±6
    assertThat(second).isCloseTo(1.0, within(1e-7));
    // weights ∝ dnorm(x): ratio of neighbours is exp(−(x1² − x0²)/2)
    assertThat(w[31] / w[30]).isCloseTo(Math.exp(-0.02), within(1e-12));
  }

  @Test
  void movedGridRepresentsAnyNormal() {
    Quadrature q = Quadrature.standardNormal().forNormal(1.5, 0.3);
    double[] x = q.nodes();
    double[] w = q.weights();
    double mean = 0;
    double var = 0;
    for (int k = 0; k < q.size(); k++) {
      mean += w[k] * x[k];
    }
    for (int k = 0; k < q.size(); k++) {
      var += w[k] * (x[k] - mean) * (x[k] - mean);
    }
    assertThat(x[0]).isCloseTo(1.5 - 1.8, within(1e-12));
    assertThat(mean).isCloseTo(1.5, within(1e-12));
    assertThat(Math.sqrt(var)).isCloseTo(0.3, within(1e-7));
    assertThatThrownBy(() -> Quadrature.standardNormal().forNormal(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
