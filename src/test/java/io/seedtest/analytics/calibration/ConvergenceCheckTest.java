package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EStep;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.EmIteration;
import io.seedtest.analytics.irt.ItemModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The third convergence criterion (ConvergenceCriteria, docs/irt.md): once parameters and
 * log-posterior have settled, the scaled gradient must be small too, or the EM keeps going. Plain
 * Java on a small sparse 3PL cohort.
 */
class ConvergenceCheckTest {
  private static final IrtFixtures.Cohort COHORT = IrtFixtures.cohort(41L, IrtFixtures.itemBank(42L, 40),
      IrtFixtures.range(0, 40), 1_200, 20, 0.0, 1.0);

  @Test
  void theGradientCheckKeepsTheEmIteratingUntilTheGradientIsSmall() {
    CalibrationSettings base = CalibrationSettings.defaults(ItemModel.THREE_PL);
    CalibrationSettings changesOnly = base.withConvergence(base.convergence().withGradientTolerance(1e9));
    CalibrationResult loose = new EmCalibration(changesOnly).run(COHORT.responses());
    double strictTolerance = loose.maxScaledGradient() / 10;
    List<EmIteration> progress = new ArrayList<>();
    CalibrationResult strict = new EmCalibration(
        base.withConvergence(base.convergence().withGradientTolerance(strictTolerance)))
        .run(EStep.local(COHORT.responses()), null, progress::add);

    assertThat(loose.converged()).isTrue();
    assertThat(strict.converged()).isTrue();
    assertThat(strict.iterations()).isGreaterThan(loose.iterations());
    assertThat(strict.maxScaledGradient()).isLessThanOrEqualTo(strictTolerance);
    // from the loose stopping point on, the change criteria held but the gradient check did not
    assertThat(progress.get(loose.iterations() - 1).scaledGradient()).isGreaterThan(strictTolerance);
    assertThat(progress.get(progress.size() - 1).scaledGradient()).isLessThanOrEqualTo(strictTolerance);
  }

  @Test
  void theDefaultCheckHoldsAtARealMaximumAndFailsAfterThreeIterations() {
    CalibrationSettings settings = CalibrationSettings.defaults(ItemModel.THREE_PL);
    CalibrationResult converged = new EmCalibration(settings).run(COHORT.responses());
    // plain EM: with the SQUAREM extrapolation three iterations already come close to the maximum
    CalibrationResult capped = new EmCalibration(settings.withAcceleration(false).withMaxIterations(3))
        .run(COHORT.responses());
    assertThat(converged.converged()).isTrue();
    assertThat(converged.maxScaledGradient()).isLessThan(settings.convergence().gradientTolerance() / 5);
    assertThat(capped.converged()).isFalse();
    assertThat(capped.maxScaledGradient()).isGreaterThan(settings.convergence().gradientTolerance());
  }
}
