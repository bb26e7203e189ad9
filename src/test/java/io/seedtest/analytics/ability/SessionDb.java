package io.seedtest.analytics.ability;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.config.Settings;
import io.seedtest.analytics.irt.ItemParams;
import io.seedtest.analytics.job.JobRunner;
import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.ExamResultsFixture;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The session and serve tests' database: a fresh migrated schema with a small calibrated item bank, and
 * helpers to write abilities and sessions and to run the batch job.
 */
public final class SessionDb {
  public static final String CALIBRATION = "cal-2026-11-15";
  /** Calibrated items 101..108 (3PL); item 109 is in the bank but not calibrated. */
  static final Map<Long, double[]> ITEMS = new LinkedHashMap<>();

  static {
    ITEMS.put(101L, new double[] {1.2, -1.0, 0.20});
    ITEMS.put(102L, new double[] {0.8, 0.0, 0.15});
    ITEMS.put(103L, new double[] {1.6, 0.5, 0.25});
    ITEMS.put(104L, new double[] {1.0, 1.2, 0.10});
    ITEMS.put(105L, new double[] {2.0, -0.3, 0.0});
    ITEMS.put(106L, new double[] {0.6, 2.0, 0.18});
    ITEMS.put(107L, new double[] {1.3, -0.6, 0.12});
    ITEMS.put(108L, new double[] {0.9, 0.9, 0.20});
  }

  public final DatabaseUrl db;
  final ExamResultsFixture exams;

  public SessionDb(String prefix) {
    db = TestDatabase.fresh(prefix);
    exams = new ExamResultsFixture(db);
    exams.items("algebra", 101, 102, 103, 104, 105, 106, 107, 108, 109);
    for (Map.Entry<Long, double[]> e : ITEMS.entrySet()) {
      double[] p = e.getValue();
      TestDatabase.execute(db, "INSERT INTO mirt_item_params (item_id, model, a, b, c, answers, calibration_id,"
          + " calibrated) VALUES (" + e.getKey() + ", '3pl', " + p[0] + ", " + p[1] + ", " + p[2] + ", 500, '"
          + CALIBRATION + "', true)");
    }
    TestDatabase.execute(db, "INSERT INTO mirt_item_params (item_id, model, answers, calibration_id, calibrated, flag)"
        + " VALUES (109, '3pl', 3, '" + CALIBRATION + "', false, 'too_few_answers')");
  }

  public SessionDb ability(long user, double theta, double se, String asOf, String source) {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO mirt_ability (user_id,"
        + " theta, theta_se, answers_used, as_of, calibration_id, source) VALUES (?, ?, ?, 40, ?, ?, ?)")) {
      ps.setLong(1, user);
      ps.setDouble(2, theta);
      ps.setDouble(3, se);
      ps.setTimestamp(4, Timestamp.from(Instant.parse(asOf)));
      ps.setString(5, CALIBRATION);
      ps.setString(6, source);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  /**
   * A session of well-formed answers {@code item:correct} answered a minute apart before
   * {@code finishedAt}, e.g. {@code session(11, 7, "2026-11-20T10:00:00Z", "101:1", "102:0")}.
   */
  public SessionDb session(long sessionId, long user, String finishedAt, String... answers) {
    exams.session(sessionId, user, finishedAt, ExamResultsFixture.array(answersJson(finishedAt, answers)));
    return this;
  }

  static String[] answersJson(String finishedAt, String... answers) {
    Instant fin = Instant.parse(finishedAt);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      String[] kv = answers[i].split(":");
      Instant at = fin.minusSeconds(60L * (answers.length - i));
      out.add(ExamResultsFixture.answer(Long.parseLong(kv[0]), "algebra", kv[1].equals("1"), 20_000, 0, at.toString()));
    }
    return out.toArray(String[]::new);
  }

  /**
   * A session whose answers break the contract twice: a negative response time (item 103) and a
   * second answer to item 101; the valid answers are 101 (correct) and 102 (wrong).
   */
  SessionDb bad(long sessionId, long user, String finishedAt) {
    Instant fin = Instant.parse(finishedAt);
    exams.session(sessionId, user, finishedAt, ExamResultsFixture.array(
        ExamResultsFixture.answer(101, "algebra", true, 20_000, 0, fin.minusSeconds(300).toString()),
        ExamResultsFixture.answer(102, "algebra", false, 20_000, 0, fin.minusSeconds(240).toString()),
        ExamResultsFixture.answer(103, "algebra", true, -5, 0, fin.minusSeconds(180).toString()),
        ExamResultsFixture.answer(101, "algebra", false, 20_000, 0, fin.minusSeconds(120).toString())));
    return this;
  }

  Settings settings(Path lake) {
    return new Settings(Optional.of(db), lake, 30, 0.0, false, 2)
        // the fixtures are dirty on purpose; the quarantine threshold has its own tests
        .withMaxQuarantineShare(1.0);
  }

  JobOutcome runJob(Path lake, UpdateAbilitiesJob job, RunContext.PublishHooks hooks) {
    return JobRunner.run(job, new RunContext(UUID.randomUUID(), job.name(), null, false, false, "test",
        settings(lake), SparkTestSession.get(), hooks));
  }

  JobOutcome runJob(Path lake) {
    return runJob(lake, new UpdateAbilitiesJob(UpdateAbilitiesOptions.defaults()), RunContext.NONE);
  }

  /** The calibrated items of {@link #ITEMS} as the endpoint and the job load them. */
  public static ItemParamsSnapshot params() {
    long[] ids = ITEMS.keySet().stream().mapToLong(Long::longValue).toArray();
    ItemParams[] p = ITEMS.values().stream().map(v -> ItemParams.of(v[0], v[1], v[2])).toArray(ItemParams[]::new);
    return new ItemParamsSnapshot(ids, p, CALIBRATION, "test");
  }

  /** SQL that takes (or, {@code lock} false, releases) the advisory lock every update of {@code user} waits for. */
  public static String userLockSql(long user, boolean lock) {
    return "SELECT pg_advisory_" + (lock ? "lock(" : "unlock(") + SessionTables.LOCK_NS_USER + ", "
        + SessionTables.userLockKey(user) + ")";
  }

  /** Runs the endpoint's write of {@code u} on {@code c} (in the caller's transaction): the rows it changed. */
  public static int writeAsEndpoint(Connection c, SessionUpdate u) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SessionTables.WRITE_ONE)) {
      SessionTables.writeOne(ps, u, SessionTables.APPLIED_BY_ENDPOINT, null);
      return ps.executeUpdate();
    }
  }

  /** Drops the schema (call in @AfterAll). */
  public void drop() {
    TestDatabase.drop(db);
  }

  public List<List<Object>> query(String sql) {
    return TestDatabase.query(db, sql);
  }

  public long count(String sql) {
    return TestDatabase.count(db, sql);
  }

  /** session_id, user_id, outcome, theta_after, se_after, answers_used, skipped, invalid, applied_by per session. */
  List<List<Object>> updates() {
    return query("SELECT session_id, user_id, outcome, theta_after, se_after, answers_used, skipped, invalid, applied_by"
        + " FROM session_ability_updates ORDER BY session_id");
  }
}
