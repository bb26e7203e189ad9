package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * Box constraints on a, b, c for the M-step.
 *
 * <p>They are a safety net, not a model: with priors on, a fitted item should never touch them.
 * They exist because without priors an all-correct item's likelihood keeps increasing as b → −∞
 * and a → ∞, and a bounded optimiser stops there instead of overflowing. a ≥ 0.05 also keeps items
 * from turning non-discriminating or negatively discriminating, which the scorer cannot use.
 */
public record ParameterBounds(
    double aMin, double aMax, double bMin, double bMax, double cMin, double cMax)
    implements Serializable {

  public ParameterBounds {
    if (!(aMin > 0 && aMin < aMax && bMin < bMax && cMin >= 0 && cMin < cMax && cMax < 1)) {
      throw new IllegalArgumentException("parameter bounds must satisfy 0 < aMin < aMax, "
          + "bMin < bMax, 0 <= cMin < cMax < 1; got " + aMin + ".." + aMax + ", " + bMin + ".."
          + bMax + ", " + cMin + ".." + cMax);
    }
  }

  public static ParameterBounds defaults() {
    return new ParameterBounds(0.05, 6.0, -8.0, 8.0, 0.0, 0.6);
  }

  double lower(int parameter) {
    return parameter == 0 ? aMin : parameter == 1 ? bMin : cMin;
  }

  double upper(int parameter) {
    return parameter == 0 ? aMax : parameter == 1 ? bMax : cMax;
  }

  double clamp(int parameter, double value) {
    return Math.max(lower(parameter), Math.min(upper(parameter), value));
  }
}
