package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmCalibrationTest {
  private static final SimulatedCohort COHORT = SimulatedCohort.generate(42L, 800, 10, 8);

  @Test
  void hittingTheIterationCapIsReportedAsNotConverged() {
    CalibrationResult r = new EmCalibration(
        CalibrationSettings.defaults(ItemModel.THREE_PL).withMaxIterations(3)).run(COHORT.responses);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(r.parameterChange()).isGreaterThan(1e-4);
    assertThat(r.logLikelihood()).isFinite();
  }

  @Test
  void squaremReachesTheSameMaximumAsPlainEmInFewerESteps() {
    SimulatedCohort cohort = SimulatedCohort.generate(7L, 3_000, 60, 30);
    CalibrationSettings settings = CalibrationSettings.defaults(ItemModel.THREE_PL);
    java.util.List<EmIteration> progress = new java.util.ArrayList<>();
    CalibrationResult accelerated = new EmCalibration(settings)
        .run(EStep.local(cohort.responses), null, progress::add);
    CalibrationResult plain = new EmCalibration(settings.withAcceleration(false)).run(cohort.responses);

    assertThat(accelerated.converged()).isTrue();
    assertThat(plain.converged()).isTrue();
    assertThat(plain.extrapolations()).isZero();
    assertThat(plain.eSteps()).isEqualTo(plain.iterations() + 1);
    assertThat(accelerated.extrapolationsKept()).isPositive();
    assertThat(accelerated.eSteps()).isLessThan(plain.eSteps());
    // the same maximum: both stop within the tolerance of it, the accelerated one no lower
    assertThat(accelerated.logPosterior()).isGreaterThan(plain.logPosterior() - 1e-3);
    for (int j = 0; j < 60; j++) {
      assertThat(accelerated.params()[j].b()).isCloseTo(plain.params()[j].b(), within(5e-3));
      assertThat(accelerated.params()[j].a()).isCloseTo(plain.params()[j].a(), within(5e-3));
      assertThat(accelerated.params()[j].c()).isCloseTo(plain.params()[j].c(), within(5e-3));
    }
    // the log-posterior never drops from one cycle's start to the next
    double previous = Double.NEGATIVE_INFINITY;
    for (EmIteration it : progress) {
      if (!Double.isNaN(it.extrapolation())) {
        assertThat(it.logPosterior()).isGreaterThanOrEqualTo(previous);
        previous = it.logPosterior();
      }
    }
  }

  @Test
  void convergedRunReportsASmallGradientAndWarmStartsStayPut() {
    EmCalibration em = new EmCalibration(CalibrationSettings.defaults(ItemModel.TWO_PL));
    CalibrationResult first = em.run(COHORT.responses);
    assertThat(first.converged()).isTrue();
    assertThat(first.maxGradient()).isLessThan(0.05);
    assertThat(first.logLikelihood()).isLessThan(first.logPosterior() + 100).isNegative();

    CalibrationResult again = em.run(COHORT.responses, first.params());
    assertThat(again.converged()).isTrue();
    assertThat(again.iterations()).isLessThan(first.iterations());
    for (int j = 0; j < 10; j++) {
      assertThat(again.params()[j].a()).isCloseTo(first.params()[j].a(), within(2e-3));
      assertThat(again.params()[j].b()).isCloseTo(first.params()[j].b(), within(2e-3));
    }
    assertThat(again.logLikelihood()).isCloseTo(first.logLikelihood(), within(1e-3));
  }

  @Test
  void sparseItemsAreFlaggedAndLeftOutOfTheLikelihood() {
    Responses base = COHORT.responses;
    Responses withSparse = addItemAnsweredBy(base, 5, true);
    CalibrationSettings settings = CalibrationSettings.defaults(ItemModel.TWO_PL);

    CalibrationResult r = new EmCalibration(settings).run(withSparse);
    assertThat(r.calibrated()[10]).isFalse();
    assertThat(r.answersPerItem()[10]).isEqualTo(5);
    assertThat(r.params()[10].isCalibrated()).isFalse();
    assertThat(r.itemsCalibrated()).isEqualTo(10);

    CalibrationResult without = new EmCalibration(settings).run(base);
    for (int j = 0; j < 10; j++) {
      assertThat(r.params()[j]).isEqualTo(without.params()[j]);
    }
    assertThat(r.logLikelihood()).isEqualTo(without.logLikelihood());

    ItemParams[] start = new ItemParams[11];
    start[10] = ItemParams.of(1.3, 0.4, 0.0);
    CalibrationResult kept = new EmCalibration(settings).run(withSparse, start);
    assertThat(kept.calibrated()[10]).isFalse();
    assertThat(kept.params()[10]).isEqualTo(start[10]);
  }

  @Test
  void anItemEveryoneGetsRightStaysFiniteUnderPriors() {
    Responses data = addItemAnsweredBy(COHORT.responses, 300, true);
    CalibrationResult r = new EmCalibration(CalibrationSettings.defaults(ItemModel.THREE_PL))
        .run(data);
    ItemParams easy = r.params()[10];
    assertThat(r.calibrated()[10]).isTrue();
    assertThat(easy.a()).isBetween(0.05, 6.0);
    assertThat(easy.b()).isStrictlyBetween(-8.0, -1.0);
    assertThat(easy.c()).isStrictlyBetween(0.0, 0.6);
    assertThat(easy.seB()).isFinite();
  }

  @Test
  void responsesAreValidatedOnce() {
    assertThatThrownBy(() -> new Responses(new int[] {0, 2}, new int[] {0, 5}, new byte[2], 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 5");
    assertThatThrownBy(() -> new Responses(new int[] {0, 3}, new int[] {0, 1}, new byte[2], 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Responses(new int[] {0, 1}, new int[] {0}, new byte[] {2}, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correct=2");
  }

  /** The cohort plus one extra item (index 10) answered by the first {@code n} students. */
  private static Responses addItemAnsweredBy(Responses base, int n, boolean correct) {
    int students = base.students();
    int[] offsets = new int[students + 1];
    int[] items = new int[base.answers() + n];
    byte[] outcomes = new byte[base.answers() + n];
    int i = 0;
    for (int s = 0; s < students; s++) {
      for (int a = base.from(s); a < base.to(s); a++) {
        items[i] = base.itemIndex()[a];
        outcomes[i++] = base.correct()[a];
      }
      if (s < n) {
        items[i] = 10;
        outcomes[i++] = correct ? (byte) 1 : (byte) 0;
      }
      offsets[s + 1] = i;
    }
    assertThat(Arrays.stream(offsets).max().getAsInt()).isEqualTo(items.length);
    return new Responses(offsets, items, outcomes, 11);
  }
}
