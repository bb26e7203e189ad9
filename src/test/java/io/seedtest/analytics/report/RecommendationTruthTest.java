package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecommendationTruthTest {
  @Test
  void noItemRecommendationsSaysSoInsteadOfNaN() {
    String line = new RecommendationTruth(0, Double.NaN, Double.NaN).toString();
    assertThat(line).startsWith("no item recommendations").doesNotContain("NaN");
  }

  @Test
  void scoredRecommendationsGiveTheShareAndTheMeanTrueP() {
    assertThat(new RecommendationTruth(1409, 0.834, 0.698).toString())
        .isEqualTo("1409 item recommendations: 83.4% with the true success probability in [0.55, 0.80], "
            + "mean true P 0.698");
  }
}
