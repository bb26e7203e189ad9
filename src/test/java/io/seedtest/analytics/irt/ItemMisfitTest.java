package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class ItemMisfitTest {
  private static final double[] NODES = Quadrature.standardNormal().nodes();

  @Test
  void anItemWhoseCountsFollowItsCurveHasNoMisfit() {
    ItemParams p = ItemParams.of(1.2, 0.3, 0.2);
    ItemCounts counts = countsFollowing(p::probability, 0.0);

    ItemMisfit m = ItemMisfit.of(counts, p, NODES);

    assertThat(m.rmsd()).isCloseTo(0.0, within(1e-12));
    assertThat(m.meanDeviation()).isCloseTo(0.0, within(1e-12));
    assertThat(m.isFlagged()).isFalse();
  }

  @Test
  void aConstantGapIsBothTheRmsdAndTheSignedMeanDeviation() {
    ItemParams p = ItemParams.of(1.0, 0.0, 0.0);
    ItemMisfit easier = ItemMisfit.of(countsFollowing(p::probability, 0.15), p, NODES);
    ItemMisfit harder = ItemMisfit.of(countsFollowing(p::probability, -0.05), p, NODES);

    assertThat(easier.rmsd()).isCloseTo(0.15, within(1e-12));
    assertThat(easier.meanDeviation()).isCloseTo(0.15, within(1e-12));
    assertThat(easier.isFlagged()).isTrue();
    assertThat(harder.rmsd()).isCloseTo(0.05, within(1e-12));
    assertThat(harder.meanDeviation()).isCloseTo(-0.05, within(1e-12));
    assertThat(harder.isFlagged()).isFalse();
  }

  @Test
  void anItemNobodyAnsweredHasNoStatistic() {
    double[] zero = new double[NODES.length];
    ItemMisfit m = ItemMisfit.of(new ItemCounts(zero, zero.clone()), ItemParams.of(1, 0, 0), NODES);

    assertThat(m.isComputed()).isFalse();
    assertThat(m.isFlagged()).isFalse();
  }

  /**
   * The target of issue 19 on a sparse design (every student answers 40 of 100 items): items whose
   * true curve is not 3PL — miskeyed (falling with θ) or non-monotone (a distractor that draws the
   * strongest students) — are flagged, items that are 3PL are not.
   */
  @Test
  void misfittingItemsAreFlaggedAndFittingOnesAreNot() {
    int items = 100;
    SimulatedCohort cohort = SimulatedCohort.generate(19, 4000, items, 40, ItemMisfitTest::misfitCurve);

    CalibrationResult result = new EmCalibration(CalibrationSettings.defaults(ItemModel.THREE_PL))
        .run(cohort.responses);

    int misfitting = 0;
    int misfitFlagged = 0;
    int fitting = 0;
    int fittingFlagged = 0;
    for (int j = 0; j < items; j++) {
      ItemMisfit m = result.misfit()[j];
      assertThat(m.isComputed()).isTrue();
      if (misfitCurve(j) != null) {
        misfitting++;
        misfitFlagged += m.isFlagged() ? 1 : 0;
      } else {
        fitting++;
        fittingFlagged += m.isFlagged() ? 1 : 0;
      }
    }
    System.out.printf("misfit: %d of %d misfitting items flagged, %d of %d fitting%n", misfitFlagged, misfitting,
        fittingFlagged, fitting);
    assertThat(misfitFlagged).as("misfitting items flagged").isGreaterThanOrEqualTo((int) Math.ceil(0.9 * misfitting));
    assertThat(fittingFlagged).as("fitting items flagged").isLessThanOrEqualTo((int) Math.floor(0.05 * fitting));
    assertThat(result.itemsMisfitting()).isEqualTo(misfitFlagged + fittingFlagged);
  }

  /** With 200 answers per item, the sampling noise of items that fit stays under the threshold. */
  @Test
  void fewAnswersPerItemDoNotRaiseFalseAlarms() {
    int items = 100;
    SimulatedCohort cohort = SimulatedCohort.generate(20, 1000, items, 20);

    CalibrationResult result = new EmCalibration(CalibrationSettings.defaults(ItemModel.THREE_PL))
        .run(cohort.responses);

    double worst = 0;
    for (ItemMisfit m : result.misfit()) {
      worst = Math.max(worst, m.rmsd());
    }
    System.out.printf("200 answers per item: largest RMSD %.3f, %d flagged%n", worst, result.itemsMisfitting());
    assertThat(result.itemsMisfitting()).isLessThanOrEqualTo(5);
  }

  /** Every tenth item misfits: odd tens miskeyed, even tens non-monotone. */
  static DoubleUnaryOperator misfitCurve(int j) {
    if (j % 10 != 0) {
      return null;
    }
    double b = (j % 30) / 30.0 - 0.5;
    if ((j / 10) % 2 == 1) {
      return theta -> 0.85 - 0.65 / (1 + Math.exp(-1.7 * (theta - b)));
    }
    return theta -> 0.2 + 0.65 * Math.exp(-0.5 * (theta - b) * (theta - b));
  }

  /** Counts of 1,000 students spread by N(0, 1) over the nodes, correct at curve + gap. */
  private static ItemCounts countsFollowing(DoubleUnaryOperator curve, double gap) {
    double[] w = Quadrature.standardNormal().weights();
    double[] n = new double[NODES.length];
    double[] r = new double[NODES.length];
    for (int k = 0; k < NODES.length; k++) {
      n[k] = 1000 * w[k];
      r[k] = n[k] * (curve.applyAsDouble(NODES[k]) + gap);
    }
    return new ItemCounts(n, r);
  }
}
