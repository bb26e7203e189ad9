package io.seedtest.analytics.testing;

import io.seedtest.analytics.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Writes exam sessions into exam_results the way the platform's API does (JSONB responses). */
public final class ExamResultsFixture {
  private final DatabaseUrl db;

  public ExamResultsFixture(DatabaseUrl db) {
    this.db = db;
  }

  public ExamResultsFixture items(String topic, long... itemIds) {
    for (long id : itemIds) {
      TestDatabase.execute(db, "INSERT INTO item_bank (item_id, topic) VALUES (" + id + ", '" + topic + "')"
          + " ON CONFLICT DO NOTHING");
    }
    return this;
  }

  /** One session; {@code responsesJson} is the raw JSON array, so tests can write malformed answers. */
  public ExamResultsFixture session(long sessionId, Long userId, String finishedAt, String responsesJson) {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO exam_results (session_id, user_id, started_at, finished_at, responses)"
            + " VALUES (?, ?, ?, ?, ?::jsonb)")) {
      Instant fin = Instant.parse(finishedAt);
      ps.setLong(1, sessionId);
      ps.setObject(2, userId);
      ps.setTimestamp(3, Timestamp.from(fin.minusSeconds(1800)));
      ps.setTimestamp(4, Timestamp.from(fin));
      ps.setString(5, responsesJson);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /** A well-formed answer object. */
  public static String answer(long item, String topic, boolean correct, double rtMs, int hints, String answeredAt) {
    return "{\"item_id\": " + item + ", \"topic\": \"" + topic + "\", \"correct\": " + correct
        + ", \"response_time_ms\": " + rtMs + ", \"hints_used\": " + hints + ", \"answered_at\": \"" + answeredAt + "\"}";
  }

  public static String array(String... answers) {
    return "[" + String.join(", ", answers) + "]";
  }
}
