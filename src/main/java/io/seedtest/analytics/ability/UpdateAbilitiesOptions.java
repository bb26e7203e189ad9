package io.seedtest.analytics.ability;

import java.time.Duration;

/**
 * Options of {@code update-abilities}.
 *
 * @param driftPerDay the update rule's drift (variance of θ per day), {@link UpdateRule#DEFAULT_DRIFT_PER_DAY}
 * @param safetyLag how long a transaction inserting into exam_results may stay open and still be
 *     picked up (PostgreSQL mode; docs/irt-online.md, "watermark")
 * @param maxSessions at most this many exam_results rows past the watermark per run (bounds a run
 *     after a long outage; the rest waits for the next run)
 * @param keepRapidGuesses use answers below their item's rapid-guess threshold too (--keep-rapid-guesses);
 *     by default they are left out and counted
 */
public record UpdateAbilitiesOptions(double driftPerDay, Duration safetyLag, int maxSessions,
    boolean keepRapidGuesses) {
  public static final Duration DEFAULT_SAFETY_LAG = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_SESSIONS = 2_000_000;

  public UpdateAbilitiesOptions {
    if (!(driftPerDay >= 0) || !Double.isFinite(driftPerDay)) {
      throw new IllegalArgumentException("drift per day must be >= 0");
    }
    if (safetyLag == null || safetyLag.isNegative()) {
      throw new IllegalArgumentException("the safety lag must be >= 0");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("max sessions must be >= 1");
    }
  }

  /** Rapid guesses left out (the default). */
  public UpdateAbilitiesOptions(double driftPerDay, Duration safetyLag, int maxSessions) {
    this(driftPerDay, safetyLag, maxSessions, false);
  }

  public static UpdateAbilitiesOptions defaults() {
    return new UpdateAbilitiesOptions(UpdateRule.DEFAULT_DRIFT_PER_DAY, DEFAULT_SAFETY_LAG, DEFAULT_MAX_SESSIONS);
  }

  public UpdateRule rule() {
    return new UpdateRule(driftPerDay, keepRapidGuesses);
  }
}
