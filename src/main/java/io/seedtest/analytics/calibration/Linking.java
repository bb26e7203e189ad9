package io.seedtest.analytics.calibration;

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
 */
public record Linking(String method, String reference, ScaleTransform transform, int commonItems) {
  public static final int MIN_COMMON_ITEMS = 10;
  public static final String STOCKING_LORD = "stocking_lord";
  public static final String MEAN_SIGMA = "mean_sigma";
  public static final String NONE_FIRST = "none_first_calibration";
  public static final String NONE_TOO_FEW = "none_too_few_common_items";

  private static final Logger LOG = LoggerFactory.getLogger(Linking.class);

  /**
   * @param previous the calibration to link to, if any
   * @param itemIds item id of each dense index
   * @param own this calibration's parameters on its own scale, by dense index (uncalibrated ones
   *     are skipped)
   */
  public static Linking decide(Optional<PreviousCalibration> previous, long[] itemIds, ItemParams[] own) {
    if (previous.isEmpty()) {
      return new Linking(NONE_FIRST, null, ScaleTransform.IDENTITY, 0);
    }
    PreviousCalibration prev = previous.get();
    List<ItemParams> reference = new ArrayList<>();
    List<ItemParams> current = new ArrayList<>();
    for (int d = 0; d < own.length; d++) {
      ItemParams ref = prev.items().get(itemIds[d]);
      if (ref != null && ref.isCalibrated() && own[d].isCalibrated()) {
        reference.add(ref);
        current.add(own[d]);
      }
    }
    int common = reference.size();
    if (common < MIN_COMMON_ITEMS) {
      LOG.warn("scale NOT linked: only {} items in common with calibration {} (at least {} needed); "
              + "this calibration's θ and b are on its own scale and not comparable with earlier weeks",
          common, prev.calibrationId(), MIN_COMMON_ITEMS);
      return new Linking(NONE_TOO_FEW, prev.calibrationId(), ScaleTransform.IDENTITY, common);
    }
    StockingLord.Link link = new StockingLord().link(reference.toArray(ItemParams[]::new),
        current.toArray(ItemParams[]::new));
    if (!link.converged()) {
      LOG.warn("Stocking-Lord linking to {} did not converge after {} steps; using mean/sigma "
          + "(A={}, B={}) over {} common items", prev.calibrationId(), link.iterations(),
          link.meanSigma().a(), link.meanSigma().b(), common);
      return new Linking(MEAN_SIGMA, prev.calibrationId(), link.meanSigma(), common);
    }
    return new Linking(STOCKING_LORD, prev.calibrationId(), link.transform(), common);
  }
}
