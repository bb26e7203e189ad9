package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The M-step's analytic gradient and Hessian against central finite differences, for every model
 * with and without priors, at points spread over the parameter box.
 */
class ItemObjectiveTest {
  private static final Quadrature GRID = Quadrature.standardNormal();
  private static final double[][] POINTS = {
    {1.2, -0.5, 0.15}, {0.4, 1.8, 0.3}, {2.5, -2.0, 0.05}, {0.8, 3.5, 0.45}, {4.0, 0.2, 0.22}
  };

  @ParameterizedTest
  @EnumSource(ItemModel.class)
  void gradientAndHessianMatchFiniteDifferences(ItemModel model) {
    ItemCounts counts = ItemCountsFixture.noisy(ItemParams.of(1.1, 0.3, 0.18), 800,
        GRID.nodes(), GRID.weights(), 7);
    for (ItemPriors priors : new ItemPriors[] {ItemPriors.none(), ItemPriors.defaults(),
        ItemPriors.defaults().withSlope(0.3, 0.2).withDifficulty(1.0, 0.7)}) {
      ItemObjective objective = new ItemObjective(GRID.nodes(), counts, model, priors);
      for (double[] point : POINTS) {
        double[] x = point.clone();
        if (!model.hasGuessing()) {
          x[2] = 0.0;
        }
        int dims = model.hasGuessing() ? 3 : 2;
        double[] g = new double[3];
        double[] h = new double[9];
        double f = objective.evaluate(x[0], x[1], x[2], g, h);
        assertThat(f).isCloseTo(objective.value(x[0], x[1], x[2]), within(1e-9 * Math.abs(f)));
        for (int i = 0; i < dims; i++) {
          double step = 1e-5 * Math.max(1.0, Math.abs(x[i]));
          double[] up = x.clone();
          double[] down = x.clone();
          up[i] += step;
          down[i] -= step;
          double fd = (objective.value(up[0], up[1], up[2])
              - objective.value(down[0], down[1], down[2])) / (2 * step);
          assertThat(g[i]).as("%s %s gradient %d at %s", model, priors, i, x)
              .isCloseTo(fd, within(1e-6 * (1 + Math.abs(fd))));
          double[] gUp = new double[3];
          double[] gDown = new double[3];
          objective.evaluate(up[0], up[1], up[2], gUp, new double[9]);
          objective.evaluate(down[0], down[1], down[2], gDown, new double[9]);
          for (int j = 0; j < dims; j++) {
            double fdH = (gUp[j] - gDown[j]) / (2 * step);
            assertThat(h[j * 3 + i]).as("%s %s hessian %d,%d at %s", model, priors, j, i, x)
                .isCloseTo(fdH, within(1e-5 * (1 + Math.abs(fdH))));
            assertThat(h[j * 3 + i]).isEqualTo(h[i * 3 + j]);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ItemModel.class)
  void priorsEnterOnlyWhereTheModelEstimatesTheParameter(ItemModel model) {
    ItemCounts counts = ItemCountsFixture.noisy(ItemParams.of(1, 0, 0.2), 100, GRID.nodes(),
        GRID.weights(), 3);
    double plain = new ItemObjective(GRID.nodes(), counts, model, ItemPriors.none())
        .value(1.5, 0.5, model.hasGuessing() ? 0.2 : 0.0);
    double slopeOnly = new ItemObjective(GRID.nodes(), counts, model,
        ItemPriors.none().withSlope(0, 0.5)).value(1.5, 0.5, model.hasGuessing() ? 0.2 : 0.0);
    double expectedSlopeTerm = -Math.log(1.5) - 0.5 * Math.pow(Math.log(1.5) / 0.5, 2);
    assertThat(slopeOnly - plain)
        .isCloseTo(model.hasItemSlope() ? expectedSlopeTerm : 0.0, within(1e-12));
  }
}
