package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agreement with R mirt 1.47 on its classic data sets (values in
 * src/test/resources/irt/lsat_estimates_published.csv and lsat_fit_published.csv, whose
 * {@code source} column names the exact mirt test or reference page). Same model, same grid (61
 * nodes on [−6, 6]), no priors, so the numbers must agree to the precision mirt prints.
 */
class LsatCalibrationTest {
  private static final String TWO_PL = "2PL";
  private static final String THREE_PL = "3PL (no priors)";
  private static final String EQUAL_SLOPES = "1PL equal slopes (CONSTRAIN a1), N(0,1)";
  private static Responses lsat7;
  private static Responses lsat6;

  @BeforeAll
  static void load() {
    lsat7 = LsatData.load("/irt/lsat7_long.csv");
    lsat6 = LsatData.load("/irt/lsat6_long.csv");
  }

  @Test
  void dataLoadsAsThousandStudentsByFiveItems() {
    assertThat(lsat7.students()).isEqualTo(1000);
    assertThat(lsat7.items()).isEqualTo(5);
    assertThat(lsat7.answers()).isEqualTo(5000);
    assertThat(lsat6.students()).isEqualTo(1000);
  }

  /** {@code mirt(expand.table(LSAT7), 1, itemtype = '2PL')}: a1, d and logLik. Our b is compared with −d/a1. */
  @Test
  void lsat7TwoPlMatchesMirt() {
    CalibrationResult r =
        new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL)).run(lsat7);
    double[] a = MirtPublished.estimates("LSAT7", TWO_PL, "a1");
    double[] d = MirtPublished.estimates("LSAT7", TWO_PL, "d");
    print("LSAT7 2PL", r);
    assertThat(r.converged()).isTrue();
    for (int j = 0; j < 5; j++) {
      assertThat(r.params()[j].a()).as("a of item %d", j + 1).isCloseTo(a[j], within(0.01));
      assertThat(r.params()[j].b()).as("b of item %d", j + 1).isCloseTo(-d[j] / a[j], within(0.01));
      assertThat(r.params()[j].c()).isZero();
    }
    assertThat(r.logLikelihood()).isCloseTo(MirtPublished.logLikelihood("LSAT7", TWO_PL), within(0.01));
    assertThat(r.maxGradient()).isLessThan(0.05);
  }

  /**
   * {@code mirt(expand.table(LSAT7), 1, itemtype = '3PL')} without priors: logLik, b and item 2's g.
   * Plain ML inside the wide ML bounds: the same maximum to 0.01.
   */
  @Test
  void lsat7ThreePlWithoutPriorsReachesMirtsLikelihood() {
    CalibrationResult r =
        new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.THREE_PL)).run(lsat7);
    print("LSAT7 3PL", r);
    assertThat(r.logLikelihood()).isCloseTo(MirtPublished.logLikelihood("LSAT7", THREE_PL), within(0.01));
    double[] b = MirtPublished.estimates("LSAT7", THREE_PL, "b");
    for (int j = 0; j < 5; j++) {
      assertThat(r.params()[j].b()).as("b of item %d", j + 1).isCloseTo(b[j], within(0.02));
    }
    assertThat(r.params()[1].c()).isCloseTo(MirtPublished.estimate("LSAT7", THREE_PL, 2, "g"), within(0.02));
  }

  /**
   * {@code mirt(expand.table(LSAT6), 1, 'Rasch')}-equivalent equal-slope 1PL with θ ~ N(0, 1):
   * logLik, the common a1 and d (mirt reference/LSAT6.md).
   */
  @Test
  void lsat6EqualSlopesMatchesMirt() {
    CalibrationResult r =
        new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.RASCH)).run(lsat6);
    print("LSAT6 1PL", r);
    assertThat(r.converged()).isTrue();
    assertThat(r.logLikelihood()).isCloseTo(MirtPublished.logLikelihood("LSAT6", "1PL equal slopes / Rasch"),
        within(0.01));
    double[] a = MirtPublished.estimates("LSAT6", EQUAL_SLOPES, "a1");
    double[] d = MirtPublished.estimates("LSAT6", EQUAL_SLOPES, "d");
    for (int j = 0; j < 5; j++) {
      assertThat(r.params()[j].a()).isCloseTo(a[j], within(0.01));
      assertThat(r.params()[j].intercept()).isCloseTo(d[j], within(0.01));
    }
  }

  /**
   * LSAT7 equal-slope 1PL, {@code mirt(..., 1, 'Rasch')} reparameterised with CONSTRAIN of equal
   * a1 and θ ~ N(0, 1) (mirt tests/testthat/test-01-mirtOne.R): a1, d, and a1's crossprod 95% interval.
   */
  @Test
  void lsat7EqualSlopesMatchesMirt() {
    CalibrationResult r =
        new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.RASCH)).run(lsat7);
    print("LSAT7 1PL", r);
    double[] a = MirtPublished.estimates("LSAT7", EQUAL_SLOPES, "a1");
    double[] d = MirtPublished.estimates("LSAT7", EQUAL_SLOPES, "d");
    for (int j = 0; j < 5; j++) {
      assertThat(r.params()[j].a()).isCloseTo(a[j], within(0.01));
      assertThat(r.params()[j].intercept()).isCloseTo(d[j], within(0.01));
    }
    // mirt's interval is from the cross-product estimator, ours from the observed information
    // (ItemInformationTest checks that against a finite-difference Hessian): close, not equal.
    double[] ci = MirtPublished.intervals("LSAT7", EQUAL_SLOPES, "a1")[0];
    double mirtSe = (ci[1] - ci[0]) / (2 * 1.959964);
    assertThat(r.params()[0].seA() / mirtSe).isBetween(0.95, 1.05);
  }

  /**
   * Observed-information SEs against mirt's Oakes SEs for the LSAT7 2PL slopes (from its 95% CIs
   * in reference/coef-method.md: half-width / 1.96). Louis and Oakes give the same matrix, so they
   * agree to the three decimals mirt prints (ItemInformationTest checks d too).
   */
  @Test
  void lsat7TwoPlStandardErrorsAreCloseToMirts() {
    CalibrationResult r =
        new EmCalibration(CalibrationSettings.maximumLikelihood(ItemModel.TWO_PL)).run(lsat7);
    double[][] ci = MirtPublished.intervals("LSAT7", TWO_PL, "a1");
    for (int j = 0; j < 5; j++) {
      double mirtSe = (ci[j][1] - ci[j][0]) / (2 * 1.959964);
      assertThat(r.params()[j].seA() / mirtSe).as("SE(a) ratio, item %d", j + 1)
          .isBetween(0.98, 1.02);
      assertThat(r.params()[j].seB()).isPositive();
      assertThat(r.params()[j].seC()).isNaN();
    }
  }

  static void print(String label, CalibrationResult r) {
    System.out.printf("%s: iterations=%d converged=%s logLik=%.4f maxGrad=%.2e dParam=%.2e%n",
        label, r.iterations(), r.converged(), r.logLikelihood(), r.maxGradient(),
        r.parameterChange());
    for (ItemParams p : r.params()) {
      System.out.printf("  a=%.4f (%.4f) b=%.4f (%.4f) c=%.4f (%.4f) d=%.4f%n", p.a(), p.seA(),
          p.b(), p.seB(), p.c(), p.seC(), p.intercept());
    }
  }
}
