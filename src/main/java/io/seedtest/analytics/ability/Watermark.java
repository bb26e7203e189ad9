package io.seedtest.analytics.ability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The batch job's position in exam_results (table session_update_watermark; the rule is in
 * docs/irt-online.md): every id up to {@code safe} has been read by a run; {@code seen} is the
 * largest id a run saw committed, at {@code seenAt} on the database clock. A run reads the ids in
 * {@code (safe, hi]}, hi being the largest id committed when it starts, and then
 * <ul>
 *   <li>promotes {@code seen} to {@code safe} if {@code seenAt} lies at least the safety lag before
 *       its own start: an id below {@code seen} that is still not visible then belongs to a
 *       transaction open for longer than the lag (ids come from the sequence at INSERT, rows appear
 *       at COMMIT);
 *   <li>records {@code (hi, its start)} as the new sighting when the old one was promoted (or there
 *       was none);
 *   <li>never promotes past a session it had to leave for later (a student someone else updated
 *       meanwhile).
 * </ul>
 * So ids between {@code safe} and {@code hi} are read again by the next run, which skips those
 * already applied: the cost is re-reading about one run's worth of ids, the gain that a
 * late-committing insert is never skipped.
 */
public record Watermark(long safe, Long seen, Instant seenAt) {
  public static final String NAME = UpdateAbilitiesJob.NAME;

  public static final Watermark START = new Watermark(0, null, null);

  /** The row, locked for update when {@code forUpdate}; {@link #START} when there is none yet. */
  static Watermark read(Connection c, boolean forUpdate) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT safe_result_id, seen_result_id, seen_at FROM "
        + SessionTables.WATERMARK + " WHERE name = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return START;
        }
        long seen = rs.getLong(2);
        boolean noSeen = rs.wasNull();
        return new Watermark(rs.getLong(1), noSeen ? null : seen, SessionTables.instant(rs.getTimestamp(3)));
      }
    }
  }

  /**
   * The position after a run that read {@code (safe, hi]} starting at {@code runStart} (database
   * clock) and left the sessions from result id {@code firstLeft} on for later (null: none).
   */
  Watermark advance(long hi, Instant runStart, Duration lag, Long firstLeft) {
    long newSafe = safe;
    Long newSeen = seen;
    Instant newSeenAt = seenAt;
    if (seen != null && !seenAt.isAfter(runStart.minus(lag))) {
      newSafe = seen;
      newSeen = null;
      newSeenAt = null;
    }
    if (firstLeft != null) {
      newSafe = Math.min(newSafe, Math.max(safe, firstLeft - 1));
    }
    if (newSeen == null) {
      newSeen = Math.max(hi, newSafe);
      newSeenAt = runStart;
    }
    return new Watermark(newSafe, Math.max(newSeen, newSafe), newSeenAt);
  }

  void write(Connection c, UUID runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SessionTables.WATERMARK
        + " (name, safe_result_id, seen_result_id, seen_at, run_id, updated_at) VALUES (?, ?, ?, ?, ?, now())"
        + " ON CONFLICT (name) DO UPDATE SET safe_result_id = EXCLUDED.safe_result_id,"
        + " seen_result_id = EXCLUDED.seen_result_id, seen_at = EXCLUDED.seen_at, run_id = EXCLUDED.run_id,"
        + " updated_at = now()")) {
      ps.setString(1, NAME);
      ps.setLong(2, safe);
      if (seen == null) {
        ps.setNull(3, java.sql.Types.BIGINT);
      } else {
        ps.setLong(3, seen);
      }
      ps.setTimestamp(4, seenAt == null ? null : Timestamp.from(seenAt));
      ps.setObject(5, runId);
      ps.executeUpdate();
    }
  }
}
