package io.seedtest.analytics.report;

import java.io.Serializable;

/**
 * One topic of a student's report, from features_topic_daily: answers and correct answers in the
 * report's week, in the week before, and in the 4 weeks ending on the report's day (what
 * "weakest topic" is judged on).
 */
public record TopicWeek(String topic, int attemptsWeek, int correctWeek, int attemptsPrev, int correctPrev,
    int attempts4w, int correct4w) implements Serializable {

  /** Accuracy this week, or null without answers. */
  public Double accuracyWeek() {
    return attemptsWeek == 0 ? null : (double) correctWeek / attemptsWeek;
  }

  public Double accuracyPrev() {
    return attemptsPrev == 0 ? null : (double) correctPrev / attemptsPrev;
  }
}
