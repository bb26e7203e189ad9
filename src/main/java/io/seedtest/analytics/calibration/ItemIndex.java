package io.seedtest.analytics.calibration;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The window's items, built on the driver from per-partition counts (thousands of items, so a
 * few hundred kilobytes): every item id seen with its number of (first) answers and correct
 * ones, and the dense indices {@code 0 .. calibrated-1} of the items that have at least the
 * minimum number of answers, in ascending item id. Only those enter the EM; the others are
 * reported, flagged, and their answers left out.
 */
public final class ItemIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] itemIds;
  private final int[] answers;
  private final int[] correct;
  private final long[] eligibleIds;
  private final int minAnswers;

  ItemIndex(long[] itemIds, int[] answers, int[] correct, int minAnswers) {
    this.itemIds = itemIds;
    this.answers = answers;
    this.correct = correct;
    this.minAnswers = minAnswers;
    this.eligibleIds = java.util.stream.IntStream.range(0, itemIds.length)
        .filter(i -> answers[i] >= minAnswers).mapToLong(i -> itemIds[i]).toArray();
  }

  /** From counts per item id: value = {answers, correct}. */
  static ItemIndex of(TreeMap<Long, long[]> counts, int minAnswers) {
    long[] ids = new long[counts.size()];
    int[] n = new int[counts.size()];
    int[] r = new int[counts.size()];
    int i = 0;
    for (Map.Entry<Long, long[]> e : counts.entrySet()) {
      ids[i] = e.getKey();
      n[i] = Math.toIntExact(e.getValue()[0]);
      r[i] = Math.toIntExact(e.getValue()[1]);
      i++;
    }
    return new ItemIndex(ids, n, r, minAnswers);
  }

  /** Dense index of an item, or −1 when it is not calibrated (too few answers, or unseen). */
  public int denseIndex(long itemId) {
    int i = Arrays.binarySearch(eligibleIds, itemId);
    return i < 0 ? -1 : i;
  }

  /** Item ids of the dense indices. */
  public long[] eligibleIds() {
    return eligibleIds.clone();
  }

  public long eligibleId(int dense) {
    return eligibleIds[dense];
  }

  public int eligible() {
    return eligibleIds.length;
  }

  /** Every item seen in the window, ascending. */
  public long[] itemIds() {
    return itemIds.clone();
  }

  public int items() {
    return itemIds.length;
  }

  public int answers(long itemId) {
    int i = Arrays.binarySearch(itemIds, itemId);
    return i < 0 ? 0 : answers[i];
  }

  public int minAnswers() {
    return minAnswers;
  }

  /** Answers per dense index. */
  int[] eligibleAnswers() {
    int[] out = new int[eligibleIds.length];
    for (int d = 0; d < eligibleIds.length; d++) {
      out[d] = answers[Arrays.binarySearch(itemIds, eligibleIds[d])];
    }
    return out;
  }

  /** Proportion correct per dense index. */
  double[] eligibleProportionCorrect() {
    double[] out = new double[eligibleIds.length];
    for (int d = 0; d < eligibleIds.length; d++) {
      int i = Arrays.binarySearch(itemIds, eligibleIds[d]);
      out[d] = answers[i] == 0 ? Double.NaN : (double) correct[i] / answers[i];
    }
    return out;
  }
}
