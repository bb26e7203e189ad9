package io.seedtest.analytics.irt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a person should look at in one item's estimate, as the {@code flag} the calibration writes:
 * a parameter on the bounds the fit used ({@code a_at_bound}: no finite maximum inside them, and
 * no SE), and a maximum-likelihood estimate outside the plausible range ({@code b_extreme (12.75
 * outside [-8, 8])}), and a response curve the model does not describe ({@code misfit (RMSD
 * 0.151)}, {@link ItemMisfit}). Extreme estimates are kept as they are, not clamped: clamping would move the
 * fit off the maximum the psychometrician asked for (docs/irt.md, "Bounds").
 */
public final class ItemFlags {
  private static final String[] NAMES = {"a", "b", "c"};

  private ItemFlags() {}

  /** The flags of a calibrated item, comma-separated, or null when there is nothing to say. */
  public static String of(ItemParams p, ParameterBounds bounds, ItemModel model) {
    return of(p, bounds, model, ItemMisfit.NOT_COMPUTED);
  }

  /** As {@link #of(ItemParams, ParameterBounds, ItemModel)}, plus {@code misfit (RMSD 0.15)} above the threshold. */
  public static String of(ItemParams p, ParameterBounds bounds, ItemModel model, ItemMisfit misfit) {
    ParameterBounds plausible = ParameterBounds.defaults();
    double[] x = {p.a(), p.b(), p.c()};
    boolean[] estimated = {model.hasItemSlope(), true, model.hasGuessing()};
    List<String> f = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (!estimated[i]) {
        continue;
      }
      if (bounds.isOnBound(i, x[i])) {
        f.add(NAMES[i] + "_at_bound");
      } else if (plausible.isExtreme(i, x[i])) {
        f.add(String.format(Locale.ROOT, "%s_extreme (%.2f outside [%s, %s])", NAMES[i], x[i],
            plain(plausible.lower(i)), plain(plausible.upper(i))));
      }
    }
    if (misfit.isFlagged()) {
      f.add(String.format(Locale.ROOT, "misfit (RMSD %.3f)", misfit.rmsd()));
    }
    return f.isEmpty() ? null : String.join(",", f);
  }

  private static String plain(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
