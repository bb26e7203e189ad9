package io.seedtest.analytics.ability;

import static io.seedtest.analytics.calibration.IrtTables.ABILITY;
import static io.seedtest.analytics.calibration.IrtTables.ABILITY_HISTORY;
import static io.seedtest.analytics.calibration.IrtTables.ITEM_PARAMS;

import io.seedtest.analytics.io.UpsertSpec;
import io.seedtest.analytics.irt.ItemParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tables of the session-end update (V7__session_updates.sql; mirt_* from V5) and the SQL both
 * writers share: loading the calibrated item parameters and the bank, reading a student's θ, and
 * the statement that records one applied session.
 */
public final class SessionTables {
  public static final String UPDATES = "session_ability_updates";
  public static final String WATERMARK = "session_update_watermark";
  public static final String APPLIED_BY_BATCH = "batch";
  public static final String APPLIED_BY_ENDPOINT = "endpoint";

  /**
   * Advisory lock namespaces (the two-int4 form, which never collides with RunLock's one-bigint
   * keys). The endpoint holds (BATCH, 0) shared and (USER, user) exclusive; the batch commit holds
   * (BATCH, 0) exclusive, so the two never interleave on a student and the batch does not need a
   * lock per student (100k advisory locks would exhaust the shared lock table).
   */
  static final int LOCK_NS_BATCH = 0x53450001;
  static final int LOCK_NS_USER = 0x53450002;

  /** Lake (embedded) specs; the same keys as the PostgreSQL tables. */
  public static final UpsertSpec UPDATES_SPEC = new UpsertSpec(UPDATES, List.of("session_id"),
      List.of("user_id", "result_id", "finished_at", "outcome", "theta_before", "se_before", "prior_sd", "days_since",
          "theta_after", "se_after", "answers_used", "skipped", "invalid", "calibration_id", "applied_by"),
      List.of("applied_at", "run_id"), null, null);

  private SessionTables() {}

  static int userLockKey(long userId) {
    return (int) (userId ^ (userId >>> 32));
  }

  /** The calibrated items of mirt_item_params, with the table's fingerprint (empty when none). */
  public static ItemParamsSnapshot loadItemParams(Connection c) throws SQLException {
    List<Long> ids = new ArrayList<>();
    List<ItemParams> params = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    String fingerprint;
    String calibrationId = null;
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '-')"
          + " FROM " + ITEM_PARAMS)) {
        rs.next();
        fingerprint = rs.getString(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT item_id, a, b, c, rapid_guess_ms FROM " + ITEM_PARAMS
          + " WHERE calibrated AND a IS NOT NULL AND b IS NOT NULL AND c IS NOT NULL")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
          params.add(ItemParams.of(rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)));
          double t = rs.getDouble(5);
          thresholds.add(rs.wasNull() ? Double.NaN : t);
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT calibration_id FROM " + ITEM_PARAMS + " WHERE calibrated"
          + " GROUP BY calibration_id ORDER BY count(*) DESC, calibration_id DESC LIMIT 1")) {
        if (rs.next()) {
          calibrationId = rs.getString(1);
        }
      }
    }
    long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
    return new ItemParamsSnapshot(idArray, params.toArray(ItemParams[]::new), calibrationId, fingerprint,
        thresholds.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Only the fingerprint, to notice a calibration that committed since a snapshot was taken. */
  public static String itemParamsFingerprint(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '-') FROM " + ITEM_PARAMS)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The platform's item bank (item_id → topic); empty map = the unknown-item rule is off. */
  public static ItemBankSnapshot loadItemBank(Connection c) throws SQLException {
    Map<Long, String> bank = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT item_id, topic FROM item_bank")) {
      while (rs.next()) {
        bank.put(rs.getLong(1), rs.getString(2));
      }
    }
    return new ItemBankSnapshot(bank);
  }

  /** The item bank for {@link AnswerChecks}. */
  public record ItemBankSnapshot(Map<Long, String> topics) implements AnswerChecks.Bank {
    @Override
    public boolean isEmpty() {
      return topics.isEmpty();
    }

    @Override
    public boolean contains(long itemId) {
      return topics.containsKey(itemId);
    }

    @Override
    public String topic(long itemId) {
      return topics.get(itemId);
    }
  }

  /**
   * Records one applied session and, when it moved θ, its history row and the student's new θ:
   * one statement (data-modifying CTEs), one round trip. Its update count is 1 when the θ was
   * written, 0 when there was nothing to write or the row no longer held the state the update
   * started from (the caller tells the two apart).
   */
  static final String WRITE_ONE = "WITH sau AS ("
      + " INSERT INTO " + UPDATES + " (session_id, user_id, result_id, finished_at, outcome, theta_before, se_before,"
      + " prior_sd, days_since, theta_after, se_after, answers_used, skipped, invalid, calibration_id, applied_by, run_id)"
      + " VALUES (?, ?, ?, ?::timestamptz, ?, ?::float8, ?::float8, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid) RETURNING session_id),"
      + " hist AS (INSERT INTO " + ABILITY_HISTORY + " (user_id, as_of, source, theta, theta_se, answers_used, calibration_id)"
      + " SELECT ?::int8, ?::timestamptz, 'session', ?::float8, ?::float8, ?::int4, ?::text WHERE ?::boolean"
      + " ON CONFLICT (user_id, as_of, source, calibration_id) DO UPDATE SET theta = EXCLUDED.theta,"
      + " theta_se = EXCLUDED.theta_se, answers_used = EXCLUDED.answers_used, updated_at = now() RETURNING 1)"
      + " INSERT INTO " + ABILITY + " (user_id, theta, theta_se, answers_used, as_of, calibration_id, source)"
      + " SELECT ?::int8, ?::float8, ?::float8, ?::int4, ?::timestamptz, ?::text, 'session' WHERE ?::boolean"
      + " ON CONFLICT (user_id) DO UPDATE SET theta = EXCLUDED.theta, theta_se = EXCLUDED.theta_se,"
      + " answers_used = EXCLUDED.answers_used, as_of = EXCLUDED.as_of, calibration_id = EXCLUDED.calibration_id,"
      + " source = EXCLUDED.source, updated_at = now()"
      // only over the state the update started from: 0 rows = someone else wrote it meanwhile
      + " WHERE (" + ABILITY + ".theta, " + ABILITY + ".theta_se, " + ABILITY + ".as_of, " + ABILITY + ".source)"
      + " IS NOT DISTINCT FROM (?::float8, ?::float8, ?::timestamptz, ?::text)";

  static void writeOne(PreparedStatement ps, SessionUpdate u, String appliedBy, UUID runId) throws SQLException {
    int i = 1;
    ps.setLong(i++, u.sessionId());
    ps.setLong(i++, u.userId());
    ps.setLong(i++, u.resultId());
    ps.setTimestamp(i++, Timestamp.from(u.finishedAt()));
    ps.setString(i++, u.outcome().code());
    setDouble(ps, i++, u.before() == null ? null : u.before().theta());
    setDouble(ps, i++, u.before() == null ? null : u.before().se());
    ps.setDouble(i++, u.priorSd());
    ps.setDouble(i++, u.daysSince());
    ps.setDouble(i++, u.thetaAfter());
    ps.setDouble(i++, u.seAfter());
    ps.setInt(i++, u.answersUsed());
    ps.setInt(i++, u.skipped());
    ps.setInt(i++, u.invalid());
    ps.setString(i++, u.calibrationId());
    ps.setString(i++, appliedBy);
    ps.setString(i++, runId == null ? null : runId.toString());
    AbilityState a = u.after();
    boolean updated = u.updated();
    // history
    ps.setLong(i++, u.userId());
    ps.setTimestamp(i++, Timestamp.from(u.finishedAt()));
    ps.setDouble(i++, u.thetaAfter());
    ps.setDouble(i++, u.seAfter());
    ps.setInt(i++, updated ? a.answersUsed() : 0);
    ps.setString(i++, u.calibrationId());
    ps.setBoolean(i++, updated);
    // current ability
    ps.setLong(i++, u.userId());
    ps.setDouble(i++, u.thetaAfter());
    ps.setDouble(i++, u.seAfter());
    ps.setInt(i++, updated ? a.answersUsed() : 0);
    ps.setTimestamp(i++, Timestamp.from(updated ? a.asOf() : u.finishedAt()));
    ps.setString(i++, u.calibrationId());
    ps.setBoolean(i++, updated);
    // the expected current row
    AbilityState b = u.before();
    setDouble(ps, i++, b == null ? null : b.theta());
    setDouble(ps, i++, b == null ? null : b.se());
    ps.setTimestamp(i++, b == null ? null : Timestamp.from(b.asOf()));
    ps.setString(i++, b == null ? null : b.source());
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
