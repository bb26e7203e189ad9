package io.seedtest.analytics.sim;

import io.seedtest.analytics.Errors;
import java.io.Serializable;
import java.time.LocalDate;

/**
 * Leaked items (issue 19, item drift): from {@code day} on, the true b of {@code items} items of
 * the bank is {@code shift} lower, as when an item's answer circulates in a study group. Which
 * items: every ⌊n/items⌋-th item index from 0 (item ids 1, 1 + stride, …), so they are spread
 * over the bank (topics are assigned to indices at random) and a test can name them without
 * reading the bank. Only the response probability changes: the platform's item choice and the
 * response times still use the item's original b.
 *
 * @param items number of leaked items, 0 = none (the default: the simulator's output is then
 *     exactly as before this switch existed)
 * @param shift how much lower b is after the leak (logits, ≥ 0)
 * @param day first day on which the leaked b holds (null only when {@code items} is 0)
 */
public record ItemLeak(int items, double shift, LocalDate day) implements Serializable {
  public static final ItemLeak NONE = new ItemLeak(0, 0.0, null);

  public ItemLeak {
    if (items < 0) {
      throw Errors.badSimulationSetting("leakItems", items, "0 (no leak) or a positive number of items");
    }
    if (items > 0 && !(shift >= 0 && shift <= 5)) {
      throw Errors.badSimulationSetting("leakShift", shift, "a drop of b from 0 to 5 logits");
    }
    if (items > 0 && day == null) {
      throw Errors.badSimulationSetting("leakDay", null, "the first day of the leak, such as 2026-11-20");
    }
  }

  public boolean any() {
    return items > 0;
  }

  /** Distance between leaked item indices in a bank of {@code bankSize} items. */
  public int stride(int bankSize) {
    return Math.max(1, bankSize / Math.max(1, items));
  }

  /** Whether item index {@code j} of a bank of {@code bankSize} items is leaked. */
  public boolean leaks(int j, int bankSize) {
    int stride = stride(bankSize);
    return items > 0 && j % stride == 0 && j / stride < items;
  }
}
