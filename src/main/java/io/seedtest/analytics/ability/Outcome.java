package io.seedtest.analytics.ability;

/** What applying one session did (session_ability_updates.outcome). */
public enum Outcome {
  /** θ moved by at least one answer on a calibrated item. */
  UPDATED,
  /** No valid answer on a calibrated item: θ stays as it was, nothing but the record is written. */
  NO_USABLE_ANSWERS,
  /**
   * The session finished at or before the as-of time of a θ set by a calibration, whose window
   * already holds its answers: applying it again would count them twice.
   */
  COVERED_BY_CALIBRATION;

  public String code() {
    return name().toLowerCase();
  }

  public static Outcome of(String code) {
    return valueOf(code.toUpperCase());
  }
}
