package io.seedtest.analytics.irt;

/**
 * Progress of one EM iteration, as {@link EmCalibration} reports it to an {@link Listener}.
 *
 * @param iteration 1-based
 * @param logLikelihood marginal log-likelihood at the new parameters
 * @param logPosterior log-likelihood plus log prior at the new parameters
 * @param parameterChange largest |Δa|, |Δb|, |Δc| of this iteration
 * @param logPosteriorChange relative change of the log-posterior
 * @param scaledGradient the gradient check (see {@link ConvergenceCriteria}), NaN when the other
 *     two criteria were not met yet and it was not computed
 * @param mStepsNotConverged item M-steps that stopped on their own cap this iteration
 * @param seconds wall time of this iteration (M-step plus the E-step at the new parameters, plus
 *     the extrapolation's E-step when one was tried first)
 * @param extrapolation the SQUAREM step length α tried just before this iteration, NaN when none
 *     was (see {@link SquaremStep})
 * @param extrapolationKept whether that extrapolation raised the log-posterior and this iteration
 *     started from it
 */
public record EmIteration(int iteration, double logLikelihood, double logPosterior,
    double parameterChange, double logPosteriorChange, double scaledGradient,
    int mStepsNotConverged, double seconds, double extrapolation, boolean extrapolationKept) {

  /** Receives every iteration as it finishes (e.g. to log a progress line). */
  @FunctionalInterface
  public interface Listener {
    void onIteration(EmIteration progress);

    Listener NONE = p -> { };
  }
}
