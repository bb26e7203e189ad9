package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ItemMStepTest {
  private static final Quadrature GRID = Quadrature.standardNormal();
  private static final double[] THETA = GRID.nodes();
  private static final double[] WEIGHTS = GRID.weights();
  private static final ParameterBounds BOUNDS = ParameterBounds.defaults();

  @Test
  void twoPlRecoversTheParametersThatGeneratedExactCounts() {
    ItemParams truth = ItemParams.of(1.4, -0.7, 0.0);
    ItemCounts counts = ItemCountsFixture.exact(truth, 1000, THETA, WEIGHTS);
    ItemFit fit = new ItemMStep(ItemModel.TWO_PL, ItemPriors.none(), BOUNDS)
        .fit(THETA, counts, ItemParams.of(1, 0, 0));
    assertThat(fit.converged()).isTrue();
    assertThat(fit.params().a()).isCloseTo(1.4, within(1e-7));
    assertThat(fit.params().b()).isCloseTo(-0.7, within(1e-7));
    assertThat(fit.params().c()).isZero();
    assertThat(fit.gradientNorm()).isLessThan(1e-5);
    assertThat(fit.iterations()).isLessThan(15);
  }

  @Test
  void threePlRecoversTheParametersThatGeneratedExactCounts() {
    ItemParams truth = ItemParams.of(1.8, 0.4, 0.2);
    ItemCounts counts = ItemCountsFixture.exact(truth, 5000, THETA, WEIGHTS);
    ItemFit fit = new ItemMStep(ItemModel.THREE_PL, ItemPriors.none(), BOUNDS)
        .fit(THETA, counts, ItemParams.of(1, 0, 0.1));
    assertThat(fit.converged()).isTrue();
    assertThat(fit.params().a()).isCloseTo(1.8, within(1e-6));
    assertThat(fit.params().b()).isCloseTo(0.4, within(1e-6));
    assertThat(fit.params().c()).isCloseTo(0.2, within(1e-6));
  }

  @Test
  void raschHoldsTheSlopeItIsGiven() {
    ItemCounts counts = ItemCountsFixture.exact(ItemParams.of(0.8, 1.0, 0), 500, THETA, WEIGHTS);
    ItemFit fit = new ItemMStep(ItemModel.RASCH, ItemPriors.none(), BOUNDS)
        .fit(THETA, counts, ItemParams.of(0.8, 0, 0));
    assertThat(fit.params().a()).isEqualTo(0.8);
    assertThat(fit.params().b()).isCloseTo(1.0, within(1e-7));
  }

  @Test
  void priorsPullASmallSampleTowardsThem() {
    ItemCounts counts = ItemCountsFixture.noisy(ItemParams.of(2.5, 0.5, 0.05), 30, THETA,
        WEIGHTS, 11);
    ItemFit ml = new ItemMStep(ItemModel.THREE_PL, ItemPriors.none(), BOUNDS)
        .fit(THETA, counts, ItemParams.of(1, 0, 0.2));
    ItemFit map = new ItemMStep(ItemModel.THREE_PL, ItemPriors.defaults(), BOUNDS)
        .fit(THETA, counts, ItemParams.of(1, 0, 0.2));
    assertThat(map.converged()).isTrue();
    assertThat(map.gradientNorm()).isLessThan(1e-6);
    assertThat(Math.abs(Math.log(map.params().a()))).isLessThan(Math.abs(Math.log(ml.params().a())));
    assertThat(map.params().c()).isBetween(0.05, 0.4);
  }

  @Test
  void unanimousItemsStayFiniteUnderPriorsAndOnTheBoundsWithout() {
    for (ItemModel model : new ItemModel[] {ItemModel.TWO_PL, ItemModel.THREE_PL}) {
      for (boolean allCorrect : new boolean[] {true, false}) {
        ItemCounts counts = ItemCountsFixture.unanimous(allCorrect, 200, WEIGHTS);
        ItemFit map = new ItemMStep(model, ItemPriors.defaults(), BOUNDS)
            .fit(THETA, counts, ItemParams.of(1, 0, 0.2));
        ItemParams p = map.params();
        String what = model + (allCorrect ? " all correct" : " all wrong");
        assertThat(map.converged()).as(what).isTrue();
        assertThat(map.objective()).as(what).isFinite();
        assertThat(p.a()).as(what).isBetween(BOUNDS.aMin(), BOUNDS.aMax());
        assertThat(p.b()).as(what).isStrictlyBetween(BOUNDS.bMin(), BOUNDS.bMax());
        assertThat(p.c()).as(what).isBetween(0.0, BOUNDS.cMax());
        if (allCorrect) {
          assertThat(p.b()).as(what).isLessThan(-2.0);
        } else {
          assertThat(p.b()).as(what).isGreaterThan(2.0);
        }

        ItemFit ml = new ItemMStep(model, ItemPriors.none(), BOUNDS)
            .fit(THETA, counts, ItemParams.of(1, 0, 0.2));
        ItemParams q = ml.params();
        assertThat(ml.objective()).as(what).isFinite();
        assertThat(q.a()).as(what).isBetween(BOUNDS.aMin(), BOUNDS.aMax());
        assertThat(q.b()).as(what).isBetween(BOUNDS.bMin(), BOUNDS.bMax());
        assertThat(q.c()).as(what).isBetween(BOUNDS.cMin(), BOUNDS.cMax());
        assertThat(Math.abs(q.b())).as(what + ": the likelihood runs to the b bound")
            .isGreaterThan(Math.abs(p.b()));
      }
    }
  }
}
