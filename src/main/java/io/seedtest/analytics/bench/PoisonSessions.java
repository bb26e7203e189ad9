package io.seedtest.analytics.bench;

import io.seedtest.analytics.Errors;
import io.seedtest.analytics.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Writes sessions into exam_results as the platform's API does (JSONB responses), in batches. */
public final class PoisonSessions {
  /** One exam_results row; {@code responses} is raw JSON text. */
  public record Session(long sessionId, long userId, Instant finishedAt, String responses) {}

  private PoisonSessions() {}

  public static void insert(DatabaseUrl db, List<Session> sessions) {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO exam_results (session_id, user_id, started_at, finished_at, responses)"
            + " VALUES (?, ?, ?, ?, ?::jsonb)")) {
      c.setAutoCommit(false);
      int n = 0;
      for (Session s : sessions) {
        ps.setLong(1, s.sessionId());
        ps.setLong(2, s.userId());
        ps.setTimestamp(3, Timestamp.from(s.finishedAt().minusSeconds(1800)));
        ps.setTimestamp(4, Timestamp.from(s.finishedAt()));
        ps.setString(5, s.responses());
        ps.addBatch();
        if (++n % 500 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      throw Errors.databaseFailure("Writing " + sessions.size() + " sessions into exam_results", e);
    }
  }
}
