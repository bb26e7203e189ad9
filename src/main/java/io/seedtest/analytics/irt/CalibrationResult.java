package io.seedtest.analytics.irt;

import java.io.Serializable;

/**
 * What a calibration run records: the estimates, and the evidence needed to trust them.
 *
 * @param params per item, with standard errors; for an item not calibrated, its start
 *     parameters if some were given, else all NaN
 * @param calibrated per item, false when it had fewer than the minimum answers
 * @param answersPerItem per item, how many answers it had
 * @param iterations EM iterations (M-steps) run
 * @param converged both convergence criteria met before the iteration cap
 * @param logLikelihood marginal log-likelihood at the final parameters, Σ_i log Σ_k w_k L_i(θ_k):
 *     the same quantity as mirt's logLik on the same grid
 * @param logPosterior logLikelihood plus the log prior (up to a constant): what the EM maximises
 * @param maxGradient largest projected-gradient component of the log-posterior at the final
 *     parameters, from the final E-step's counts (exact for EM by Fisher's identity); small means
 *     a real maximum, not a stall
 * @param parameterChange the last iteration's largest parameter change
 * @param logLikelihoodChange the last iteration's relative change of the log-posterior
 * @param itemMStepsNotConverged items whose M-step hit its own cap in the last iteration
 * @param students students in the data
 * @param maxScaledGradient the gradient check at the final parameters: {@code maxGradient} with
 *     each item's component divided by √(its answers) (see {@link ConvergenceCriteria})
 * @param extrapolations SQUAREM extrapolations tried between iterations (each one more E-step)
 * @param extrapolationsKept of those, the ones that raised the log-posterior and were kept
 * @param misfit per item, RMSD and MD of its fitted curve against the final E-step's
 *     pseudo-counts ({@link ItemMisfit#NOT_COMPUTED} for an item not calibrated)
 * @param sampling the same estimates with the sampling standard errors of the MAP estimate (the
 *     sandwich H⁻¹·I·H⁻¹, see {@link ParameterCovariance#samplingStandardError}) instead of the
 *     posterior ones: what the drift test between two calibrations needs; equal to {@code params}
 *     without priors
 */
public record CalibrationResult(
    ItemModel model,
    ItemParams[] params,
    boolean[] calibrated,
    int[] answersPerItem,
    int iterations,
    boolean converged,
    double logLikelihood,
    double logPosterior,
    double maxGradient,
    double parameterChange,
    double logLikelihoodChange,
    int itemMStepsNotConverged,
    int students,
    double maxScaledGradient,
    int extrapolations,
    int extrapolationsKept,
    ItemMisfit[] misfit,
    ItemParams[] sampling)
    implements Serializable {

  /** E-steps run: one per iteration, one per extrapolation tried, and the one at the start values. */
  public int eSteps() {
    return iterations + extrapolations + 1;
  }

  /** Calibrated items whose RMSD is above {@link ItemMisfit#FLAG_THRESHOLD}. */
  public int itemsMisfitting() {
    int n = 0;
    for (ItemMisfit m : misfit) {
      if (m.isFlagged()) {
        n++;
      }
    }
    return n;
  }

  public int itemsCalibrated() {
    int n = 0;
    for (boolean c : calibrated) {
      if (c) {
        n++;
      }
    }
    return n;
  }
}
