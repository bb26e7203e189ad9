package io.seedtest.analytics.calibration;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Each item's rapid-guess threshold in ms ({@link RapidGuessRule}), from the mean response time of
 * its answers in the window: item ids ascending, thresholds beside them. Broadcast to the blocks,
 * which leave out the answers below their item's threshold. A plain class: it crosses to
 * executors.
 */
final class RapidGuessThresholds implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] itemIds;
  private final double[] thresholdMs;

  private RapidGuessThresholds(long[] itemIds, double[] thresholdMs) {
    this.itemIds = itemIds;
    this.thresholdMs = thresholdMs;
  }

  /** From per-item sums of response times and counts of timed answers (ids ascending). */
  static RapidGuessThresholds of(RapidGuessRule rule, long[] itemIds, double[] timeSumMs, long[] timed) {
    double[] t = new double[itemIds.length];
    for (int i = 0; i < itemIds.length; i++) {
      t[i] = timed[i] > 0 ? rule.thresholdMs(timeSumMs[i] / timed[i]) : Double.NaN;
    }
    return new RapidGuessThresholds(itemIds.clone(), t);
  }

  /** Whether an answer on {@code itemId} that took {@code responseTimeMs} (NaN: unknown) is a rapid guess. */
  boolean isRapid(long itemId, double responseTimeMs) {
    int i = Arrays.binarySearch(itemIds, itemId);
    // NaN compares false: an answer without a time, or an item without timed answers, is kept
    return i >= 0 && responseTimeMs < thresholdMs[i];
  }

  /** The threshold of {@code itemId} in ms, NaN when unknown. */
  double thresholdMs(long itemId) {
    int i = Arrays.binarySearch(itemIds, itemId);
    return i >= 0 ? thresholdMs[i] : Double.NaN;
  }
}
