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
 * @param seconds wall time of this iteration (M-step plus the E-step at the new parameters)
 */
public record EmIteration(int iteration, double logLikelihood, double logPosterior,
    double parameterChange, double logPosteriorChange, double scaledGradient,
    int mStepsNotConverged, double seconds) {

  /** Receives every iteration as it finishes (e.g. to log a progress line). */
  @FunctionalInterface
  public interface Listener {
    void onIteration(EmIteration progress);

    Listener NONE = p -> { };
  }
}
