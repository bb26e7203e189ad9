package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Plain ML ({@code --no-priors}) reaches the unpenalised maximum even where it lies outside the
 * plausible range: an item like the one found in a public data set (a = 0.13, b = 12.75) is
 * estimated where its likelihood peaks, flagged, and not held at b = 8.
 */
class MaximumLikelihoodBoundsTest {
  private static ItemParams[] bank() {
    ItemParams[] items = new ItemParams[8];
    items[0] = ItemParams.of(0.13, 12.75, 0.0);
    for (int j = 1; j < items.length; j++) {
      items[j] = ItemParams.of(0.8 + 0.1 * j, -1.5 + 0.4 * j, 0.0);
    }
    return items;
  }

  @Test
  void anItemBeyondTheOldBoundIsEstimatedAtItsMaximumAndFlagged() {
    SimulatedCohort cohort = SimulatedCohort.complete(15L, bank(), 4000);
    CalibrationSettings ml = CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL);
    CalibrationResult free = new EmCalibration(ml).run(cohort.responses);
    CalibrationResult clamped = new EmCalibration(ml.withBounds(ParameterBounds.defaults()))
        .run(cohort.responses);
    ItemParams hard = free.params()[0];
    LsatCalibrationTest.print("ML, wide bounds", free);

    assertThat(free.converged()).isTrue();
    assertThat(hard.b()).as("ML b of the weak, hard item").isGreaterThan(8.5).isLessThan(60);
    assertThat(clamped.params()[0].b()).as("the old bound held it").isCloseTo(8.0, within(1e-9));
    assertThat(free.maxGradient()).as("a stationary point, not a bound").isLessThan(1e-3);
    assertThat(free.logLikelihood() - clamped.logLikelihood())
        .as("the clamp cost likelihood").isGreaterThan(0.01);
    assertThat(ItemFlags.of(hard, ml.bounds(), ItemModel.TWO_PL))
        .startsWith("b_extreme (").contains("outside [-8, 8]");
    assertThat(ItemFlags.of(free.params()[3], ml.bounds(), ItemModel.TWO_PL)).isNull();
    assertThat(hard.seB()).as("an extreme estimate still has its SE").isFinite().isPositive();
  }

  @Test
  void anAllCorrectItemHasNoFiniteMaximumStopsFiniteAndIsFlagged() {
    SimulatedCohort cohort = SimulatedCohort.complete(16L, bank(), 500);
    Responses r = cohort.responses;
    byte[] correct = r.correct().clone();
    for (int i = 0; i < correct.length; i++) {
      if (r.itemIndex()[i] == 1) {
        correct[i] = 1;
      }
    }
    Responses allCorrect = new Responses(offsets(r), r.itemIndex(), correct, r.items());
    CalibrationSettings ml = CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL);
    CalibrationResult fit = new EmCalibration(ml).run(allCorrect);
    assertThat(fit.logLikelihood()).isFinite();
    // its likelihood only flattens as b → −∞: the EM stops where it is flat, far out, flagged
    assertThat(fit.params()[1].b()).isLessThan(-8);
    assertThat(ItemFlags.of(fit.params()[1], ml.bounds(), ItemModel.TWO_PL))
        .matches("b_(extreme|at_bound).*");
  }

  private static int[] offsets(Responses r) {
    int[] offsets = new int[(int) r.students() + 1];
    for (int s = 0; s < r.students(); s++) {
      offsets[s + 1] = r.to(s);
    }
    return offsets;
  }
}
