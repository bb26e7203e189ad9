package io.seedtest.analytics.kpi;

import static io.seedtest.analytics.kpi.KpiFixtures.r;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every KPI of weekly_kpi on four hand-made students (the week ends 2026-11-20, lookback 30 days),
 * with the expected values worked out here from the definitions in docs/metrics.md:
 * <ol>
 *   <li>one day: a single session on the day itself;
 *   <li>a gap: algebra three weeks ago, algebra again two days ago (a revisited topic), geometry today;
 *       has a goal but no θ;
 *   <li>with θ and a goal: three weekly ability estimates, a session last week and one yesterday;
 *   <li>no θ, no goal: one session three days ago.
 * </ol>
 */
@Tag("spark")
class KpiFormulasTest {
  private static final NormalDistribution PHI = new NormalDistribution(null, 0, 1);
  static final LocalDate T = LocalDate.parse("2026-11-20");
  static final double EPS = 1e-9;
  static Map<Long, Row> plain;
  static Map<Long, Row> bayes;

  @BeforeAll
  static void compute() {
    SparkTestSession.get();
    KpiFixtures f = new KpiFixtures()
        .session(1, 101, "2026-11-20T10:00:00Z", "algebra", "1110", 30_000)
        .session(2, 201, "2026-10-31T09:00:00Z", "algebra", "1110", 60_000)
        .session(2, 202, "2026-11-18T09:00:00Z", "algebra", "11", 60_000)
        .session(2, 203, "2026-11-20T09:00:00Z", "geometry", "100", 20_000)
        .session(3, 301, "2026-11-11T18:00:00Z", "algebra", "10", 30_000)
        .session(3, 302, "2026-11-19T18:00:00Z", "algebra", "1110", 45_000)
        .session(4, 401, "2026-11-17T12:00:00Z", "geometry", "11000", 10_000);
    Dataset<Row> history = KpiFixtures.history(
        r(3, "2026-11-06T00:00:00Z", -0.2, 0.5), r(3, "2026-11-13T00:00:00Z", 0.0, 0.4),
        r(3, "2026-11-20T00:00:00Z", 0.3, 0.3));
    Dataset<Row> goals = KpiFixtures.goals(r(2, 1.0, "2026-12-20"), r(3, 0.5, "2026-11-30"));
    KpiPipeline.Inputs in = f.inputs(history, goals);
    plain = byUser(KpiPipeline.weeklyKpi(SparkTestSession.get(), in,
        new KpiParams(T, KpiFixtures.endOf("2026-11-20"), 30, 0.0, false, "daily"), null, null, "run-1"));
    bayes = byUser(KpiPipeline.weeklyKpi(SparkTestSession.get(), in,
        new KpiParams(T, KpiFixtures.endOf("2026-11-20"), 30, 0.0, true, "daily"), null, null, "run-1"));
  }

  static Map<Long, Row> byUser(Dataset<Row> rows) {
    Map<Long, Row> m = new HashMap<>();
    rows.collectAsList().forEach(r -> m.put(r.getLong(0), r));
    return m;
  }

  static double d(Row r, String c) {
    return r.<Number>getAs(c).doubleValue();
  }

  @Test
  void theWholePopulationGetsOneRowEach() {
    assertThat(plain.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    assertThat(plain.get(1L).<java.sql.Date>getAs("week_ending").toLocalDate()).isEqualTo(T);
    assertThat(plain.get(1L).<String>getAs("churn_source")).isEqualTo("none");
    assertThat(plain.get(1L).<Object>getAs("s_churn")).isNull();
  }

  @Test
  void aStudentWithOneDay() {
    Row s = plain.get(1L);
    assertThat(s.<Integer>getAs("attempts_7d")).isEqualTo(4);
    assertThat(s.<Integer>getAs("correct_7d")).isEqualTo(3);
    assertThat(s.<Integer>getAs("active_days_7d")).isEqualTo(1);
    assertThat(d(s, "time_on_task_7d_s")).isCloseTo(120.0, within(EPS));
    assertThat(d(s, "baseline_day_time_s")).isCloseTo(120.0, within(EPS));
    assertThat(d(s, "a_t")).isCloseTo(0.75, within(EPS));
    assertThat(d(s, "e_t")).as("one active day at her usual time").isCloseTo(1.0 / 7, within(EPS));
    assertThat(s.<Object>getAs("a_prev")).isNull();
    assertThat(s.<Object>getAs("i_t")).as("no previous week, no θ").isNull();
    assertThat(s.<Object>getAs("i_source")).isNull();
    assertThat(s.<Object>getAs("r_t")).isNull();
    assertThat(s.<Integer>getAs("revisited_topics")).isZero();
    assertThat(s.<Integer>getAs("recency_days")).isZero();
    assertThat(s.<Integer>getAs("tenure_days")).isZero();
  }

  @Test
  void aStudentWithAGap() {
    Row s = plain.get(2L);
    assertThat(s.<Integer>getAs("attempts_7d")).isEqualTo(5);
    assertThat(d(s, "a_t")).isCloseTo(3.0 / 5, within(EPS));
    // day times 240 s (three weeks ago), 120 s, 60 s: baseline = median 120 s; this week 120/120 and 60/120
    assertThat(d(s, "baseline_day_time_s")).isCloseTo(120.0, within(EPS));
    assertThat(d(s, "e_t")).isCloseTo((1.0 + 0.5) / 7, within(EPS));
    // algebra again after 18 days: 2/2 on the revisit day vs 3/4 before
    assertThat(s.<Integer>getAs("revisited_topics")).isEqualTo(1);
    assertThat(d(s, "r_t")).isCloseTo(1.0 / 0.75, within(EPS));
    assertThat(s.<Integer>getAs("tenure_days")).isEqualTo(20);
    assertThat(s.<Integer>getAs("active_days_window")).isEqualTo(3);
    assertThat(s.<Object>getAs("i_t")).isNull();
  }

  @Test
  void aStudentWithThetaAndAGoal() {
    Row s = plain.get(3L);
    assertThat(d(s, "a_t")).isCloseTo(0.75, within(EPS));
    assertThat(d(s, "a_prev")).isCloseTo(0.5, within(EPS));
    assertThat(d(s, "e_t")).as("180 s against a baseline of 120 s counts 1").isCloseTo(1.0 / 7, within(EPS));
    assertThat(d(s, "r_t")).isCloseTo(0.75 / 0.5, within(EPS));
    assertThat(s.<Integer>getAs("recency_days")).isEqualTo(1);
    assertThat(s.<Integer>getAs("tenure_days")).isEqualTo(9);
    // θ-delta wins over the accuracy delta once θ exists
    assertThat(s.<String>getAs("i_source")).isEqualTo("theta");
    assertThat(d(s, "i_t")).isCloseTo(0.3 - 0.0, within(EPS));
    assertThat(s.<String>getAs("theta_source")).isEqualTo("calibrated");
    assertThat(d(s, "theta")).isCloseTo(0.3, within(EPS));
    assertThat(d(s, "theta_se")).isCloseTo(0.3, within(EPS));
    // WLS slope over x = −15, −8, −1 days (before the cutoff), weights 1/SE²
    double[] x = {-15, -8, -1};
    double[] y = {-0.2, 0.0, 0.3};
    double[] w = {1 / 0.25, 1 / 0.16, 1 / 0.09};
    double sw = 0, swx = 0, swy = 0, swxx = 0, swxy = 0;
    for (int i = 0; i < 3; i++) {
      sw += w[i];
      swx += w[i] * x[i];
      swy += w[i] * y[i];
      swxx += w[i] * x[i] * x[i];
      swxy += w[i] * x[i] * y[i];
    }
    double dd = sw * swxx - swx * swx;
    double slope = (sw * swxy - swx * swy) / dd;
    assertThat(d(s, "trend")).isCloseTo(slope, within(EPS));
    assertThat(d(s, "trend_se")).isCloseTo(Math.sqrt(sw / dd), within(EPS));
    // goal 0.5 in 10 days; one student's history is too little to damp the trend: h_eff = h
    assertThat(s.<String>getAs("target_source")).isEqualTo("goal");
    assertThat(d(s, "target_theta")).isCloseTo(0.5, within(EPS));
    assertThat(s.<Integer>getAs("horizon_days")).isEqualTo(10);
    assertThat(d(s, "predictive_mean")).isCloseTo(0.3 + slope * 10, within(EPS));
    assertThat(d(s, "predictive_sd")).isCloseTo(0.3, within(EPS));
    assertThat(d(s, "p_goal")).isCloseTo(PHI.cumulativeProbability((0.3 + slope * 10 - 0.5) / 0.3), within(EPS));
  }

  @Test
  void studentsWithoutThetaGetTheAccuracyFallback() {
    // population over the window: n = 4, 9, 6, 5; c = 3, 6, 4, 2: τ² < 0, so the prior strength is the maximum
    double p0 = 15.0 / 24;
    double m = BetaBinomialPrior.MAX_STRENGTH;
    Row none = plain.get(4L);
    double shrunk = (2 + m * p0) / (5 + m);
    double proxy = Math.log(shrunk / (1 - shrunk)) - Math.log(p0 / (1 - p0));
    assertThat(none.<String>getAs("theta_source")).isEqualTo("accuracy");
    assertThat(none.<String>getAs("target_source")).isEqualTo("default");
    assertThat(d(none, "target_theta")).isZero();
    assertThat(none.<Integer>getAs("horizon_days")).isEqualTo(GoalProbability.DEFAULT_HORIZON_DAYS);
    assertThat(none.<Object>getAs("goal_date")).isNull();
    assertThat(d(none, "predictive_mean")).isCloseTo(proxy, within(EPS));
    assertThat(d(none, "predictive_sd")).isCloseTo(GoalProbability.FALLBACK_THETA_SD, within(EPS));
    assertThat(d(none, "p_goal")).isCloseTo(PHI.cumulativeProbability(proxy), within(EPS));
    assertThat(none.<Integer>getAs("recency_days")).isEqualTo(3);

    Row withGoal = plain.get(2L);
    double shrunk2 = (6 + m * p0) / (9 + m);
    double proxy2 = Math.log(shrunk2 / (1 - shrunk2)) - Math.log(p0 / (1 - p0));
    assertThat(withGoal.<Integer>getAs("horizon_days")).isEqualTo(30);
    assertThat(d(withGoal, "p_goal")).isCloseTo(PHI.cumulativeProbability((proxy2 - 1.0) / 1.0), within(EPS));
  }

  @Test
  void theBayesianSettingShrinksAccuracyAndWidensP() {
    // week: n = 4, 5, 4, 5; c = 3, 3, 3, 2 → τ² < 0 → m = max: A_t ≈ the population rate
    double p0 = 11.0 / 18;
    double m = BetaBinomialPrior.MAX_STRENGTH;
    assertThat(d(bayes.get(1L), "a_t")).isCloseTo((3 + m * p0) / (4 + m), within(EPS));
    assertThat(d(bayes.get(4L), "a_t")).isCloseTo((2 + m * p0) / (5 + m), within(EPS));
    // θ-delta is unchanged by the setting; with one student's slope the trend prior is the default
    assertThat(d(bayes.get(3L), "i_t")).isCloseTo(0.3, within(EPS));
    Row s = bayes.get(3L);
    double tau2 = TrendPrior.DEFAULT_SD * TrendPrior.DEFAULT_SD;
    double se2 = Math.pow(d(s, "trend_se"), 2);
    double post = 1 / (1 / tau2 + 1 / se2);
    double beta = post * (0.0 / tau2 + d(s, "trend") / se2);
    assertThat(d(s, "predictive_mean")).isCloseTo(0.3 + beta * 10, within(EPS));
    assertThat(d(s, "predictive_sd")).isCloseTo(Math.sqrt(0.09 + 100 * post), within(EPS));
    assertThat(d(s, "predictive_sd")).isGreaterThan(d(plain.get(3L), "predictive_sd"));
    assertThat(s.<Boolean>getAs("bayesian")).isTrue();
  }
}
