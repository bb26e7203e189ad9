package io.seedtest.analytics.calibration;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which answers are rapid guesses: given faster than the item can be read, so they say nothing
 * about ability and, left in, pull b toward 0 and c up. The normative-threshold method NT10
 * (Wise &amp; Ma 2012): an answer is a rapid guess when its response time is below 10% of the item's
 * mean response time, and never above 10 s. Chosen over visual inspection of time distributions
 * or mixture models because it needs nothing but each item's own times, so it works item by item
 * on sparse data at any bank size, and it is the usual default of low-stakes testing research.
 * A plain class (not a record): it is part of the options every job ships.
 */
public final class RapidGuessRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** NT10: 10% of the item's mean response time, at most 10 s. */
  public static final RapidGuessRule NT10 = new RapidGuessRule(true);
  /** Every answer is used (--keep-rapid-guesses). */
  public static final RapidGuessRule OFF = new RapidGuessRule(false);

  static final double SHARE_OF_MEAN = 0.10;
  static final double CAP_MS = 10_000;

  private final boolean enabled;

  private RapidGuessRule(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The item's threshold in ms from the mean response time of its answers in the window. */
  public static double thresholdMs(double meanResponseTimeMs) {
    return Math.min(SHARE_OF_MEAN * meanResponseTimeMs, CAP_MS);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RapidGuessRule r && r.enabled == enabled;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(enabled);
  }

  @Override
  public String toString() {
    return enabled
        ? String.format(Locale.ROOT, "NT10 (below %.0f%% of the item's mean response time, at most %.0f s)",
            100 * SHARE_OF_MEAN, CAP_MS / 1000)
        : "kept (--keep-rapid-guesses)";
  }
}
