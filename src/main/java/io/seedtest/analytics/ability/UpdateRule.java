package io.seedtest.analytics.ability;

import io.seedtest.analytics.irt.AbilityEstimate;
import io.seedtest.analytics.irt.Quadrature;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The session-end θ update (docs/irt-online.md). For a session finishing at time t, a student
 * whose θ was last set at {@code asOf} with posterior SD {@code se}:
 *
 * <pre>
 *   prior     θ ~ N(θ_prev, min(se² + drift · days, max(se², 1)))     days = max(0, t − asOf) in days
 *   posterior EAP over the session's valid answers on calibrated items (current mirt_item_params),
 *             by {@link io.seedtest.analytics.irt.EapScorer}, the weekly calibration's own scorer
 * </pre>
 *
 * A student without θ starts from the population prior N(0, 1) (the calibration's). Answers to
 * items that are not calibrated are skipped and counted. The prior variance is capped at the
 * population variance (or the old SE², if that was already wider): an estimate a year old becomes
 * as vague as the population, still centred on what we knew.
 *
 * <p>The drift is a random walk: θ moves between estimates by a change we do not observe, with a
 * variance that grows linearly in time. {@link #DEFAULT_DRIFT_PER_DAY} comes from the simulator's
 * growth model (docs/irt-online.md has the measurement).
 *
 * <p>Rapid guesses are left out by default: a valid answer on a calibrated item whose response time
 * is below the item's stored threshold ({@code mirt_item_params.rapid_guess_ms}, the calibration's
 * NT15) carries no information about θ (docs/irt.md, "Rapid guesses"); they are counted in
 * {@link SessionUpdate#rapidGuesses()}. {@code keepRapidGuesses} (--keep-rapid-guesses) uses them.
 *
 * <p>A session that finished at or before a calibration θ's as-of time is {@link
 * Outcome#COVERED_BY_CALIBRATION}: the calibration's window holds its answers already.
 */
public final class UpdateRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Variance per day of the random walk of θ: 0.002, i.e. an SD of 0.045 after a day, 0.12 after
   * a week, 0.24 after a month. The simulator's true θ changes by E[Δθ²] = 0.0113 over 7 days
   * (0.0016 a day) for active students; we round up a little because the item parameters are
   * estimates too.
   */
  public static final double DEFAULT_DRIFT_PER_DAY = 0.002;
  public static final double POPULATION_MEAN = 0.0;
  public static final double POPULATION_SD = 1.0;
  private static final double SECONDS_PER_DAY = 86_400.0;

  private final double driftPerDay;
  private final boolean keepRapidGuesses;

  public UpdateRule(double driftPerDay) {
    this(driftPerDay, false);
  }

  public UpdateRule(double driftPerDay, boolean keepRapidGuesses) {
    if (!(driftPerDay >= 0) || !Double.isFinite(driftPerDay)) {
      throw new IllegalArgumentException("the drift per day must be a finite number >= 0, got " + driftPerDay);
    }
    this.driftPerDay = driftPerDay;
    this.keepRapidGuesses = keepRapidGuesses;
  }

  public static UpdateRule standard() {
    return new UpdateRule(DEFAULT_DRIFT_PER_DAY);
  }

  public double driftPerDay() {
    return driftPerDay;
  }

  public boolean keepRapidGuesses() {
    return keepRapidGuesses;
  }

  /** The prior for a session finishing at {@code at}: mean, SD and the days of drift in it. */
  public record Prior(double mean, double sd, double days) {}

  public Prior prior(AbilityState previous, Instant at) {
    if (previous == null) {
      return new Prior(POPULATION_MEAN, POPULATION_SD, 0.0);
    }
    double days = Math.max(0.0, Duration.between(previous.asOf(), at).toMillis() / 1000.0 / SECONDS_PER_DAY);
    double se2 = previous.se() * previous.se();
    double variance = Math.min(se2 + driftPerDay * days, Math.max(se2, POPULATION_SD * POPULATION_SD));
    return new Prior(previous.theta(), Math.sqrt(variance), days);
  }

  /**
   * Applies one session to the state {@code previous} (null: no θ yet).
   *
   * @param scratch at least {@link Quadrature#DEFAULT_POINTS} doubles, overwritten
   */
  public SessionUpdate apply(AbilityState previous, SessionAnswers s, ItemParamsSnapshot params, double[] scratch) {
    Prior prior = prior(previous, s.finishedAt());
    double stayTheta = previous == null ? POPULATION_MEAN : previous.theta();
    double staySe = previous == null ? POPULATION_SD : previous.se();
    if (previous != null && previous.fromCalibration() && !s.finishedAt().isAfter(previous.asOf())) {
      return new SessionUpdate(s.resultId(), s.sessionId(), s.userId(), s.finishedAt(), Outcome.COVERED_BY_CALIBRATION,
          previous, previous, prior.mean(), prior.sd(), prior.days(), stayTheta, staySe, 0, 0, s.invalid(),
          params.calibrationId());
    }
    int n = s.validAnswers();
    int[] index = new int[n];
    byte[] correct = new byte[n];
    int used = 0;
    int rapid = 0;
    for (int i = 0; i < n; i++) {
      int j = params.index(s.itemIds()[i]);
      // NaN (no threshold, no time) compares false: the answer is used
      if (j >= 0 && !keepRapidGuesses && s.responseTimeMs(i) < params.rapidGuessMs(j)) {
        rapid++;
      } else if (j >= 0) {
        index[used] = j;
        correct[used] = (byte) (s.correct()[i] ? 1 : 0);
        used++;
      }
    }
    int skipped = n - used - rapid;
    if (used == 0) {
      return new SessionUpdate(s.resultId(), s.sessionId(), s.userId(), s.finishedAt(), Outcome.NO_USABLE_ANSWERS,
          previous, previous, prior.mean(), prior.sd(), prior.days(), stayTheta, staySe, 0, skipped, s.invalid(),
          params.calibrationId(), rapid);
    }
    AbilityEstimate e = params.scorer().score(index, correct, 0, used, prior.mean(), prior.sd(), scratch);
    Instant asOf = previous == null || s.finishedAt().isAfter(previous.asOf()) ? s.finishedAt() : previous.asOf();
    AbilityState after = new AbilityState(e.theta(), e.sd(), asOf, AbilityState.SOURCE_SESSION, params.calibrationId(),
        (previous == null ? 0 : previous.answersUsed()) + used);
    return new SessionUpdate(s.resultId(), s.sessionId(), s.userId(), s.finishedAt(), Outcome.UPDATED, previous, after,
        prior.mean(), prior.sd(), prior.days(), e.theta(), e.sd(), used, skipped, s.invalid(), params.calibrationId(),
        rapid);
  }

  /**
   * Applies a student's sessions one after the other, in the order given (callers sort by
   * finish time, then result id), each starting from the state the previous one left.
   */
  public List<SessionUpdate> applyInOrder(AbilityState start, List<SessionAnswers> sessions,
      ItemParamsSnapshot params) {
    double[] scratch = new double[Quadrature.DEFAULT_POINTS];
    List<SessionUpdate> out = new ArrayList<>(sessions.size());
    AbilityState state = start;
    for (SessionAnswers s : sessions) {
      SessionUpdate u = apply(state, s, params, scratch);
      out.add(u);
      state = u.after();
    }
    return out;
  }

  /** Order of application within a student: finish time, then exam_results id. */
  public static int compare(SessionAnswers a, SessionAnswers b) {
    int c = a.finishedAt().compareTo(b.finishedAt());
    return c != 0 ? c : Long.compare(a.resultId(), b.resultId());
  }
}
