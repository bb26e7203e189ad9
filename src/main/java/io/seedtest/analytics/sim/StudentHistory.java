package io.seedtest.analytics.sim;

import java.util.List;

/**
 * Everything one simulated student did and was: her true traits, her goal, her sessions with
 * their answers, and one truth row per enrolled day. Days are indices from the spec's start day;
 * times are epoch seconds (UTC).
 */
public record StudentHistory(Student student, Goal goal, List<Session> sessions, List<Day> days) {

  /**
   * True traits. {@code churnDay} is −1 when she did not churn within the window;
   * {@code engagement} and {@code breakPropensity} are NaN in RECOVERY mode (not applicable).
   */
  public record Student(long userId, double theta0, double learningRate, double engagement, double speed,
      double hintPropensity, double breakPropensity, int joinDay, int churnDay, double finalTheta,
      int sessions, int answers) {}

  /** Target θ and the goal (exam) day index, which may lie beyond the window. */
  public record Goal(double targetTheta, int goalDay) {}

  /**
   * One finished session: a row of exam_results. Arrays are parallel, one entry per answer in
   * order; {@code items} are bank indices (item id = index + 1) and {@code theta} the true θ at the
   * moment of each answer.
   */
  public record Session(long resultId, long sessionId, int day, long startedAt, long finishedAt, int[] items,
      boolean[] correct, int[] responseTimeMs, int[] hints, long[] answeredAt, double[] theta, boolean[] rapid) {
    /** A session without rapid guesses. */
    public Session(long resultId, long sessionId, int day, long startedAt, long finishedAt, int[] items,
        boolean[] correct, int[] responseTimeMs, int[] hints, long[] answeredAt, double[] theta) {
      this(resultId, sessionId, day, startedAt, finishedAt, items, correct, responseTimeMs, hints, answeredAt, theta,
          null);
    }

    public int size() {
      return items.length;
    }

    /** Whether answer {@code k} is a rapid guess ({@link RapidGuessing}). */
    public boolean rapid(int k) {
      return rapid != null && rapid[k];
    }
  }

  /**
   * One enrolled day: θ at the end of the day, whether she had a session, the true probability of
   * a session that day, and the true hazard of churning on that day (0 on the join day). The churn
   * day itself has {@code churned = true} and no activity; no rows follow it.
   */
  public record Day(int day, double theta, boolean active, int sessions, int answers, double pSession,
      double churnHazard, boolean churned) {}
}
