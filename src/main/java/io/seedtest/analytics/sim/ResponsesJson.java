package io.seedtest.analytics.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;

/**
 * The {@code exam_results.responses} JSON array of one session, in the exact shape of the V1
 * contract: {@code {"item_id": 17, "topic": "algebra", "correct": true, "response_time_ms": 41250,
 * "hints_used": 0, "answered_at": "2026-11-25T09:14:03Z"}}, one object per answer in order.
 */
final class ResponsesJson {
  private ResponsesJson() {}

  static String of(StudentHistory.Session s, ItemBank items) {
    StringBuilder b = new StringBuilder(32 + 150 * s.size());
    b.append('[');
    for (int k = 0; k < s.size(); k++) {
      int j = s.items()[k];
      if (k > 0) {
        b.append(", ");
      }
      b.append("{\"item_id\": ").append(items.itemId(j))
          .append(", \"topic\": ");
      string(b, items.topicOf(j));
      b.append(", \"correct\": ").append(s.correct()[k])
          .append(", \"response_time_ms\": ").append(s.responseTimeMs()[k])
          .append(", \"hints_used\": ").append(s.hints()[k])
          .append(", \"answered_at\": \"").append(Instant.ofEpochSecond(s.answeredAt()[k])).append("\"}");
    }
    return b.append(']').toString();
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    b.append('"');
  }
}
