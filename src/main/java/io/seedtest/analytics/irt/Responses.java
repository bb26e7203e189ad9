package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * All students' answers as three flat primitive arrays: student s answered
 * {@code itemIndex[studentOffsets[s] .. studentOffsets[s + 1])}, correctly where {@code correct}
 * is 1 (CSR layout).
 *
 * <p>This is the shape the Spark job caches per partition once and then scans every EM iteration:
 * five bytes per answer plus four per student, no objects per answer, so millions of answers fit
 * in the cache and stream through the E-step's inner loop. The arrays are validated once here and
 * then trusted by the hot loops.
 */
public final class Responses implements Serializable {
  private final int[] studentOffsets;
  private final int[] itemIndex;
  private final byte[] correct;
  private final int items;

  /**
   * @param studentOffsets length students + 1, starts at 0, non-decreasing, ends at the number of
   *     answers
   * @param itemIndex each answer's item, in [0, items)
   * @param correct each answer's outcome, 0 or 1
   * @param items the number of items; items nobody answered are allowed and stay uncalibrated
   */
  public Responses(int[] studentOffsets, int[] itemIndex, byte[] correct, int items) {
    if (studentOffsets.length == 0 || studentOffsets[0] != 0) {
      throw new IllegalArgumentException("studentOffsets must start with 0");
    }
    if (itemIndex.length != correct.length
        || studentOffsets[studentOffsets.length - 1] != itemIndex.length) {
      throw new IllegalArgumentException("studentOffsets must end at the number of answers ("
          + itemIndex.length + "), and itemIndex and correct must have equal lengths (" 
          + itemIndex.length + ", " + correct.length + ")");
    }
    for (int s = 1; s < studentOffsets.length; s++) {
      if (studentOffsets[s] < studentOffsets[s - 1]) {
        throw new IllegalArgumentException("studentOffsets decrease at student " + (s - 1));
      }
    }
    for (int i = 0; i < itemIndex.length; i++) {
      if (itemIndex[i] < 0 || itemIndex[i] >= items) {
        throw new IllegalArgumentException(
            "answer " + i + " has item " + itemIndex[i] + ", outside [0, " + items + ")");
      }
      if (correct[i] != 0 && correct[i] != 1) {
        throw new IllegalArgumentException(
            "answer " + i + " has correct=" + correct[i] + ", expected 0 or 1");
      }
    }
    this.studentOffsets = studentOffsets;
    this.itemIndex = itemIndex;
    this.correct = correct;
    this.items = items;
  }

  public int students() {
    return studentOffsets.length - 1;
  }

  public int items() {
    return items;
  }

  public int answers() {
    return itemIndex.length;
  }

  /** First answer of student s. */
  public int from(int student) {
    return studentOffsets[student];
  }

  /** One past the last answer of student s. */
  public int to(int student) {
    return studentOffsets[student + 1];
  }

  /** The shared answer arrays, not copied: the hot loops index them directly. */
  public int[] itemIndex() {
    return itemIndex;
  }

  public byte[] correct() {
    return correct;
  }

  public int[] answersPerItem() {
    int[] n = new int[items];
    for (int j : itemIndex) {
      n[j]++;
    }
    return n;
  }

  /** Proportion correct per item, NaN for an item nobody answered. */
  public double[] proportionCorrect() {
    int[] n = new int[items];
    int[] r = new int[items];
    for (int i = 0; i < itemIndex.length; i++) {
      n[itemIndex[i]]++;
      r[itemIndex[i]] += correct[i];
    }
    double[] p = new double[items];
    for (int j = 0; j < items; j++) {
      p[j] = n[j] == 0 ? Double.NaN : (double) r[j] / n[j];
    }
    return p;
  }
}
