package io.seedtest.analytics.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.ability.UpdateRule;
import io.seedtest.analytics.sim.SimulationSpec;
import org.junit.jupiter.api.Test;

/**
 * On the simulator, where the true θ of every moment is known: after each session the updated θ
 * must track the student's true θ better than the last weekly θ does ({@link SimulatedTracking}
 * has the design; the benchmark reports the same figures on a larger population).
 */
class SimulatedTrackingTest {

  @Test
  void theUpdatedThetaTracksTheTrueThetaBetterThanTheLastWeeklyTheta() {
    SimulatedTracking.Result r = SimulatedTracking.run(SimulationSpec.realistic().withStudents(400),
        UpdateRule.standard());
    System.out.printf("simulated tracking (%d students, %d sessions after a first weekly θ): RMSE vs true θ at session"
            + " end: updated θ %.4f, last weekly θ %.4f (bias %.4f vs %.4f); vs end-of-day truth %.4f vs %.4f%n",
        r.students(), r.sessions(), r.rmseOnline(), r.rmseWeekly(), r.biasOnline(), r.biasWeekly(), r.rmseOnlineDay(),
        r.rmseWeeklyDay());
    assertThat(r.sessions()).isGreaterThan(2_000);
    assertThat(r.rmseOnline()).isLessThan(r.rmseWeekly());
    assertThat(r.rmseOnlineDay()).isLessThan(r.rmseWeeklyDay());
    assertThat(Math.abs(r.biasOnline())).as("less lag behind a learning student").isLessThan(Math.abs(r.biasWeekly()));
  }
}
