package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * Everything that decides a calibration's numbers, in one value so a run can record exactly
 * what it used.
 *
 * <p>{@code minAnswersPerItem} (default 20): an item with fewer answers is left out rather than
 * estimated, because its estimate would be mostly prior and its SE too wide to score anyone
 * with; it is flagged and keeps its previous parameters (or NaN) until enough answers arrive.
 *
 * <p>{@code accelerated} (default on): SQUAREM extrapolation between EM steps ({@link SquaremStep}),
 * which reaches the same maximum in fewer E-steps; off gives the plain EM sequence, one E-step per
 * iteration (what the per-iteration benchmark times).
 */
public record CalibrationSettings(
    ItemModel model,
    ItemPriors priors,
    ParameterBounds bounds,
    Quadrature quadrature,
    ConvergenceCriteria convergence,
    int minAnswersPerItem,
    boolean accelerated)
    implements Serializable {

  public static final int DEFAULT_MIN_ANSWERS = 20;

  public CalibrationSettings {
    if (model == null || priors == null || bounds == null || quadrature == null
        || convergence == null) {
      throw new IllegalArgumentException("calibration settings must all be set");
    }
    if (minAnswersPerItem < 1) {
      throw new IllegalArgumentException(
          "minAnswersPerItem must be at least 1, got " + minAnswersPerItem);
    }
  }

  /** Production defaults: priors on, mirt's grid, TOL 1e-4, 500 iterations. */
  public static CalibrationSettings defaults(ItemModel model) {
    return new CalibrationSettings(model, ItemPriors.defaults(), ParameterBounds.defaults(),
        Quadrature.standardNormal(), ConvergenceCriteria.defaults(), DEFAULT_MIN_ANSWERS, true);
  }

  /**
   * As mirt's defaults: no priors, plain marginal maximum likelihood, inside bounds wide enough to
   * reach every finite maximum ({@link ParameterBounds#maximumLikelihood()}).
   */
  public static CalibrationSettings maximumLikelihood(ItemModel model) {
    return defaults(model).withPriors(ItemPriors.none())
        .withBounds(ParameterBounds.maximumLikelihood());
  }

  public CalibrationSettings withPriors(ItemPriors p) {
    return new CalibrationSettings(model, p, bounds, quadrature, convergence, minAnswersPerItem, accelerated);
  }

  public CalibrationSettings withBounds(ParameterBounds b) {
    return new CalibrationSettings(model, priors, b, quadrature, convergence, minAnswersPerItem, accelerated);
  }

  public CalibrationSettings withQuadrature(Quadrature q) {
    return new CalibrationSettings(model, priors, bounds, q, convergence, minAnswersPerItem, accelerated);
  }

  public CalibrationSettings withConvergence(ConvergenceCriteria c) {
    return new CalibrationSettings(model, priors, bounds, quadrature, c, minAnswersPerItem, accelerated);
  }

  public CalibrationSettings withMaxIterations(int max) {
    return withConvergence(convergence.withMaxIterations(max));
  }

  public CalibrationSettings withMinAnswersPerItem(int min) {
    return new CalibrationSettings(model, priors, bounds, quadrature, convergence, min, accelerated);
  }

  public CalibrationSettings withAcceleration(boolean on) {
    return new CalibrationSettings(model, priors, bounds, quadrature, convergence, minAnswersPerItem, on);
  }
}
