package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * A linear change of the θ scale, θ_target = A·θ + B, and what it does to everything measured on
 * it. Item parameters keep their response functions: P(θ; a, b, c) = P(Aθ + B; a/A, A·b + B, c),
 * so a → a/A, b → A·b + B, c unchanged; standard errors scale the same way (SE(a)/A, A·SE(b)),
 * ignoring the uncertainty of A and B themselves. Abilities: θ → A·θ + B, SE → A·SE.
 *
 * @param a the slope A (&gt; 0)
 * @param b the intercept B
 */
public record ScaleTransform(double a, double b) implements Serializable {
  public static final ScaleTransform IDENTITY = new ScaleTransform(1.0, 0.0);

  public ScaleTransform {
    if (!(a > 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
      throw new IllegalArgumentException(
          "a scale transform needs a finite positive slope and a finite intercept, got A=" + a
              + ", B=" + b);
    }
  }

  public ItemParams apply(ItemParams p) {
    if (!p.isCalibrated()) {
      return p;
    }
    return new ItemParams(p.a() / a, a * p.b() + b, p.c(), p.seA() / a, a * p.seB(), p.seC());
  }

  public ItemParams[] apply(ItemParams[] params) {
    ItemParams[] out = new ItemParams[params.length];
    for (int j = 0; j < params.length; j++) {
      out[j] = params[j] == null ? null : apply(params[j]);
    }
    return out;
  }

  public AbilityEstimate apply(AbilityEstimate e) {
    return new AbilityEstimate(a * e.theta() + b, a * e.sd(), e.answersUsed());
  }

  /** The transform back: θ = (θ_target − B)/A. */
  public ScaleTransform inverse() {
    return new ScaleTransform(1.0 / a, -b / a);
  }

  public boolean isIdentity() {
    return a == 1.0 && b == 0.0;
  }
}
