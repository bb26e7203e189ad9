package io.seedtest.analytics.report;

import java.io.Serializable;

/**
 * One line of a student's recommended top-N (a row of report_recommendations). {@code kind}
 * {@link #ITEM}: an item to try, with her success probability and its information at her θ;
 * {@link #TOPIC}: topic-level advice for a student without a calibrated θ (item fields null).
 */
public record Recommendation(int rank, String kind, Long itemId, String topic, Double pSuccess, Double information,
    Double topicAccuracy, Double theta) implements Serializable {
  public static final String ITEM = "item";
  public static final String TOPIC = "topic";
}
