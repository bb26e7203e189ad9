package io.seedtest.analytics.ability;

import io.seedtest.analytics.calibration.IrtTables;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The endpoint's update of one session, in one transaction on a plain JDBC connection (no Spark):
 *
 * <ol>
 *   <li>advisory locks: the batch key shared, the student's key exclusive — so the endpoint and the
 *       batch commit never interleave on a student, and two requests for one student queue;
 *   <li>the session (404 when unknown or someone else's), and its row in session_ability_updates:
 *       when there is one, the stored result is the answer and nothing is written;
 *   <li>in the same statement: the student's θ, the ids of her earlier sessions that nobody applied
 *       yet (at most {@link #CATCH_UP_LIMIT}, finished within {@link #CATCH_UP_WINDOW} before this one;
 *       they are applied first, in finish order, so the endpoint reaches the θ the batch job would),
 *       and the session's answers from the {@code attempt} view, checked with {@link AnswerChecks};
 *   <li>{@link UpdateRule#apply} per session, then one statement per session records it, its
 *       history row and the new θ — the θ only if the row still holds the state the update started
 *       from (the weekly calibration writes mirt_ability without our locks: if it did in between,
 *       the transaction starts over);
 *   <li>commit.
 * </ol>
 *
 * The locks and the read go to the server together ({@link #LOCK_AND_READ}: two statements, one
 * round trip; PostgreSQL still runs them in order, and the read's snapshot is taken after the locks
 * are held). Three round trips in the usual case: lock and read, write, commit.
 */
public final class OnlineUpdater {
  public static final int CATCH_UP_LIMIT = 20;
  public static final Duration CATCH_UP_WINDOW = Duration.ofDays(7);

  private final UpdateRule rule;

  public OnlineUpdater(UpdateRule rule) {
    this.rule = rule;
  }

  /** What the endpoint answers. */
  public sealed interface Reply permits Applied, NotFound {}

  /**
   * @param caughtUp earlier sessions of the student applied first in the same transaction
   */
  public record Applied(long userId, long sessionId, double theta, double se, int answersUsed, int skipped,
      int invalid, String outcome, boolean alreadyApplied, int caughtUp) implements Reply {}

  public record NotFound(String message) implements Reply {}

  private record SessionRow(long resultId, long sessionId, Instant finishedAt) {}

  public Reply update(Connection c, long userId, long sessionId, ItemParamsSnapshot params,
      AnswerChecks.Bank bank, Instant now) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          Reply r = inTransaction(c, userId, sessionId, params, bank, now);
          c.commit();
          return r;
        } catch (StateChanged e) {
          // the weekly calibration rewrote her θ between our read and our write: start over
          c.rollback();
          if (attempt >= 3) {
            throw new SQLException("mirt_ability of user " + userId + " kept changing; giving up", "40001");
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is probably gone; the caller discards it
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(auto);
      } catch (SQLException ignored) {
        // as above
      }
    }
  }

  /** Someone else wrote the student's mirt_ability row after we read it. */
  private static final class StateChanged extends RuntimeException {
    StateChanged() {
      super(null, null, false, false);
    }
  }

  /**
   * Everything the update needs, in one statement after the locks: the session and its recorded
   * result, the student's θ, her earlier unapplied sessions (ids), and the session's answers (one
   * row each; one row with NULL answer columns when it has none).
   */
  static final String READ = "SELECT s.*,"
      + " a.seq, a.item_id, a.topic, a.correct, a.response_time_ms, a.hints_used, a.answered_at"
      // OFFSET 0: the session, her θ and her earlier sessions are looked up once, not once per answer row
      + " FROM (SELECT e.id, e.user_id, e.finished_at,"
      + " u.session_id, u.theta_after, u.se_after, u.answers_used, u.skipped, u.invalid, u.outcome,"
      + " m.theta, m.theta_se, m.as_of, m.source, m.calibration_id, m.answers_used AS state_answers_used,"
      + " (SELECT array_agg(x.session_id ORDER BY x.finished_at, x.id) FROM (SELECT c.session_id, c.finished_at, c.id"
      + "   FROM exam_results c WHERE c.user_id = e.user_id AND (c.finished_at, c.id) < (e.finished_at, e.id)"
      + "   AND c.finished_at >= e.finished_at - interval '" + CATCH_UP_WINDOW.toDays() + " days'"
      + "   AND NOT EXISTS (SELECT 1 FROM " + SessionTables.UPDATES + " u2 WHERE u2.session_id = c.session_id)"
      + "   ORDER BY c.finished_at DESC, c.id DESC LIMIT " + CATCH_UP_LIMIT + ") x) AS earlier"
      + " FROM exam_results e"
      + " LEFT JOIN " + SessionTables.UPDATES + " u ON u.session_id = e.session_id"
      + " LEFT JOIN " + IrtTables.ABILITY + " m ON m.user_id = e.user_id"
      + " WHERE e.session_id = ? OFFSET 0) s"
      + " LEFT JOIN attempt a ON a.result_id = s.id AND s.session_id IS NULL";

  /** The locks (the batch key shared, the student's exclusive), then {@link #READ}: one round trip. */
  static final String LOCK_AND_READ = "SELECT pg_advisory_xact_lock_shared(?, 0), pg_advisory_xact_lock(?, ?); "
      + READ;

  private Reply inTransaction(Connection c, long userId, long sessionId, ItemParamsSnapshot params,
      AnswerChecks.Bank bank, Instant now) throws SQLException {
    SessionRow target;
    AbilityState state;
    Long[] earlier = null;
    List<AnswerChecks.RawAnswer> targetAnswers = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(LOCK_AND_READ)) {
      ps.setInt(1, SessionTables.LOCK_NS_BATCH);
      ps.setInt(2, SessionTables.LOCK_NS_USER);
      ps.setInt(3, SessionTables.userLockKey(userId));
      ps.setLong(4, sessionId);
      ps.execute(); // the locks' result first
      if (!ps.getMoreResults()) {
        throw new SQLException("the read after the locks returned no rows");
      }
      try (ResultSet rs = ps.getResultSet()) {
        if (!rs.next()) {
          return notFound(c, userId, "unknown session " + sessionId);
        }
        long owner = rs.getLong(2);
        if (rs.wasNull() || owner != userId) {
          return notFound(c, userId, "session " + sessionId + " does not belong to user " + userId);
        }
        rs.getLong(4);
        if (!rs.wasNull()) {
          return new Applied(userId, sessionId, rs.getDouble(5), rs.getDouble(6), rs.getInt(7), rs.getInt(8),
              rs.getInt(9), rs.getString(10), true, 0);
        }
        target = new SessionRow(rs.getLong(1), sessionId, rs.getTimestamp(3).toInstant());
        double theta = rs.getDouble(11);
        state = rs.wasNull() ? null : new AbilityState(theta, rs.getDouble(12), rs.getTimestamp(13).toInstant(),
            rs.getString(14), rs.getString(15), rs.getInt(16));
        java.sql.Array a = rs.getArray(17);
        if (a != null) {
          earlier = (Long[]) a.getArray();
        }
        do {
          int seq = rs.getInt(18);
          if (!rs.wasNull()) {
            targetAnswers.add(new AnswerChecks.RawAnswer(target.resultId(), seq, rs.getObject(19, Long.class),
                rs.getString(20), rs.getObject(21, Boolean.class), rs.getObject(22, Double.class),
                rs.getObject(23, Integer.class), SessionTables.instant(rs.getTimestamp(24))));
          }
        } while (rs.next());
      }
    }

    List<SessionRow> toApply = new ArrayList<>();
    Map<Long, List<AnswerChecks.RawAnswer>> answers = new HashMap<>();
    if (earlier != null && earlier.length > 0) {
      // the rare path: sessions of hers nobody applied yet, finished before this one
      try (PreparedStatement ps = c.prepareStatement("SELECT id, session_id, finished_at FROM exam_results"
          + " WHERE session_id = ANY (?) ORDER BY finished_at, id")) {
        ps.setArray(1, c.createArrayOf("bigint", earlier));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            toApply.add(new SessionRow(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()));
          }
        }
      }
      answers.putAll(readAnswers(c, toApply));
    }
    toApply.add(target);
    answers.put(sessionId, targetAnswers);

    List<SessionAnswers> sessions = new ArrayList<>(toApply.size());
    for (SessionRow s : toApply) {
      AnswerChecks.Result checked = AnswerChecks.check(userId, s.sessionId(), s.finishedAt(),
          answers.getOrDefault(s.sessionId(), List.of()), bank, now);
      List<AnswerChecks.RawAnswer> valid = checked.valid();
      long[] items = new long[valid.size()];
      boolean[] correct = new boolean[valid.size()];
      double[] times = new double[valid.size()];
      for (int i = 0; i < items.length; i++) {
        items[i] = valid.get(i).itemId();
        correct[i] = valid.get(i).correct();
        times[i] = valid.get(i).responseTimeMs() == null ? Double.NaN : valid.get(i).responseTimeMs();
      }
      sessions.add(new SessionAnswers(s.resultId(), s.sessionId(), userId, s.finishedAt(), items, correct,
          checked.invalid(), times));
    }
    List<SessionUpdate> updates = rule.applyInOrder(state, sessions, params);
    try (PreparedStatement ps = c.prepareStatement(SessionTables.WRITE_ONE)) {
      for (SessionUpdate u : updates) {
        SessionTables.writeOne(ps, u, SessionTables.APPLIED_BY_ENDPOINT, null);
        int written = ps.executeUpdate();
        if (u.updated() && written != 1) {
          throw new StateChanged();
        }
      }
    }
    SessionUpdate last = updates.get(updates.size() - 1);
    return new Applied(userId, sessionId, last.thetaAfter(), last.seAfter(), last.answersUsed(), last.skipped(),
        last.invalid(), last.outcome().code(), false, updates.size() - 1);
  }

  private static Map<Long, List<AnswerChecks.RawAnswer>> readAnswers(Connection c, List<SessionRow> sessions)
      throws SQLException {
    Map<Long, List<AnswerChecks.RawAnswer>> out = new LinkedHashMap<>();
    Long[] ids = sessions.stream().map(SessionRow::sessionId).toArray(Long[]::new);
    String where = ids.length == 1 ? "session_id = ?" : "session_id = ANY (?)";
    try (PreparedStatement ps = c.prepareStatement("SELECT session_id, result_id, seq, item_id, topic, correct,"
        + " response_time_ms, hints_used, answered_at FROM attempt WHERE " + where)) {
      if (ids.length == 1) {
        ps.setLong(1, ids[0]);
      } else {
        Array array = c.createArrayOf("bigint", ids);
        ps.setArray(1, array);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new AnswerChecks.RawAnswer(rs.getLong(2),
              rs.getInt(3), (Long) rs.getObject(4, Long.class), rs.getString(5), (Boolean) rs.getObject(6, Boolean.class),
              (Double) rs.getObject(7, Double.class), (Integer) rs.getObject(8, Integer.class),
              SessionTables.instant(rs.getTimestamp(9))));
        }
      }
    }
    return out;
  }

  /** 404, saying whether the student is unknown altogether or the session is the problem. */
  private static Reply notFound(Connection c, long userId, String sessionProblem) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM exam_results WHERE user_id = ?)"
        + " OR EXISTS (SELECT 1 FROM " + IrtTables.ABILITY + " WHERE user_id = ?)")) {
      ps.setLong(1, userId);
      ps.setLong(2, userId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new NotFound(rs.getBoolean(1) ? sessionProblem : "unknown user " + userId);
      }
    }
  }
}
