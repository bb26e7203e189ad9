package io.seedtest.analytics.calibration;

import io.seedtest.analytics.irt.ItemDrift;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.irt.ScaleTransform;
import io.seedtest.analytics.irt.StockingLord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a calibration was put on the common scale: the method, the reference calibration, the
 * transform θ_common = A·θ_own + B and the number of common items. Decided by {@link #decide}.
 *
 * <ul>
 *   <li>{@code stocking_lord}: the usual case, linked to the previous calibration through the
 *       items both calibrated ({@link StockingLord}, symmetric criterion);
 *   <li>{@code mean_sigma}: Stocking–Lord did not converge (never seen; a safety net), the
 *       mean/sigma constants of the same items are used instead;
 *   <li>{@code none_first_calibration}: nothing to link to; this calibration defines the scale;
 *   <li>{@code none_too_few_common_items}: fewer than {@value #MIN_COMMON_ITEMS} common items;
 *       the scale is this calibration's own, which breaks week-over-week θ comparisons: logged as
 *       a warning.
 * </ul>
 *
 * <p>Drift and purification: every common item is tested for drift against the previous
 * calibration ({@link ItemDrift}: Wald z of Δa, Δb on the linked scale, Benjamini–Hochberg
 * q-values). Flagged items (q below {@code fdr}) are dropped from the anchor set and the link is
 * recomputed, until the flagged set no longer changes (at most {@value #MAX_PURIFICATION_ROUNDS}
 * rounds): a leaked item, easier since the last calibration, would otherwise pull B and move every
 * student's θ. The drift results are those of the final transform, for all common items.
 *
 * @param commonItems items calibrated in both calibrations
 * @param anchorItems the common items the final transform was computed from
 * @param purgedItems common items dropped from the anchor set as drifted
 * @param drift the drift test of each common item under the final transform (empty when not linked)
 */
public record Linking(String method, String reference, ScaleTransform transform, int commonItems,
    int anchorItems, int purgedItems, List<ItemDriftRow> drift) {
  public static final int MIN_COMMON_ITEMS = 10;
  public static final int MAX_PURIFICATION_ROUNDS = 10;
  public static final String STOCKING_LORD = "stocking_lord";
  public static final String MEAN_SIGMA = "mean_sigma";
  public static final String NONE_FIRST = "none_first_calibration";
  public static final String NONE_TOO_FEW = "none_too_few_common_items";

  private static final Logger LOG = LoggerFactory.getLogger(Linking.class);

  /** One common item's drift test, with its item id and whether the final link used it. */
  public record ItemDriftRow(long itemId, ItemDrift.Result result, boolean anchor) {}

  /** A link without drift testing (not linked, or linked over all common items). */
  public Linking(String method, String reference, ScaleTransform transform, int commonItems) {
    this(method, reference, transform, commonItems, commonItems, 0, List.of());
  }

  public int driftFlagged() {
    int k = 0;
    for (ItemDriftRow r : drift) {
      k += r.result().flagged() ? 1 : 0;
    }
    return k;
  }

  public int driftTested() {
    int k = 0;
    for (ItemDriftRow r : drift) {
      k += r.result().tested() ? 1 : 0;
    }
    return k;
  }

  /** {@link #decide(Optional, long[], ItemParams[], double)} at the default drift FDR. */
  public static Linking decide(Optional<PreviousCalibration> previous, long[] itemIds, ItemParams[] own) {
    return decide(previous, itemIds, own, ItemDrift.DEFAULT_FDR);
  }

  /**
   * @param previous the calibration to link to, if any
   * @param itemIds item id of each dense index
   * @param own this calibration's parameters on its own scale, by dense index (uncalibrated ones
   *     are skipped)
   * @param fdr the false discovery rate at which items are flagged as drifted and purged from the
   *     anchors; 0 flags nothing (linking over all common items, as before drift testing)
   */
  public static Linking decide(Optional<PreviousCalibration> previous, long[] itemIds, ItemParams[] own,
      double fdr) {
    if (previous.isEmpty()) {
      return new Linking(NONE_FIRST, null, ScaleTransform.IDENTITY, 0);
    }
    PreviousCalibration prev = previous.get();
    List<ItemParams> reference = new ArrayList<>();
    List<ItemParams> current = new ArrayList<>();
    List<Long> commonIds = new ArrayList<>();
    for (int d = 0; d < own.length; d++) {
      ItemParams ref = prev.items().get(itemIds[d]);
      if (ref != null && ref.isCalibrated() && own[d].isCalibrated()) {
        reference.add(ref);
        current.add(own[d]);
        commonIds.add(itemIds[d]);
      }
    }
    int common = reference.size();
    if (common < MIN_COMMON_ITEMS) {
      LOG.warn("scale NOT linked: only {} items in common with calibration {} (at least {} needed); "
              + "this calibration's θ and b are on its own scale and not comparable with earlier weeks",
          common, prev.calibrationId(), MIN_COMMON_ITEMS);
      return new Linking(NONE_TOO_FEW, prev.calibrationId(), ScaleTransform.IDENTITY, common);
    }
    ItemParams[] ref = reference.toArray(ItemParams[]::new);
    ItemParams[] cur = current.toArray(ItemParams[]::new);
    Purification p = purify(ref, cur, fdr, prev.calibrationId());
    List<ItemDriftRow> drift = new ArrayList<>(common);
    for (ItemDrift.Result r : p.drift()) {
      drift.add(new ItemDriftRow(commonIds.get(r.index()), r, !p.excluded()[r.index()]));
    }
    return new Linking(p.method(), prev.calibrationId(), p.transform(), common, p.anchors(), common - p.anchors(),
        List.copyOf(drift));
  }

  /** The final link of {@link #purify}: over {@code anchors} items, with every common item's test. */
  record Purification(String method, ScaleTransform transform, int anchors, int rounds,
      List<ItemDrift.Result> drift, boolean[] excluded) {}

  /**
   * Links over the anchor set, tests every common item, drops the flagged ones from the anchors
   * and repeats until the flagged set is the excluded set. If purging would leave fewer than
   * {@value #MIN_COMMON_ITEMS} anchors, the drift is too widespread to be a few leaked items (more
   * likely a real change of the whole bank): the link over all common items is kept, with a warning.
   */
  static Purification purify(ItemParams[] ref, ItemParams[] cur, double fdr, String referenceId) {
    int n = ref.length;
    boolean[] excluded = new boolean[n];
    Purification first = null;
    Purification last = null;
    for (int round = 1; round <= MAX_PURIFICATION_ROUNDS; round++) {
      List<ItemParams> r = new ArrayList<>();
      List<ItemParams> c = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (!excluded[j]) {
          r.add(ref[j]);
          c.add(cur[j]);
        }
      }
      String[] method = new String[1];
      ScaleTransform t = link(r.toArray(ItemParams[]::new), c.toArray(ItemParams[]::new), referenceId, method);
      List<ItemDrift.Result> drift = ItemDrift.test(ref, t.apply(cur), fdr);
      last = new Purification(method[0], t, r.size(), round, drift, excluded);
      first = first == null ? last : first;
      boolean[] flagged = new boolean[n];
      int flaggedCount = 0;
      for (ItemDrift.Result d : drift) {
        flagged[d.index()] = d.flagged();
        flaggedCount += d.flagged() ? 1 : 0;
      }
      if (java.util.Arrays.equals(flagged, excluded)) {
        return last;
      }
      if (n - flaggedCount < MIN_COMMON_ITEMS) {
        LOG.warn("drift: {} of {} common items with {} flagged as drifted; purging them would leave fewer than "
            + "{} anchors, so the link uses all common items (a change of the whole bank rather than a few "
            + "leaked items?)", flaggedCount, n, referenceId, MIN_COMMON_ITEMS);
        return first;
      }
      excluded = flagged;
    }
    LOG.warn("drift: the flagged set did not settle in {} purification rounds against {}; the last link is used",
        MAX_PURIFICATION_ROUNDS, referenceId);
    return last;
  }

  private static ScaleTransform link(ItemParams[] reference, ItemParams[] current, String referenceId,
      String[] method) {
    StockingLord.Link link = new StockingLord().link(reference, current);
    if (!link.converged()) {
      LOG.warn("Stocking-Lord linking to {} did not converge after {} steps; using mean/sigma "
          + "(A={}, B={}) over {} anchor items", referenceId, link.iterations(),
          link.meanSigma().a(), link.meanSigma().b(), reference.length);
      method[0] = MEAN_SIGMA;
      return link.meanSigma();
    }
    method[0] = STOCKING_LORD;
    return link.transform();
  }
}
