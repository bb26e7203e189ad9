package io.seedtest.analytics.irt;

/**
 * The 3PL logistic response function P(θ) = c + (1 − c)·σ(a(θ − b)) and its logs and score.
 *
 * <p>Everything that evaluates P goes through here so the E-step tables, the M-step objective,
 * the standard errors and the scorer cannot drift apart. Logs are computed from the logistic in
 * log space (log σ(z) = −log(1 + e^−z)) rather than as log(P) so extreme items near their bounds
 * (|a(θ − b)| up to ~80) neither underflow to log(0) nor lose 1 − P to cancellation.
 */
public final class LogisticResponse {
  private LogisticResponse() {}

  /** σ(z) = 1/(1 + e^−z) without overflow for large |z|. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  /** log σ(z) = −softplus(−z), exact in both tails. */
  static double logSigmoid(double z) {
    return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
  }

  public static double probability(double a, double b, double c, double theta) {
    return c + (1.0 - c) * sigmoid(a * (theta - b));
  }

  /**
   * The item's Fisher information at θ, I(θ) = a² · (P − c)² / (1 − c)² · (1 − P) / P (Birnbaum):
   * how much one answer to it tells about θ. Under 3PL it peaks slightly above b, where P is a
   * little over (1 + c) / 2.
   */
  public static double information(double a, double b, double c, double theta) {
    double p = probability(a, b, c, theta);
    double lift = (p - c) / (1.0 - c);
    return a * a * lift * lift * (1.0 - p) / p;
  }

  /** log P(correct | θ). */
  public static double logProbability(double a, double b, double c, double theta) {
    double z = a * (theta - b);
    return c == 0.0 ? logSigmoid(z) : Math.log(c + (1.0 - c) * sigmoid(z));
  }

  /** log(1 − P(correct | θ)) = log(1 − c) + log σ(−z). */
  public static double logComplement(double a, double b, double c, double theta) {
    return Math.log1p(-c) + logSigmoid(-a * (theta - b));
  }

  /**
   * The score ∇_(a, b, c) log P(x | θ) of one answer at one θ, written into {@code out[0..2]}.
   *
   * <p>This is what the cross-product (XPD) standard errors average over a student's posterior:
   * by Fisher's identity her marginal score is the posterior mean of this complete-data score.
   * Closed forms: for a correct answer ∇P/P, for a wrong one −∇P/(1 − P), with
   * ∇P = ((1 − c)σσ̄(θ − b), −(1 − c)σσ̄·a, σ̄) and σ̄ = 1 − σ; the c = 0 case then reduces to the
   * familiar (x − σ)(θ − b), −(x − σ)a of logistic regression without any 0/0.
   */
  public static void score(double a, double b, double c, double theta, boolean correct,
      double[] out) {
    double z = a * (theta - b);
    double s = sigmoid(z);
    double sBar = sigmoid(-z);
    double dt = theta - b;
    if (correct) {
      double p = c + (1.0 - c) * s;
      double k = (1.0 - c) * s * sBar / p;
      out[0] = k * dt;
      out[1] = -k * a;
      out[2] = sBar / p;
    } else {
      out[0] = -s * dt;
      out[1] = s * a;
      out[2] = -1.0 / (1.0 - c);
    }
  }
}
