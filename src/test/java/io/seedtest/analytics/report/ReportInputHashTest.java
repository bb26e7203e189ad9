package io.seedtest.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run-wide part of the input hash: the same for the same run, different when what renders differs. */
class ReportInputHashTest {
  private static ItemPool pool(double b2) {
    return new ItemPool(new long[] {1, 2}, new String[] {"algebra", "geometry"}, new double[] {1.0, 1.2},
        new double[] {0.0, b2}, new double[] {0.2, 0.2});
  }

  @Test
  void theSameRunGivesTheSameFingerprint() {
    assertThat(ReportInputHash.fingerprint(ReportLocale.KO, 5, pool(0.5)))
        .isEqualTo(ReportInputHash.fingerprint(ReportLocale.KO, 5, pool(0.5)))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void localeTopNAndItemParametersChangeIt() {
    String base = ReportInputHash.fingerprint(ReportLocale.KO, 5, pool(0.5));
    assertThat(ReportInputHash.fingerprint(ReportLocale.EN, 5, pool(0.5))).isNotEqualTo(base);
    assertThat(ReportInputHash.fingerprint(ReportLocale.KO, 3, pool(0.5))).isNotEqualTo(base);
    assertThat(ReportInputHash.fingerprint(ReportLocale.KO, 5, pool(0.51))).isNotEqualTo(base);
  }
}
