package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.irt.AbilityEstimate;
import io.seedtest.analytics.irt.CalibrationResult;
import io.seedtest.analytics.irt.CalibrationSettings;
import io.seedtest.analytics.irt.EapScorer;
import io.seedtest.analytics.irt.EmCalibration;
import io.seedtest.analytics.irt.ItemModel;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.Responses;
import io.seedtest.analytics.irt.ScaleTransform;
import io.seedtest.analytics.irt.StockingLord;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale linking with known truth (plain Java: the EM, the scorer and the linking code, no Spark).
 *
 * <p>Two weekly calibrations of one 500-item bank. Week 1: 5,000 students θ ~ N(0, 1) answer 48
 * of items 0–399. Week 2: 5,000 students θ ~ N(0.5, 1.1²) (on week 1's scale) answer 48 of items
 * 100–499, so 300 items are shared. 300 more students, θ ~ N(0.25, 1), take part in both weeks.
 * Each calibration puts its own students at N(0, 1), so week 2's own scale is θ₂ = (θ − 0.5)/1.1
 * and the link back must be θ = 1.1·θ₂ + 0.5.
 */
@Tag("slow")
class ScaleLinkingTest {
  private static final int SHARED_FROM = 100;
  private static final int SHARED_TO = 400;
  private static final int COMMON_STUDENTS = 300;
  private static final int POPULATION = 5_000;

  private static CalibrationResult week1;
  private static CalibrationResult week2;
  private static Responses answers1;
  private static Responses answers2;
  private static double[] commonTheta;
  private static Linking link;
  /** The same link without drift purification, for the figures in docs/irt.md. */
  private static Linking linkOverAll;

  @BeforeAll
  static void calibrateTwoWeeks() {
    ItemParams[] bank = IrtFixtures.itemBank(21L, 500);
    Random random = new Random(22L);
    commonTheta = new double[COMMON_STUDENTS];
    for (int s = 0; s < COMMON_STUDENTS; s++) {
      commonTheta[s] = 0.25 + random.nextGaussian();
    }
    answers1 = IrtFixtures.answer(random, bank, IrtFixtures.range(0, 400), population(random, 0.0, 1.0), 48)
        .responses();
    answers2 = IrtFixtures.answer(random, bank, IrtFixtures.range(100, 500), population(random, 0.5, 1.1), 48)
        .responses();
    CalibrationSettings settings = CalibrationSettings.defaults(ItemModel.THREE_PL);
    week1 = new EmCalibration(settings).run(answers1);
    week2 = new EmCalibration(settings).run(answers2);

    Map<Long, ItemParams> reference = new HashMap<>();
    for (int j = 0; j < 400; j++) {
      reference.put((long) j, week1.params()[j]);
    }
    PreviousCalibration previous = new PreviousCalibration("week-1", LocalDate.parse("2026-11-01"),
        ScaleTransform.IDENTITY, reference);
    long[] ids = IrtFixtures.ids(500, 0);
    link = Linking.decide(Optional.of(previous), ids, week2.params());
    linkOverAll = Linking.decide(Optional.of(previous), ids, week2.params(), 0.0);
  }

  /** The population plus the common students (the last {@value #COMMON_STUDENTS}). */
  private static double[] population(Random random, double mean, double sd) {
    double[] theta = new double[POPULATION + COMMON_STUDENTS];
    for (int s = 0; s < POPULATION; s++) {
      theta[s] = mean + sd * random.nextGaussian();
    }
    System.arraycopy(commonTheta, 0, theta, POPULATION, COMMON_STUDENTS);
    return theta;
  }

  @Test
  void stockingLordRecoversTheShiftAndScaleOfThePopulation() {
    System.out.printf("linking: %s A=%.4f B=%.4f over %d common items, %d anchors (%d purged as drifted) "
            + "(week 1 %d iterations, week 2 %d)%n",
        link.method(), link.transform().a(), link.transform().b(), link.commonItems(), link.anchorItems(),
        link.purgedItems(), week1.iterations(), week2.iterations());
    System.out.printf("linking over all common items (--drift-fdr 0): A=%.4f B=%.4f%n", linkOverAll.transform().a(),
        linkOverAll.transform().b());
    assertThat(week1.converged()).isTrue();
    assertThat(week2.converged()).isTrue();
    assertThat(link.method()).isEqualTo(Linking.STOCKING_LORD);
    assertThat(link.commonItems()).isEqualTo(SHARED_TO - SHARED_FROM);
    assertThat(link.transform().a()).isCloseTo(1.1, within(0.05));
    assertThat(link.transform().b()).isCloseTo(0.5, within(0.05));
  }

  /**
   * Linked, the shared items' difficulties differ from week 1's by no more than their standard
   * errors imply: the standardised differences (b₂ − b₁)/√(SE₁² + SE₂²) fall within ±1.96 for at
   * least 90% of items, and their mean square is not above 1 (it is below: measured 0.43 here,
   * i.e. the cross-product SEs of 3PL difficulties are conservative by about 1.5× in this design,
   * see docs/irt.md) and the linked b's show no shift.
   */
  @Test
  void sharedItemsLinkedDifficultiesAgreeWithinTheirStandardErrors() {
    ItemParams[] linked = link.transform().apply(week2.params());
    int within = 0;
    double sumSquares = 0;
    double meanDifference = 0;
    for (int j = SHARED_FROM; j < SHARED_TO; j++) {
      ItemParams p1 = week1.params()[j];
      ItemParams p2 = linked[j];
      double z = (p2.b() - p1.b()) / Math.hypot(p1.seB(), p2.seB());
      within += Math.abs(z) <= 1.96 ? 1 : 0;
      sumSquares += z * z;
      meanDifference += p2.b() - p1.b();
    }
    int n = SHARED_TO - SHARED_FROM;
    System.out.printf("shared b: %.1f%% within 1.96 SE, mean z² %.2f, mean difference %+.4f%n", 100.0 * within / n,
        sumSquares / n, meanDifference / n);
    assertThat((double) within / n).isGreaterThan(0.9);
    assertThat(sumSquares / n).isLessThan(1.2);
    assertThat(meanDifference / n).isCloseTo(0.0, within(0.03));
  }

  /**
   * A student who answered in both weeks gets the same θ within her SE once week 2 is linked, and
   * so do the other common students (within the combined SE of the two estimates, 95% of the
   * time). Their mean difference is not zero and should not be: each week's EAP shrinks toward its
   * own population (N(0, 1), and N(0.48, 1.07²) on the common scale), and these students, at 0.25
   * on average, sit between the two.
   */
  @Test
  void aStudentInBothWeeksGetsTheSameThetaWithinHerStandardError() {
    EapScorer scorer1 = new EapScorer(week1.params());
    EapScorer scorer2 = new EapScorer(week2.params());
    ScaleTransform t = link.transform();
    int agree = 0;
    double meanDifference = 0;
    for (int k = 0; k < COMMON_STUDENTS; k++) {
      int s = POPULATION + k;
      AbilityEstimate e1 = score(scorer1, answers1, s);
      AbilityEstimate e2 = t.apply(score(scorer2, answers2, s));
      double combined = Math.hypot(e1.sd(), e2.sd());
      agree += Math.abs(e2.theta() - e1.theta()) <= 1.96 * combined ? 1 : 0;
      meanDifference += e2.theta() - e1.theta();
      if (k == 0) {
        System.out.printf("common student (true θ %.3f): week 1 %.3f ± %.3f, week 2 linked %.3f ± %.3f%n",
            commonTheta[0], e1.theta(), e1.sd(), e2.theta(), e2.sd());
        assertThat(Math.abs(e2.theta() - e1.theta())).isLessThan(e1.sd());
      }
    }
    System.out.printf("common students: %.1f%% agree within 1.96 combined SE, mean difference %+.4f%n",
        100.0 * agree / COMMON_STUDENTS, meanDifference / COMMON_STUDENTS);
    assertThat((double) agree / COMMON_STUDENTS).isGreaterThan(0.9);
    assertThat(meanDifference / COMMON_STUDENTS).isCloseTo(0.0, within(0.15));
  }

  private static AbilityEstimate score(EapScorer scorer, Responses r, int s) {
    return scorer.score(r.itemIndex(), r.correct(), r.from(s), r.to(s), 0.0, 1.0, new double[61]);
  }

  /** With exact parameters the criterion is zero at the true constants, and the fit finds them. */
  @Test
  void exactParametersAreLinkedExactly() {
    ItemParams[] reference = IrtFixtures.itemBank(31L, 40);
    ScaleTransform truth = new ScaleTransform(0.8, -0.3);
    ItemParams[] current = truth.inverse().apply(reference);
    StockingLord.Link fit = new StockingLord().link(reference, current);
    assertThat(fit.converged()).isTrue();
    assertThat(fit.transform().a()).isCloseTo(0.8, within(1e-6));
    assertThat(fit.transform().b()).isCloseTo(-0.3, within(1e-6));
    assertThat(fit.criterion()).isLessThan(1e-12);
  }

  @Test
  void tooFewCommonItemsLeaveTheScaleUnlinkedAndSaySo() {
    Map<Long, ItemParams> reference = new HashMap<>();
    for (int j = 0; j < 5; j++) {
      reference.put((long) j, week1.params()[j]);
    }
    Linking none = Linking.decide(Optional.of(new PreviousCalibration("old", LocalDate.parse("2026-10-01"),
        ScaleTransform.IDENTITY, reference)), IrtFixtures.ids(500, 0), week1.params());
    assertThat(none.method()).isEqualTo(Linking.NONE_TOO_FEW);
    assertThat(none.commonItems()).isEqualTo(5);
    assertThat(none.transform().isIdentity()).isTrue();
    assertThat(Linking.decide(Optional.empty(), IrtFixtures.ids(500, 0), week1.params()).method())
        .isEqualTo(Linking.NONE_FIRST);
  }
}
