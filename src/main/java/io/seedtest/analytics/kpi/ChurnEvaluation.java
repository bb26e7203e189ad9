package io.seedtest.analytics.kpi;

import java.io.Serializable;
import java.util.Locale;

/**
 * The gate every churn model passes before it serves: on the held-out week, the candidate's AUC
 * against the best single-feature baseline — days since her last activity (as the calibrated
 * recency buckets, whose Brier and ECE are kept too) and her own activity rate (ranked alone). The
 * candidate serves only when its AUC beats the better of the two by {@code minAucGain}; otherwise
 * the recency buckets serve and the model row says why. Null figures: no held-out week, or (for
 * the candidate) no candidate trained.
 */
public record ChurnEvaluation(Double candidateAuc, Double recencyAuc, Double recencyBrier, Double recencyEce,
    Double activityRateAuc, double minAucGain) implements Serializable {

  /** The best single-feature AUC on the held-out week, or null without one. */
  public Double baselineAuc() {
    if (recencyAuc == null) {
      return activityRateAuc;
    }
    return activityRateAuc == null ? recencyAuc : Math.max(recencyAuc, activityRateAuc);
  }

  public String baselineName() {
    return activityRateAuc != null && (recencyAuc == null || activityRateAuc > recencyAuc) ? "activity rate" : "recency";
  }

  /** True when the candidate's held-out AUC is at least the baseline's + minAucGain. */
  public boolean candidateWins() {
    Double base = baselineAuc();
    return candidateAuc != null && base != null && candidateAuc >= base + minAucGain;
  }

  /** Why the candidate does not serve (null when it does). */
  public String rejection() {
    if (candidateWins()) {
      return null;
    }
    return String.format(Locale.ROOT, "candidate's held-out AUC %s < best single-feature baseline %.4f (%s) + %.3f",
        candidateAuc == null ? "n/a" : String.format(Locale.ROOT, "%.4f", candidateAuc), baselineAuc(), baselineName(),
        minAucGain);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "candidate AUC %s vs recency %s, activity rate %s (margin %.3f)", f(candidateAuc),
        f(recencyAuc), f(activityRateAuc), minAucGain);
  }

  private static String f(Double d) {
    return d == null ? "n/a" : String.format(Locale.ROOT, "%.4f", d);
  }
}
