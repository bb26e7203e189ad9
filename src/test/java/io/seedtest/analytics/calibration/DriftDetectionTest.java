package io.seedtest.analytics.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A small {@link DriftBenchmark}: two calibrations of simulated cohorts before and after 10 of 100
 * items leak (b 0.8 lower). The leaked items are flagged, stable ones are not, and purified linking
 * puts the second cohort where the leak-free link does while unpurified linking moves it.
 */
@Tag("slow")
class DriftDetectionTest {
  @Test
  void leakedItemsAreFlaggedAndPurificationKeepsThePopulationMean() {
    DriftBenchmark.Figures f = DriftBenchmark.run(100, 20000, 50, 10, 0.8, 1, 19L);
    System.out.println(f.line());
    assertThat(f.leaked()).isEqualTo(10);
    assertThat(f.detection()).isGreaterThanOrEqualTo(0.9);
    assertThat(f.falsePositives()).isLessThanOrEqualTo(0.05);
    assertThat(f.maxShiftPurified()).isLessThanOrEqualTo(0.02);
    assertThat(f.maxShiftUnpurified()).isGreaterThan(0.02);
  }
}
