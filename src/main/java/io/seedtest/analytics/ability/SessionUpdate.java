package io.seedtest.analytics.ability;

import java.io.Serializable;
import java.time.Instant;

/**
 * The result of applying one session: a row of session_ability_updates plus the student's state
 * after it.
 *
 * @param before the state the session started from, null when the student had no θ
 * @param after the state after the session (equal to {@code before} unless {@link Outcome#UPDATED};
 *     for a student without θ and no update, null)
 * @param priorMean the prior mean used (θ before, or the population mean 0)
 * @param priorSd the prior SD used, after drift (population SD 1 without a θ before)
 * @param daysSince days from {@code before.asOf()} to the session's finish (0 when not later)
 * @param thetaAfter the student's θ after the session: the posterior mean when updated, else the θ
 *     she had (or the population mean 0 when she had none)
 * @param seAfter its SD: the posterior SD when updated, else her SE as stored (or the population
 *     SD 1) — the drift only ever enters a prior, never a stored state
 * @param answersUsed valid answers on calibrated items
 * @param skipped valid answers on items that are not calibrated
 * @param invalid answers that broke the data contract
 * @param rapidGuesses valid answers on calibrated items left out as rapid guesses (below the
 *     item's stored threshold; 0 with --keep-rapid-guesses)
 */
public record SessionUpdate(long resultId, long sessionId, long userId, Instant finishedAt, Outcome outcome,
    AbilityState before, AbilityState after, double priorMean, double priorSd, double daysSince,
    double thetaAfter, double seAfter, int answersUsed, int skipped, int invalid, String calibrationId,
    int rapidGuesses) implements Serializable {

  /** An update that left no answer out as a rapid guess. */
  public SessionUpdate(long resultId, long sessionId, long userId, Instant finishedAt, Outcome outcome,
      AbilityState before, AbilityState after, double priorMean, double priorSd, double daysSince,
      double thetaAfter, double seAfter, int answersUsed, int skipped, int invalid, String calibrationId) {
    this(resultId, sessionId, userId, finishedAt, outcome, before, after, priorMean, priorSd, daysSince, thetaAfter,
        seAfter, answersUsed, skipped, invalid, calibrationId, 0);
  }

  public boolean updated() {
    return outcome == Outcome.UPDATED;
  }
}
