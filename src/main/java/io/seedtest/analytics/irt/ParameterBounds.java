package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * Box constraints on a, b, c for the M-step.
 *
 * <p>They are a safety net, not a model. Two sets:
 * <ul>
 *   <li>{@link #defaults()} (with priors): a in [0.05, 6], b in [−8, 8], c in [0, 0.6]. With the
 *       priors on, a fitted item should never touch them; they also bound what is plausible, which
 *       is how {@link #isExtreme} judges a maximum-likelihood estimate.</li>
 *   <li>{@link #maximumLikelihood()} (plain ML, {@code --no-priors}): a in [0.001, 50], b in
 *       [−100, 100], c in [0, 0.99]. Wide enough that any finite maximum a real item has is inside
 *       (an item with a = 0.13 has its ML b at 12.75, which [−8, 8] used to hold at 8, moving the
 *       log-likelihood by 0.21 from mirt's), yet finite so that an item whose likelihood has no
 *       maximum (all answers correct: b → −∞) stops instead of overflowing; such an item ends on
 *       the bound and is flagged, and extreme ones are flagged too ({@link #isExtreme}), never
 *       clamped. a ≥ 0.001 keeps slopes positive: the scorer cannot use a negatively
 *       discriminating item (mirt would report a negative slope; here it is flagged at its bound).</li>
 * </ul>
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

  /** Plain maximum likelihood: bounds only an estimate without a finite maximum ever reaches. */
  public static ParameterBounds maximumLikelihood() {
    return new ParameterBounds(0.001, 50.0, -100.0, 100.0, 0.0, 0.99);
  }

  /** Whether parameter {@code 0 = a, 1 = b, 2 = c} sits on (within 1e-9 of) one of these bounds. */
  public boolean isOnBound(int parameter, double value) {
    return value <= lower(parameter) + 1e-9 || value >= upper(parameter) - 1e-9;
  }

  /**
   * Whether a parameter lies outside these bounds (used with {@link #defaults()}, the plausible
   * range): an ML estimate there is kept as it is and flagged for a person to look at.
   */
  public boolean isExtreme(int parameter, double value) {
    return value < lower(parameter) || value > upper(parameter);
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
