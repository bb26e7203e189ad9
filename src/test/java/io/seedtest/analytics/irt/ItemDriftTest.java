package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ItemDriftTest {

  @Test
  void benjaminiHochbergMatchesTheHandComputedStepUp() {
    // m = 4: sorted 0.01·4/1 = 0.04, 0.03·4/2 = 0.06, 0.04·4/3 = 0.0533, 0.5·4/4 = 0.5; then the running
    // minimum from the top makes the second one 0.0533 too. The NaN (untested) item does not count in m.
    double[] q = ItemDrift.benjaminiHochberg(new double[] {0.01, 0.04, Double.NaN, 0.03, 0.5});
    assertThat(q[0]).isCloseTo(0.04, within(1e-12));
    assertThat(q[1]).isCloseTo(0.04 * 4 / 3, within(1e-12));
    assertThat(q[2]).isNaN();
    assertThat(q[3]).isCloseTo(0.04 * 4 / 3, within(1e-12));
    assertThat(q[4]).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void waldZUsesBothStandardErrorsAndBonferroniOverAAndB() {
    ItemParams prev = new ItemParams(1.0, 0.0, 0.2, 0.1, 0.3, 0.02);
    ItemParams cur = new ItemParams(1.0, -1.0, 0.2, 0.1, 0.4, 0.02);
    ItemDrift.Result r = ItemDrift.test(new ItemParams[] {prev}, new ItemParams[] {cur}, 0.05).get(0);
    assertThat(r.deltaB()).isCloseTo(-1.0, within(1e-12));
    assertThat(r.zB()).isCloseTo(-2.0, within(1e-12)); // −1 / √(0.3² + 0.4²)
    assertThat(r.zA()).isCloseTo(0.0, within(1e-12));
    // p_b = 2Φ(−2) = 0.0455, p_a = 1: p = 2·0.0455.
    assertThat(r.p()).isCloseTo(2 * 0.045500263896, within(1e-9));
    assertThat(r.flagged()).isFalse(); // q = p = 0.091 for a single item
  }

  @Test
  void aParameterWithoutStandardErrorIsLeftOutAndAnItemWithoutAnyIsNotTested() {
    ItemParams prev = new ItemParams(1.0, 0.0, 0.2, Double.NaN, 0.1, Double.NaN);
    ItemParams cur = new ItemParams(1.5, -0.5, 0.2, 0.1, 0.1, Double.NaN);
    ItemParams bare = ItemParams.of(1.0, 0.0, 0.2);
    List<ItemDrift.Result> r = ItemDrift.test(new ItemParams[] {prev, bare}, new ItemParams[] {cur, bare}, 0.05);
    assertThat(r.get(0).zA()).isNaN();
    assertThat(r.get(0).p()).isCloseTo(ItemDrift.twoSided(-0.5 / Math.sqrt(0.02)), within(1e-12));
    assertThat(r.get(0).flagged()).isTrue();
    assertThat(r.get(1).tested()).isFalse();
    assertThat(r.get(1).flagged()).isFalse();
  }

  @Test
  void standardErrorsAreCarriedThroughTheLinkingTransform() {
    // On the own scale SE(b) = 0.1; with A = 2 the linked SE(b) is 0.2 and SE(a) halves.
    ItemParams own = new ItemParams(2.0, 0.5, 0.2, 0.2, 0.1, 0.01);
    ItemParams linked = new ScaleTransform(2.0, 1.0).apply(own);
    ItemParams prev = new ItemParams(1.0, 2.0, 0.2, 0.1, 0.2, 0.01);
    ItemDrift.Result r = ItemDrift.test(new ItemParams[] {prev}, new ItemParams[] {linked}, 0.05).get(0);
    assertThat(r.deltaB()).isCloseTo(0.0, within(1e-12));
    assertThat(linked.seB()).isCloseTo(0.2, within(1e-12));
    assertThat(linked.seA()).isCloseTo(0.1, within(1e-12));
  }
}
