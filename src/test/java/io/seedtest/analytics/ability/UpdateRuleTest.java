package io.seedtest.analytics.ability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.irt.AbilityEstimate;
import io.seedtest.analytics.irt.EapScorer;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.LogisticResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The update rule on its own: no Spark, no database. */
class UpdateRuleTest {
  static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
  /** Items 101..106 calibrated (3PL), 900 not. */
  static final ItemParamsSnapshot PARAMS = new ItemParamsSnapshot(
      new long[] {101, 102, 103, 104, 105, 106},
      new ItemParams[] {ItemParams.of(1.2, -1.0, 0.20), ItemParams.of(0.8, 0.0, 0.15), ItemParams.of(1.6, 0.5, 0.25),
          ItemParams.of(1.0, 1.2, 0.10), ItemParams.of(2.0, -0.3, 0.0), ItemParams.of(0.6, 2.0, 0.18)},
      "cal-1", "test");

  static SessionAnswers session(long id, Instant finished, long[] items, boolean[] correct) {
    return new SessionAnswers(id, id, 7, finished, items, correct, 0);
  }

  /** Posterior mean and SD by brute force: prior × likelihood on 200,001 points over ±12 prior SDs. */
  static double[] bruteForce(double priorMean, double priorSd, long[] items, boolean[] correct) {
    int n = 200_001;
    double lo = priorMean - 12 * priorSd;
    double hi = priorMean + 12 * priorSd;
    double step = (hi - lo) / (n - 1);
    double[] logW = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      double theta = lo + k * step;
      double z = (theta - priorMean) / priorSd;
      double lw = -0.5 * z * z;
      for (int i = 0; i < items.length; i++) {
        int j = PARAMS.index(items[i]);
        if (j < 0) {
          continue;
        }
        ItemParams p = PARAMS.params(j);
        double prob = LogisticResponse.probability(p.a(), p.b(), p.c(), theta);
        lw += Math.log(correct[i] ? prob : 1 - prob);
      }
      logW[k] = lw;
      max = Math.max(max, lw);
    }
    double sum = 0;
    double m1 = 0;
    for (int k = 0; k < n; k++) {
      double w = Math.exp(logW[k] - max);
      sum += w;
      m1 += w * (lo + k * step);
    }
    double mean = m1 / sum;
    double m2 = 0;
    for (int k = 0; k < n; k++) {
      double d = lo + k * step - mean;
      m2 += Math.exp(logW[k] - max) * d * d;
    }
    return new double[] {mean, Math.sqrt(m2 / sum)};
  }

  @Test
  void theUpdateIsTheExactPosteriorUnderTheDriftedPrior() {
    UpdateRule rule = new UpdateRule(0.002);
    AbilityState prev = new AbilityState(0.4, 0.25, T0.minus(Duration.ofDays(9)), AbilityState.SOURCE_SESSION, "cal-1", 40);
    long[] items = {101, 102, 103, 104, 105, 106, 900};
    boolean[] correct = {true, true, false, true, false, true, true};
    SessionUpdate u = rule.apply(prev, session(1, T0, items, correct), PARAMS, new double[61]);

    double priorSd = Math.sqrt(0.25 * 0.25 + 0.002 * 9);
    double[] exact = bruteForce(0.4, priorSd, items, correct);
    assertThat(u.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(u.priorSd()).isCloseTo(priorSd, within(1e-12));
    assertThat(u.daysSince()).isCloseTo(9.0, within(1e-9));
    assertThat(u.thetaAfter()).as("posterior mean vs brute force").isCloseTo(exact[0], within(1e-6));
    assertThat(u.seAfter()).as("posterior SD vs brute force").isCloseTo(exact[1], within(1e-6));
    assertThat(u.answersUsed()).isEqualTo(6);
    assertThat(u.skipped()).as("the answer on uncalibrated item 900").isEqualTo(1);
    assertThat(u.after().asOf()).isEqualTo(T0);
    assertThat(u.after().source()).isEqualTo(AbilityState.SOURCE_SESSION);
    assertThat(u.after().answersUsed()).isEqualTo(46);
    assertThat(u.after().calibrationId()).isEqualTo("cal-1");
  }

  @Test
  void allCorrectAndAllWrongStayFiniteAndMatchBruteForce() {
    UpdateRule rule = UpdateRule.standard();
    AbilityState prev = new AbilityState(-0.2, 0.5, T0.minus(Duration.ofDays(1)), AbilityState.SOURCE_CALIBRATION,
        "cal-1", 30);
    long[] items = {101, 102, 103, 104, 105, 106};
    for (boolean value : new boolean[] {true, false}) {
      boolean[] correct = new boolean[6];
      java.util.Arrays.fill(correct, value);
      SessionUpdate u = rule.apply(prev, session(2, T0, items, correct), PARAMS, new double[61]);
      double[] exact = bruteForce(-0.2, Math.sqrt(0.25 + UpdateRule.DEFAULT_DRIFT_PER_DAY), items, correct);
      assertThat(u.thetaAfter()).isCloseTo(exact[0], within(1e-6));
      assertThat(u.seAfter()).isCloseTo(exact[1], within(1e-6));
      assertThat(u.thetaAfter()).isBetween(value ? -0.2 : -3.0, value ? 3.0 : -0.2);
    }
  }

  @Test
  void theDriftWidensThePriorLinearlyInTimeUpToThePopulationVariance() {
    UpdateRule rule = new UpdateRule(0.002);
    AbilityState prev = new AbilityState(1.0, 0.3, T0, AbilityState.SOURCE_SESSION, null, 10);
    assertThat(rule.prior(prev, T0).sd()).isCloseTo(0.3, within(1e-12));
    assertThat(rule.prior(prev, T0.plus(Duration.ofHours(12))).sd()).isCloseTo(Math.sqrt(0.09 + 0.001), within(1e-12));
    assertThat(rule.prior(prev, T0.plus(Duration.ofDays(30))).sd()).isCloseTo(Math.sqrt(0.09 + 0.06), within(1e-12));
    assertThat(rule.prior(prev, T0.plus(Duration.ofDays(30))).mean()).isEqualTo(1.0);
    assertThat(rule.prior(prev, T0.plus(Duration.ofDays(3650))).sd()).as("capped at the population SD").isEqualTo(1.0);
    assertThat(rule.prior(prev, T0.minus(Duration.ofDays(2))).sd()).as("a late session does not shrink the prior")
        .isCloseTo(0.3, within(1e-12));
    AbilityState vague = new AbilityState(1.0, 1.3, T0, AbilityState.SOURCE_SESSION, null, 1);
    assertThat(rule.prior(vague, T0.plus(Duration.ofDays(100))).sd()).as("never narrower than the old SE").isEqualTo(1.3);
    assertThat(new UpdateRule(0).prior(prev, T0.plus(Duration.ofDays(100))).sd()).isCloseTo(0.3, within(1e-12));

    // The same answers move an old estimate more than a fresh one.
    long[] items = {101, 102, 103};
    boolean[] correct = {true, true, true};
    double fresh = rule.apply(prev, session(3, T0.plus(Duration.ofHours(1)), items, correct), PARAMS, new double[61])
        .thetaAfter();
    double old = rule.apply(prev, session(3, T0.plus(Duration.ofDays(60)), items, correct), PARAMS, new double[61])
        .thetaAfter();
    assertThat(old).isGreaterThan(fresh).isGreaterThan(1.0);
  }

  @Test
  void aSessionWhoseAnswersAreAllOnUncalibratedItemsLeavesThetaAsItWas() {
    UpdateRule rule = UpdateRule.standard();
    AbilityState prev = new AbilityState(0.7, 0.2, T0.minus(Duration.ofDays(5)), AbilityState.SOURCE_SESSION, "cal-0", 12);
    SessionUpdate u = rule.apply(prev, session(4, T0, new long[] {900, 901, 902}, new boolean[] {true, false, true}),
        PARAMS, new double[61]);
    assertThat(u.outcome()).isEqualTo(Outcome.NO_USABLE_ANSWERS);
    assertThat(u.answersUsed()).isZero();
    assertThat(u.skipped()).isEqualTo(3);
    assertThat(u.after()).as("state unchanged: the drift only enters a prior").isEqualTo(prev);
    assertThat(u.thetaAfter()).isEqualTo(0.7);
    assertThat(u.seAfter()).isEqualTo(0.2);

    SessionUpdate none = rule.apply(null, session(5, T0, new long[] {900}, new boolean[] {true}), PARAMS,
        new double[61]);
    assertThat(none.outcome()).isEqualTo(Outcome.NO_USABLE_ANSWERS);
    assertThat(none.after()).isNull();
    assertThat(none.thetaAfter()).isEqualTo(0.0);
    assertThat(none.seAfter()).isEqualTo(1.0);
  }

  @Test
  void aStudentWithoutThetaStartsFromThePopulationPriorAsTheCalibrationScoresHer() {
    long[] items = {101, 103, 105, 106};
    boolean[] correct = {true, false, true, true};
    SessionUpdate u = UpdateRule.standard().apply(null, session(6, T0, items, correct), PARAMS, new double[61]);
    int[] idx = {PARAMS.index(101), PARAMS.index(103), PARAMS.index(105), PARAMS.index(106)};
    AbilityEstimate weekly = new EapScorer(new ItemParams[] {PARAMS.params(0), PARAMS.params(1), PARAMS.params(2),
        PARAMS.params(3), PARAMS.params(4), PARAMS.params(5)}).score(idx, new byte[] {1, 0, 1, 1});
    assertThat(u.before()).isNull();
    assertThat(u.priorSd()).isEqualTo(1.0);
    assertThat(u.thetaAfter()).as("same as the weekly calibration's N(0,1) EAP").isCloseTo(weekly.theta(), within(1e-12));
    assertThat(u.seAfter()).isCloseTo(weekly.sd(), within(1e-12));
    double[] exact = bruteForce(0, 1, items, correct);
    assertThat(u.thetaAfter()).isCloseTo(exact[0], within(1e-6));
    assertThat(u.after().answersUsed()).isEqualTo(4);
  }

  /**
   * Thresholds: 101 at 3000 ms, 103 at 2000 ms, the others none. Answers: 101 in 1200 ms (rapid),
   * 103 in 2000 ms (not below: used), 105 in 100 ms (no threshold: used), 900 in 50 ms (not
   * calibrated: skipped, not a rapid guess). The update is the one of the session without 101.
   */
  @Test
  void rapidGuessesBelowTheStoredThresholdAreLeftOutAndCountedUnlessKept() {
    ItemParamsSnapshot withThresholds = new ItemParamsSnapshot(new long[] {101, 102, 103, 104, 105, 106},
        new ItemParams[] {PARAMS.params(0), PARAMS.params(1), PARAMS.params(2), PARAMS.params(3), PARAMS.params(4),
            PARAMS.params(5)}, "cal-1", "test", new double[] {3000, Double.NaN, 2000, Double.NaN, Double.NaN, Double.NaN});
    long[] items = {101, 103, 105, 900};
    boolean[] correct = {true, false, true, true};
    SessionAnswers s = new SessionAnswers(8, 8, 7, T0, items, correct, 0, new double[] {1200, 2000, 100, 50});

    SessionUpdate u = UpdateRule.standard().apply(null, s, withThresholds, new double[61]);

    assertThat(u.rapidGuesses()).isEqualTo(1);
    assertThat(u.answersUsed()).isEqualTo(2);
    assertThat(u.skipped()).isEqualTo(1);
    SessionUpdate without101 = UpdateRule.standard().apply(null,
        session(8, T0, new long[] {103, 105, 900}, new boolean[] {false, true, true}), withThresholds, new double[61]);
    assertThat(u.thetaAfter()).isEqualTo(without101.thetaAfter());
    assertThat(u.seAfter()).isEqualTo(without101.seAfter());

    SessionUpdate kept = new UpdateRule(UpdateRule.DEFAULT_DRIFT_PER_DAY, true).apply(null, s, withThresholds,
        new double[61]);
    assertThat(kept.rapidGuesses()).isZero();
    assertThat(kept.answersUsed()).isEqualTo(3);
    assertThat(kept.thetaAfter()).isCloseTo(bruteForce(0, 1, items, correct)[0], within(1e-6));

    // a session of nothing but rapid guesses leaves θ as it was
    SessionUpdate onlyRapid = UpdateRule.standard().apply(null,
        new SessionAnswers(9, 9, 7, T0, new long[] {101}, new boolean[] {true}, 0, new double[] {10}), withThresholds,
        new double[61]);
    assertThat(onlyRapid.outcome()).isEqualTo(Outcome.NO_USABLE_ANSWERS);
    assertThat(onlyRapid.rapidGuesses()).isEqualTo(1);
    assertThat(onlyRapid.skipped()).isZero();
  }

  @Test
  void aSessionTheCalibrationAlreadySawIsNotCountedTwice() {
    AbilityState calibrated = new AbilityState(0.1, 0.3, T0, AbilityState.SOURCE_CALIBRATION, "cal-1", 80);
    SessionUpdate u = UpdateRule.standard().apply(calibrated,
        session(7, T0.minus(Duration.ofHours(3)), new long[] {101}, new boolean[] {true}), PARAMS, new double[61]);
    assertThat(u.outcome()).isEqualTo(Outcome.COVERED_BY_CALIBRATION);
    assertThat(u.after()).isEqualTo(calibrated);
    // the same session after a session-level update is a late arrival and is applied
    AbilityState online = new AbilityState(0.1, 0.3, T0, AbilityState.SOURCE_SESSION, "cal-1", 80);
    SessionUpdate late = UpdateRule.standard().apply(online,
        session(7, T0.minus(Duration.ofHours(3)), new long[] {101}, new boolean[] {true}), PARAMS, new double[61]);
    assertThat(late.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(late.after().asOf()).as("as_of never moves back").isEqualTo(T0);
  }

  @Test
  void sessionsApplyInOrderEachFromThePreviousResult() {
    UpdateRule rule = UpdateRule.standard();
    AbilityState start = new AbilityState(0.0, 0.4, T0.minus(Duration.ofDays(3)), AbilityState.SOURCE_CALIBRATION,
        "cal-1", 20);
    SessionAnswers first = session(10, T0, new long[] {101, 102}, new boolean[] {true, false});
    SessionAnswers second = session(11, T0.plus(Duration.ofDays(2)), new long[] {103, 104}, new boolean[] {true, true});
    List<SessionUpdate> chain = rule.applyInOrder(start, List.of(first, second), PARAMS);
    SessionUpdate a = rule.apply(start, first, PARAMS, new double[61]);
    SessionUpdate b = rule.apply(a.after(), second, PARAMS, new double[61]);
    assertThat(chain).containsExactly(a, b);
    assertThat(b.before()).isEqualTo(a.after());
    assertThat(b.daysSince()).isCloseTo(2.0, within(1e-9));
  }
}
