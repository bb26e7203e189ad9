package io.seedtest.analytics.calibration;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which answers are rapid guesses: given faster than the item can be read, so they say nothing
 * about ability and, left in, pull b toward 0 and c up. The normative-threshold method (Wise &amp;
 * Ma 2012): an answer is a rapid guess when its response time is below a share of the item's mean
 * response time (NT10: 10%; here 15% by default, see {@link #DEFAULT}), and never above 10 s. Chosen over visual inspection of time distributions
 * or mixture models because it needs nothing but each item's own times, so it works item by item
 * on sparse data at any bank size, and it is the usual default of low-stakes testing research.
 * A plain class (not a record): it is part of the options every job ships.
 */
public final class RapidGuessRule implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * NT15: 15% of the item's mean response time, at most 10 s. NT10 is the literature's
   * conservative default; on the simulator it missed 19% of the injected guesses (those on items
   * with short reading times, whose NT10 threshold is 2–3 s), NT15 caught 95% and flagged no
   * genuine answer (RapidGuessFilterTest; docs/irt.md, "Rapid guesses").
   */
  public static final RapidGuessRule DEFAULT = new RapidGuessRule(true, 0.15);
  /** Every answer is used (--keep-rapid-guesses). */
  public static final RapidGuessRule OFF = new RapidGuessRule(false, 0.10);

  static final double CAP_MS = 10_000;

  private final boolean enabled;
  private final double share;

  private RapidGuessRule(boolean enabled, double share) {
    this.enabled = enabled;
    this.share = share;
  }

  /** NT{100·share}: {@code share} of the item's mean response time, at most 10 s. */
  public static RapidGuessRule normativeThreshold(double share) {
    return new RapidGuessRule(true, share);
  }

  public boolean enabled() {
    return enabled;
  }

  /** The item's threshold in ms from the mean response time of its answers in the window. */
  public double thresholdMs(double meanResponseTimeMs) {
    return Math.min(share * meanResponseTimeMs, CAP_MS);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RapidGuessRule r && r.enabled == enabled && r.share == share;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(enabled) * 31 + Double.hashCode(share);
  }

  @Override
  public String toString() {
    return enabled
        ? String.format(Locale.ROOT, "NT%.0f (below %.0f%% of the item's mean response time, at most %.0f s)",
            100 * share, 100 * share, CAP_MS / 1000)
        : "kept (--keep-rapid-guesses)";
  }
}
