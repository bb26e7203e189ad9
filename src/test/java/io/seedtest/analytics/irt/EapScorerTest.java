package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** EAP over 61 nodes against a brute-force 4,001-point trapezoid integral of the posterior. */
class EapScorerTest {
  private static final ItemParams[] ITEMS = {
    ItemParams.of(1.0, -1.0, 0.2), ItemParams.of(1.5, 0.0, 0.15), ItemParams.of(0.7, 0.8, 0.0),
    ItemParams.of(2.2, 1.5, 0.25), ItemParams.of(1.2, -2.0, 0.1), ItemParams.of(0.9, 0.3, 0.0),
    ItemParams.of(1.8, -0.4, 0.2), ItemParams.of(2.5, 2.2, 0.05)
  };
  private static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7};
  private static final EapScorer SCORER = new EapScorer(ITEMS);

  @Test
  void matchesNumericIntegrationForSeveralPatternsAndPriors() {
    byte[][] patterns = {
      {1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 0, 0, 0, 0, 0}, {1, 0, 1, 0, 1, 0, 1, 0},
      {1, 1, 0, 0, 1, 1, 1, 0}
    };
    double[][] priors = {{0, 1}, {1.2, 0.4}, {-2, 2}, {0.5, 0.15}};
    for (byte[] pattern : patterns) {
      for (double[] prior : priors) {
        AbilityEstimate eap = SCORER.score(ALL, pattern, prior[0], prior[1]);
        double[] exact = bruteForce(ALL, pattern, prior[0], prior[1]);
        assertThat(eap.theta()).as("mean, prior %s", prior).isCloseTo(exact[0], within(1e-4));
        assertThat(eap.sd()).as("sd, prior %s", prior).isCloseTo(exact[1], within(1e-4));
        assertThat(eap.answersUsed()).isEqualTo(8);
      }
    }
  }

  @Test
  void zeroAnswersReturnThePrior() {
    assertThat(SCORER.score(new int[0], new byte[0]))
        .isEqualTo(new AbilityEstimate(0.0, 1.0, 0));
    assertThat(SCORER.score(new int[0], new byte[0], 0.7, 0.3))
        .isEqualTo(new AbilityEstimate(0.7, 0.3, 0));
  }

  @Test
  void oneAnswerMovesThePriorTheRightWay() {
    for (byte correct : new byte[] {0, 1}) {
      int[] item = {1};
      byte[] x = {correct};
      AbilityEstimate eap = SCORER.score(item, x, 0.3, 0.8);
      double[] exact = bruteForce(item, x, 0.3, 0.8);
      assertThat(eap.theta()).isCloseTo(exact[0], within(1e-5));
      assertThat(eap.sd()).isCloseTo(exact[1], within(1e-5)).isLessThan(0.8);
      assertThat(eap.answersUsed()).isEqualTo(1);
      if (correct == 1) {
        assertThat(eap.theta()).isGreaterThan(0.3);
      } else {
        assertThat(eap.theta()).isLessThan(0.3);
      }
    }
  }

  @Test
  void standardPriorFastPathAgreesWithTheGeneralOne() {
    byte[] pattern = {1, 0, 1, 1, 0, 1, 1, 0};
    AbilityEstimate tables = SCORER.score(ALL, pattern, 0.0, 1.0);
    AbilityEstimate direct = SCORER.score(ALL, pattern, 0.0, Math.nextUp(1.0));
    assertThat(tables.theta()).isCloseTo(direct.theta(), within(1e-12));
    assertThat(tables.sd()).isCloseTo(direct.sd(), within(1e-12));
  }

  @Test
  void answersOnUncalibratedItemsAreNotUsed() {
    ItemParams[] items = ITEMS.clone();
    items[3] = ItemParams.notCalibrated();
    EapScorer scorer = new EapScorer(items);
    AbilityEstimate withSparse = scorer.score(new int[] {0, 3, 5}, new byte[] {1, 1, 0});
    AbilityEstimate without = scorer.score(new int[] {0, 5}, new byte[] {1, 0});
    assertThat(withSparse).isEqualTo(without);
    assertThat(withSparse.answersUsed()).isEqualTo(2);
    assertThat(scorer.score(new int[] {3}, new byte[] {1}, 0.2, 0.5))
        .isEqualTo(new AbilityEstimate(0.2, 0.5, 0));
  }

  @Test
  void rejectsADegeneratePrior() {
    assertThatThrownBy(() -> SCORER.score(ALL, new byte[8], 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Posterior mean and SD by the trapezoid rule on 4,001 points over prior mean ± 10 SD. */
  private static double[] bruteForce(int[] items, byte[] correct, double mean, double sd) {
    int points = 4001;
    double lo = mean - 10 * sd;
    double step = 20 * sd / (points - 1);
    double z = 0;
    double m1 = 0;
    double m2 = 0;
    for (int i = 0; i < points; i++) {
      double theta = lo + i * step;
      double u = (theta - mean) / sd;
      double density = Math.exp(-0.5 * u * u);
      for (int a = 0; a < items.length; a++) {
        double p = ITEMS[items[a]].probability(theta);
        density *= correct[a] == 1 ? p : 1 - p;
      }
      double weight = (i == 0 || i == points - 1) ? 0.5 : 1.0;
      z += weight * density;
      m1 += weight * density * theta;
      m2 += weight * density * theta * theta;
    }
    double mu = m1 / z;
    return new double[] {mu, Math.sqrt(m2 / z - mu * mu)};
  }
}
