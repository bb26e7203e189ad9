package io.seedtest.analytics.sim;

/**
 * The true daily churn hazard: the probability that a student who is still enrolled at the start
 * of a day leaves for good on that day (no activity from then on). A logistic model whose
 * coefficients are fixed here, so a churn model can be scored against the hazard the simulator
 * actually used (stored per student and day in {@code sim_student_days.churn_hazard}):
 *
 * <pre>
 * logit h = β0
 *         + β_engagement · (engagement − 0.30)
 *         + β_success    · (recent accuracy − 0.65)
 *         + β_idle       · ln(1 + full days without activity since the last active day)
 *         + β_newcomer   · [tenure ≤ 7 days]
 *         + β_after_goal · [the student's goal (exam) date has passed]
 * </pre>
 *
 * with β0 = −5.0, β_engagement = −4.0, β_success = −3.0, β_idle = +0.40, β_newcomer = +0.60,
 * β_after_goal = +1.50. "Recent accuracy" is an exponentially weighted mean of correctness over
 * the student's answers (weight 0.1 on the newest; 0.65 before the first answer). At the reference
 * point (engagement 0.30, accuracy 0.65, active yesterday, past the first week, before the goal)
 * the hazard is 0.67 % a day.
 */
public final class ChurnHazard {
  public static final double INTERCEPT = -5.0;
  public static final double ENGAGEMENT = -4.0;
  public static final double SUCCESS = -3.0;
  public static final double IDLE = 0.40;
  public static final double NEWCOMER = 0.60;
  public static final double AFTER_GOAL = 1.50;

  public static final double ENGAGEMENT_REF = 0.30;
  public static final double SUCCESS_REF = 0.65;
  public static final int NEWCOMER_DAYS = 7;
  /** Weight of the newest answer in the recent-accuracy average. */
  public static final double SUCCESS_SMOOTHING = 0.10;

  private ChurnHazard() {}

  /**
   * @param engagement the student's base probability of a session on a day
   * @param recentAccuracy exponentially weighted accuracy of her answers so far
   * @param idleDays full days without activity since her last active day (0 = active yesterday)
   * @param tenureDays days since she joined (1 = the day after joining)
   * @param afterGoal whether her goal date has passed
   */
  public static double daily(double engagement, double recentAccuracy, int idleDays, int tenureDays,
      boolean afterGoal) {
    double logit = INTERCEPT
        + ENGAGEMENT * (engagement - ENGAGEMENT_REF)
        + SUCCESS * (recentAccuracy - SUCCESS_REF)
        + IDLE * StrictMath.log1p(Math.max(0, idleDays))
        + (tenureDays <= NEWCOMER_DAYS ? NEWCOMER : 0.0)
        + (afterGoal ? AFTER_GOAL : 0.0);
    return Rand.sigmoid(logit);
  }
}
