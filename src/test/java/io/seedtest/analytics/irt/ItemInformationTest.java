package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ItemInformationTest {
  private static final Quadrature GRID = Quadrature.standardNormal();

  @Test
  void partitionsMergeToTheSameStandardErrorsAsOnePass() {
    SimulatedCohort cohort = SimulatedCohort.generate(9L, 600, 8, 6);
    Responses data = cohort.responses;
    ItemLogTables tables = ItemLogTables.of(cohort.items, GRID);
    ItemInformation whole = new ItemInformation(ItemModel.THREE_PL, 8);
    ItemInformation odd = new ItemInformation(ItemModel.THREE_PL, 8);
    ItemInformation even = new ItemInformation(ItemModel.THREE_PL, 8);
    double[] scratch = new double[GRID.size()];
    for (int s = 0; s < data.students(); s++) {
      whole.accumulate(tables, cohort.items, data.itemIndex(), data.correct(), data.from(s),
          data.to(s), scratch);
      (s % 2 == 0 ? even : odd).accumulate(tables, cohort.items, data.itemIndex(),
          data.correct(), data.from(s), data.to(s), scratch);
    }
    ItemParams[] a = whole.standardErrors(cohort.items, ItemPriors.defaults(),
        ParameterBounds.defaults());
    ItemParams[] b = even.merge(odd).standardErrors(cohort.items, ItemPriors.defaults(),
        ParameterBounds.defaults());
    for (int j = 0; j < 8; j++) {
      assertThat(a[j].seA()).isPositive().isCloseTo(b[j].seA(), within(1e-12));
      assertThat(a[j].seB()).isPositive().isCloseTo(b[j].seB(), within(1e-12));
      assertThat(a[j].seC()).isPositive().isCloseTo(b[j].seC(), within(1e-12));
    }
  }

  @Test
  void priorsShrinkStandardErrorsAndBoundsBlankThem() {
    SimulatedCohort cohort = SimulatedCohort.generate(10L, 300, 6, 6);
    Responses data = cohort.responses;
    ItemParams[] params = cohort.items.clone();
    params[0] = ItemParams.of(params[0].a(), params[0].b(), 0.0);
    ItemLogTables tables = ItemLogTables.of(params, GRID);
    ItemInformation info = new ItemInformation(ItemModel.THREE_PL, 6);
    double[] scratch = new double[GRID.size()];
    for (int s = 0; s < data.students(); s++) {
      info.accumulate(tables, params, data.itemIndex(), data.correct(), data.from(s), data.to(s),
          scratch);
    }
    ParameterBounds bounds = ParameterBounds.defaults();
    ItemParams[] ml = info.standardErrors(params, ItemPriors.none(), bounds);
    ItemParams[] map = info.standardErrors(params, ItemPriors.defaults(), bounds);
    assertThat(ml[0].seC()).as("c on its bound has no symmetric SE").isNaN();
    assertThat(ml[0].seA()).isFinite();
    for (int j = 1; j < 6; j++) {
      assertThat(map[j].seC()).isLessThan(ml[j].seC());
      assertThat(map[j].seA()).isLessThan(ml[j].seA());
    }
  }
}
