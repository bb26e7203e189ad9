package io.seedtest.analytics.report;

import java.util.List;

/**
 * What a run of generate-weekly-reports renders besides its week: the language, a subset of
 * students (empty = everyone with a weekly_kpi row that day) and how many recommendations.
 */
public record ReportOptions(ReportLocale locale, List<Long> users, int topN) {
  public static final int DEFAULT_TOP_N = 5;

  public ReportOptions {
    users = List.copyOf(users);
    if (topN < 1) {
      throw new IllegalArgumentException("top-N must be at least 1");
    }
  }

  public static ReportOptions defaults() {
    return new ReportOptions(ReportLocale.KO, List.of(), DEFAULT_TOP_N);
  }
}
