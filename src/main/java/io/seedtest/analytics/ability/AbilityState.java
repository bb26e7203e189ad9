package io.seedtest.analytics.ability;

import java.io.Serializable;
import java.time.Instant;

/**
 * A student's current ability as {@code mirt_ability} holds it: the EAP posterior mean and SD,
 * when it was set, who set it ('calibration' or 'session'), with which calibration's item
 * parameters, and how many answers informed it.
 */
public record AbilityState(double theta, double se, Instant asOf, String source, String calibrationId,
    int answersUsed) implements Serializable {

  /** {@code source} of abilities written by the weekly calibration (V5, calibration package). */
  public static final String SOURCE_CALIBRATION = "calibration";
  /** {@code source} of abilities written by the session-end update (this package). */
  public static final String SOURCE_SESSION = "session";

  public AbilityState {
    if (!Double.isFinite(theta) || !(se > 0) || !Double.isFinite(se) || asOf == null || source == null) {
      throw new IllegalArgumentException("not a usable ability: theta " + theta + ", se " + se + ", as_of " + asOf
          + ", source " + source);
    }
  }

  public boolean fromCalibration() {
    return SOURCE_CALIBRATION.equals(source);
  }
}
