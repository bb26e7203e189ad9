package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogisticResponseTest {
  private static final double[][] POINTS = {
    {1.2, -0.5, 0.15, 0.3}, {0.4, 1.8, 0.0, -1.0}, {2.5, -2.0, 0.05, -2.5}, {5.0, 3.0, 0.4, 4.5}
  };

  @Test
  void probabilityIsTheMirtIrtForm() {
    // P = c + (1 − c)/(1 + exp(−a(θ − b)))
    assertThat(LogisticResponse.probability(1.5, 0.5, 0.2, 0.5)).isCloseTo(0.6, within(1e-15));
    assertThat(LogisticResponse.probability(1.0, 0.0, 0.0, 1.0))
        .isCloseTo(1.0 / (1.0 + Math.exp(-1.0)), within(1e-15));
    ItemParams p = ItemParams.fromSlopeIntercept(0.988, 1.856, 0.0);
    assertThat(p.b()).isCloseTo(-1.856 / 0.988, within(1e-15));
    assertThat(p.intercept()).isCloseTo(1.856, within(1e-12));
  }

  @Test
  void logsMatchProbabilityAndStayFiniteAtTheBounds() {
    for (double[] x : POINTS) {
      double p = LogisticResponse.probability(x[0], x[1], x[2], x[3]);
      assertThat(LogisticResponse.logProbability(x[0], x[1], x[2], x[3]))
          .isCloseTo(Math.log(p), within(1e-12));
      assertThat(LogisticResponse.logComplement(x[0], x[1], x[2], x[3]))
          .isCloseTo(Math.log1p(-p), within(1e-12));
    }
    // a = 6, b = 8, θ = −6: z = −84, P ≈ e^−84 would be log(0)-prone via 1/(1+e^84) − tiny.
    assertThat(LogisticResponse.logProbability(6, 8, 0, -6)).isCloseTo(-84.0, within(1e-9));
    assertThat(LogisticResponse.logComplement(6, -8, 0, 6)).isCloseTo(-84.0, within(1e-9));
  }

  @Test
  void scoreIsTheGradientOfTheLogProbability() {
    double h = 1e-6;
    double[] score = new double[3];
    for (double[] x : POINTS) {
      for (boolean correct : new boolean[] {true, false}) {
        LogisticResponse.score(x[0], x[1], x[2], x[3], correct, score);
        for (int i = 0; i < 3; i++) {
          double[] up = x.clone();
          double[] down = x.clone();
          up[i] += h;
          down[i] -= h;
          double fd = (logLik(up, correct) - logLik(down, correct)) / (2 * h);
          assertThat(score[i]).as("d/d%s at %s correct=%s", "abc".charAt(i), x, correct)
              .isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
        }
      }
    }
  }

  private static double logLik(double[] x, boolean correct) {
    return correct
        ? Math.log(LogisticResponse.probability(x[0], x[1], x[2], x[3]))
        : Math.log1p(-LogisticResponse.probability(x[0], x[1], x[2], x[3]));
  }
}
