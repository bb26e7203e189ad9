package io.seedtest.analytics.irt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SquaremStepTest {
  private static final ParameterBounds BOUNDS = ParameterBounds.defaults();

  /** A linear EM map x → x* + ρ(x − x*): SQUAREM's step α = 1/(1 − ρ) lands on x* exactly. */
  @Test
  void jumpsToTheFixedPointOfALinearContraction() {
    double rho = 0.75;
    ItemParams target = ItemParams.of(1.2, -0.4, 0.18);
    ItemParams[] p0 = {ItemParams.of(1.0, 0.0, 0.25)};
    ItemParams[] p1 = {contract(p0[0], target, rho)};
    ItemParams[] p2 = {contract(p1[0], target, rho)};
    SquaremStep step = new SquaremStep(BOUNDS);
    ItemParams[] jump = step.propose(p0, p1, p2);
    assertThat(step.lastStep()).isCloseTo(1 / (1 - rho), within(1e-9));
    assertThat(jump[0].a()).isCloseTo(1.2, within(1e-9));
    assertThat(jump[0].b()).isCloseTo(-0.4, within(1e-9));
    assertThat(jump[0].c()).isCloseTo(0.18, within(1e-9));
  }

  @Test
  void capsTheStepClampsToTheBoundsAndLeavesFixedAndUncalibratedParametersAlone() {
    // ρ = 0.99 wants α = 100: capped at 4, then the cap grows
    ItemParams target = ItemParams.of(1.0, 7.9, 0.0);
    ItemParams[] p0 = {ItemParams.of(1.0, 0.0, 0.0), ItemParams.notCalibrated()};
    ItemParams[] p1 = {contract(p0[0], target, 0.99), ItemParams.notCalibrated()};
    ItemParams[] p2 = {contract(p1[0], target, 0.99), ItemParams.notCalibrated()};
    SquaremStep step = new SquaremStep(BOUNDS);
    ItemParams[] jump = step.propose(p0, p1, p2);
    assertThat(step.lastStep()).isEqualTo(4.0);
    assertThat(jump[0].c()).isEqualTo(0.0);
    assertThat(jump[0].b()).isBetween(p2[0].b(), BOUNDS.bMax());
    assertThat(jump[1].isCalibrated()).isFalse();
    step.propose(p0, p1, p2);
    assertThat(step.lastStep()).isEqualTo(16.0);
    step.rejected();
    step.propose(p0, p1, p2);
    assertThat(step.lastStep()).isEqualTo(16.0);
  }

  @Test
  void proposesNothingWhenTheIteratesDidNotMove() {
    ItemParams[] p = {ItemParams.of(1.0, 0.0, 0.2)};
    assertThat(new SquaremStep(BOUNDS).propose(p, p, p)).isNull();
  }

  private static ItemParams contract(ItemParams x, ItemParams target, double rho) {
    return ItemParams.of(target.a() + rho * (x.a() - target.a()), target.b() + rho * (x.b() - target.b()),
        target.c() + rho * (x.c() - target.c()));
  }
}
