package io.seedtest.analytics.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Hand-made students and item pools for the report tests. */
final class ReportFixtures {
  static final LocalDate DAY = LocalDate.of(2026, 11, 29);
  static final String MARKUP = "<script>alert('x')</script>";
  static final String EMOJI = "확률과 통계 📈";
  static final String LONG = "a_topic_with_a_very_long_name_that_never_breaks_by_itself_".repeat(3);

  private ReportFixtures() {}

  /** A student with 12 weeks of θ, P history, a goal and three topics, one named with markup. */
  static StudentWeek full(long user) {
    List<StudentWeek.ThetaPoint> theta = new ArrayList<>();
    List<StudentWeek.WeekValue> p = new ArrayList<>();
    for (int k = 11; k >= 0; k--) {
      theta.add(new StudentWeek.ThetaPoint(DAY.minusDays(7L * k), -0.4 + 0.05 * (11 - k), 0.35 - 0.01 * (11 - k)));
      p.add(new StudentWeek.WeekValue(DAY.minusDays(7L * k), 0.2 + 0.03 * (11 - k)));
    }
    List<TopicWeek> topics = List.of(new TopicWeek("algebra", 12, 9, 10, 6, 40, 28),
        new TopicWeek(MARKUP, 5, 2, 4, 1, 20, 7), new TopicWeek(EMOJI, 3, 3, 0, 0, 3, 3),
        new TopicWeek(LONG, 6, 3, 2, 1, 8, 4));
    return new StudentWeek(user, DAY, new StudentWeek.Kpis(0.65, 0.57, 0.9, 0.08, 26),
        new StudentWeek.Kpis(0.5, 0.43, null, 0.02, 16), "theta", 0.41, 0.8, true, LocalDate.of(2027, 2, 1), 0.15,
        0.24, true, p, theta, topics, Set.of(1L, 2L));
  }

  /** A student in her first week: no θ, no goal, no P history, one topic. */
  static StudentWeek newcomer(long user) {
    return new StudentWeek(user, DAY, new StudentWeek.Kpis(0.5, 0.14, null, null, 4),
        new StudentWeek.Kpis(null, null, null, null, 0), "accuracy", null, 0.0, false, null, null, null, false,
        List.of(), List.of(), List.of(new TopicWeek("geometry", 4, 2, 0, 0, 4, 2)), Set.of());
  }

  /** Items 1..n over the topics given, b spread from −2 to 2, a = 1.2, c = 0.2. */
  static ItemPool pool(int n, String... topics) {
    long[] id = new long[n];
    String[] topic = new String[n];
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      id[i] = i + 1;
      topic[i] = topics[i % topics.length];
      a[i] = 1.2;
      b[i] = -2 + 4.0 * i / Math.max(1, n - 1);
      c[i] = 0.2;
    }
    return new ItemPool(id, topic, a, b, c);
  }
}
