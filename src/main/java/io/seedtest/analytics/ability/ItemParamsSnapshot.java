package io.seedtest.analytics.ability;

import io.seedtest.analytics.irt.EapScorer;
import io.seedtest.analytics.irt.ItemParams;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The calibrated items of {@code mirt_item_params} at one moment: ids sorted ascending, their
 * 3PL parameters (IRT form, D = 1) and the {@link EapScorer} over them. Items whose latest
 * calibration did not estimate them ({@code calibrated = false}) are not in it, so their answers
 * are skipped and counted. Immutable and serializable (broadcast to Spark executors; shared by the
 * endpoint's request threads).
 *
 * @param calibrationId the calibration most of the items come from (recorded with each update)
 * @param fingerprint identifies the table's content (row count, latest update): a run that sees it
 *     change between computing and committing knows a calibration committed in between
 * @param rapidGuessMs each item's stored rapid-guess threshold in ms (mirt_item_params.rapid_guess_ms,
 *     NaN: none), in the order of {@code itemIds}; null when no item has one
 */
public final class ItemParamsSnapshot implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] itemIds;
  private final ItemParams[] params;
  private final String calibrationId;
  private final String fingerprint;
  private final double[] rapidGuessMs;
  private transient volatile EapScorer scorer;

  public ItemParamsSnapshot(long[] itemIds, ItemParams[] params, String calibrationId, String fingerprint) {
    this(itemIds, params, calibrationId, fingerprint, null);
  }

  public ItemParamsSnapshot(long[] itemIds, ItemParams[] params, String calibrationId, String fingerprint,
      double[] rapidGuessMs) {
    if (itemIds.length != params.length || (rapidGuessMs != null && rapidGuessMs.length != itemIds.length)) {
      throw new IllegalArgumentException("ids, parameters and thresholds differ in length");
    }
    Integer[] order = new Integer[itemIds.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(itemIds[x], itemIds[y]));
    this.itemIds = new long[itemIds.length];
    this.params = new ItemParams[itemIds.length];
    this.rapidGuessMs = rapidGuessMs == null ? null : new double[itemIds.length];
    for (int i = 0; i < order.length; i++) {
      this.itemIds[i] = itemIds[order[i]];
      this.params[i] = Objects.requireNonNull(params[order[i]]);
      if (rapidGuessMs != null) {
        this.rapidGuessMs[i] = rapidGuessMs[order[i]];
      }
      if (!this.params[i].isCalibrated()) {
        throw new IllegalArgumentException("item " + this.itemIds[i] + " is not calibrated");
      }
      if (i > 0 && this.itemIds[i] == this.itemIds[i - 1]) {
        throw new IllegalArgumentException("item " + this.itemIds[i] + " appears twice");
      }
    }
    this.calibrationId = calibrationId;
    this.fingerprint = fingerprint == null ? "" : fingerprint;
  }

  public static ItemParamsSnapshot empty() {
    return new ItemParamsSnapshot(new long[0], new ItemParams[0], null, "empty");
  }

  /** Dense index of a calibrated item, or −1 when the item is not calibrated. */
  public int index(long itemId) {
    int i = Arrays.binarySearch(itemIds, itemId);
    return i >= 0 ? i : -1;
  }

  public int size() {
    return itemIds.length;
  }

  public ItemParams params(int index) {
    return params[index];
  }

  public long itemId(int index) {
    return itemIds[index];
  }

  /** The rapid-guess threshold in ms of the item at {@code index}, NaN when it has none. */
  public double rapidGuessMs(int index) {
    return rapidGuessMs == null ? Double.NaN : rapidGuessMs[index];
  }

  public String calibrationId() {
    return calibrationId;
  }

  public String fingerprint() {
    return fingerprint;
  }

  /** The one EAP scorer (the calibration's, package irt) over these items. */
  public EapScorer scorer() {
    EapScorer s = scorer;
    if (s == null) {
      synchronized (this) {
        s = scorer;
        if (s == null) {
          s = new EapScorer(params);
          scorer = s;
        }
      }
    }
    return s;
  }
}
