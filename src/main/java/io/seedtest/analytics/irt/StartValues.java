package io.seedtest.analytics.irt;

/**
 * Where a calibration without previous estimates starts: a = 1 and b from the item's proportion
 * correct, c at the prior's mode (or 0.1 without a prior) for the 3PL.
 *
 * <p>b comes from inverting the marginal probability of a correct answer: with θ ~ N(0, 1) and
 * a = 1, P(correct) ≈ σ(−b/1.28) (the logistic–probit approximation), so b ≈ −1.28·logit(p*),
 * where p* removes the guessing floor. Starting near the answer cuts EM iterations, and starting
 * c above 0 keeps the 3PL out of the flat region where c and b trade off.
 */
public final class StartValues {
  private StartValues() {}

  public static ItemParams[] fromProportions(Responses data, ItemModel model, ItemPriors priors,
      ParameterBounds bounds) {
    return fromProportions(data.proportionCorrect(), model, priors, bounds);
  }

  /**
   * From each item's proportion correct (NaN for an item nobody answered): the form a
   * distributed driver has after one counting pass.
   */
  public static ItemParams[] fromProportions(double[] p, ItemModel model, ItemPriors priors,
      ParameterBounds bounds) {
    double c = 0.0;
    if (model.hasGuessing()) {
      c = priors.hasGuessPrior()
          ? (priors.guessAlpha() - 1.0) / (priors.guessAlpha() + priors.guessBeta() - 2.0)
          : 0.1;
      c = bounds.clamp(2, c);
    }
    ItemParams[] start = new ItemParams[p.length];
    for (int j = 0; j < p.length; j++) {
      double adjusted = Double.isNaN(p[j]) ? 0.5 : (p[j] - c) / (1.0 - c);
      adjusted = Math.max(0.02, Math.min(0.98, adjusted));
      double b = bounds.clamp(1, -1.28 * Math.log(adjusted / (1.0 - adjusted)));
      start[j] = ItemParams.of(1.0, b, c);
    }
    return start;
  }
}
