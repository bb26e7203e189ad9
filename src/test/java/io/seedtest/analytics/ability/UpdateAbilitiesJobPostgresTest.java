package io.seedtest.analytics.ability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.job.RunContext;
import io.seedtest.analytics.run.JobOutcome;
import io.seedtest.analytics.testing.ExamResultsFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * update-abilities against a real PostgreSQL, as one life cycle of three runs (each Spark run
 * costs seconds, so the cases share them):
 *
 * <ol>
 *   <li>a run that crashes between the upsert and the watermark (injected) writes nothing;
 *   <li>the rerun applies every session once, student by student in finish order, with the rule's
 *       exact values; meanwhile (between its computation and its commit) the endpoint applies one
 *       session of student 7, so the batch leaves student 7 for the next run; a session inserted
 *       by a transaction that is still open (lower id, commits later) is not visible yet;
 *   <li>the next run applies student 7's remaining sessions from the endpoint's θ and the
 *       late-committed session, and nothing twice.
 * </ol>
 * Finally the same sessions applied by the endpoint alone, in a second schema, give the same θ.
 */
@Tag("spark")
@Tag("postgres")
class UpdateAbilitiesJobPostgresTest {
  @TempDir
  Path lake;

  static ItemParamsSnapshot params() {
    return SessionDb.params();
  }

  static SessionAnswers answers(long session, long user, String finished, long[] items, boolean[] correct,
      int invalid) {
    return new SessionAnswers(0, session, user, Instant.parse(finished), items, correct, invalid);
  }

  /** Five students covering every case of the rule; session ids 11..16. */
  static SessionDb scenario(String prefix) {
    return new SessionDb(prefix)
        .ability(7, 0.2, 0.3, "2026-11-18T00:00:00Z", AbilityState.SOURCE_CALIBRATION)
        .ability(9, -0.5, 0.35, "2026-11-21T00:00:00Z", AbilityState.SOURCE_CALIBRATION)
        // student 7: two sessions, inserted against finish order (the later one gets the lower id)
        .session(12, 7, "2026-11-20T10:00:00Z", "101:1", "102:1", "103:0")
        .session(11, 7, "2026-11-19T09:00:00Z", "104:0", "105:1")
        // student 8: no θ yet; one answer on uncalibrated item 109
        .session(13, 8, "2026-11-20T11:00:00Z", "101:1", "109:1", "106:0")
        // student 9: the session is inside her calibration's window
        .session(14, 9, "2026-11-20T12:00:00Z", "107:1", "108:1")
        // student 10: only uncalibrated answers
        .session(15, 10, "2026-11-20T13:00:00Z", "109:0")
        // student 11: a negative response time and a repeated item among good answers
        .bad(16, 11, "2026-11-20T14:00:00Z");
  }

  /**
   * Item 101's stored threshold (30 s) is above the fixture's 20 s answers: its three valid answers
   * (sessions 12, 13, 16) are rapid guesses, left out and counted; with --keep-rapid-guesses they
   * are used. Session 12 is then scored on 102 and 103 alone.
   */
  @Test
  void rapidGuessesAreLeftOutByDefaultAndCountedInTheRunLine() {
    SessionDb s = scenario("upd_rapid");
    io.seedtest.analytics.testing.TestDatabase.execute(s.db, "UPDATE mirt_item_params SET rapid_guess_ms = 30000 WHERE item_id = 101");
    JobOutcome out = s.runJob(lake);
    assertThat(out.summary()).contains("rapid guesses left out 3,");
    assertThat(s.query("SELECT session_id, answers_used, skipped FROM session_ability_updates"
        + " WHERE session_id IN (12, 13, 16) ORDER BY 1"))
        .containsExactly(List.of(12L, 2, 0), List.of(13L, 1, 1), List.of(16L, 1, 0));
    SessionUpdate eleven = UpdateRule.standard().apply(new AbilityState(0.2, 0.3, Instant.parse("2026-11-18T00:00:00Z"),
            AbilityState.SOURCE_CALIBRATION, SessionDb.CALIBRATION, 40),
        answers(11, 7, "2026-11-19T09:00:00Z", new long[] {104, 105}, new boolean[] {false, true}, 0), params(),
        new double[61]);
    SessionUpdate twelve = UpdateRule.standard().apply(eleven.after(),
        answers(12, 7, "2026-11-20T10:00:00Z", new long[] {102, 103}, new boolean[] {true, false}, 0), params(),
        new double[61]);
    assertThat((Double) s.query("SELECT theta_after FROM session_ability_updates WHERE session_id = 12").get(0).get(0))
        .isCloseTo(twelve.thetaAfter(), within(1e-12));

    SessionDb k = scenario("upd_rapid_k");
    io.seedtest.analytics.testing.TestDatabase.execute(k.db, "UPDATE mirt_item_params SET rapid_guess_ms = 30000 WHERE item_id = 101");
    JobOutcome kept = k.runJob(lake, new UpdateAbilitiesJob(new UpdateAbilitiesOptions(UpdateRule.DEFAULT_DRIFT_PER_DAY,
        UpdateAbilitiesOptions.DEFAULT_SAFETY_LAG, 1000, true)), RunContext.NONE);
    assertThat(kept.summary()).contains("rapid guesses kept (--keep-rapid-guesses)");
    assertThat(k.query("SELECT answers_used FROM session_ability_updates WHERE session_id = 12"))
        .containsExactly(List.of(3));
  }

  @Test
  void crashRerunConcurrentEndpointAndLateCommitEachSessionAppliedOnce() throws SQLException {
    SessionDb s = scenario("upd_life");
    UpdateAbilitiesOptions noLag = new UpdateAbilitiesOptions(UpdateRule.DEFAULT_DRIFT_PER_DAY, Duration.ZERO, 1000);
    try (Connection slow = s.db.connect()) {
      // An API transaction that took its exam_results id (7) and commits only after run 2.
      slow.setAutoCommit(false);
      try (PreparedStatement ps = slow.prepareStatement("INSERT INTO exam_results (session_id, user_id, started_at,"
          + " finished_at, responses) VALUES (50, 20, ?, ?, ?::jsonb)")) {
        ps.setTimestamp(1, Timestamp.from(Instant.parse("2026-11-20T09:00:00Z")));
        ps.setTimestamp(2, Timestamp.from(Instant.parse("2026-11-20T09:30:00Z")));
        ps.setString(3, ExamResultsFixture.array(SessionDb.answersJson("2026-11-20T09:30:00Z", "101:1", "102:1")));
        ps.executeUpdate();
      }
      s.session(51, 21, "2026-11-20T09:40:00Z", "103:1"); // id 8, committed at once

      // ---- run 1: crash between the upsert and the watermark ----
      UpdateAbilitiesJob crashing = new UpdateAbilitiesJob(noLag, new UpdateAbilitiesJob.Hooks() {
        @Override
        public void afterAbilityWrites(Connection c) throws SQLException {
          assertThat(countIn(c, "SELECT count(*) FROM session_ability_updates")).as("written, not yet committed")
              .isEqualTo(7);
          throw new IllegalStateException("injected crash between the upsert and the watermark");
        }
      });
      assertThatThrownBy(() -> s.runJob(lake, crashing, RunContext.NONE)).hasMessageContaining("injected crash");
      assertThat(s.count("SELECT count(*) FROM session_ability_updates")).isZero();
      assertThat(s.count("SELECT count(*) FROM mirt_ability_history")).isZero();
      assertThat(s.count("SELECT count(*) FROM session_update_watermark")).isZero();
      assertThat(s.query("SELECT user_id, theta FROM mirt_ability ORDER BY 1"))
          .containsExactly(List.of(7L, 0.2), List.of(9L, -0.5));
      assertThat(s.query("SELECT status FROM job_runs")).containsExactly(List.of("failed"));

      // ---- run 2: the rerun, while the endpoint applies student 7's first session ----
      OnlineUpdater endpoint = new OnlineUpdater(UpdateRule.standard());
      RunContext.PublishHooks meanwhile = new RunContext.PublishHooks() {
        @Override
        public void afterStaging() {
          try (Connection c = s.db.connect()) {
            assertThat(endpoint.update(c, 7, 11, params(), SessionTables.loadItemBank(c), Instant.now()))
                .isInstanceOf(OnlineUpdater.Applied.class);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      };
      JobOutcome second = s.runJob(lake, new UpdateAbilitiesJob(noLag), meanwhile);
      assertThat(second.rowsQuarantined()).isEqualTo(2);
      assertThat(s.query("SELECT session_id, applied_by FROM session_ability_updates ORDER BY 1")).containsExactly(
          List.of(11L, "endpoint"), List.of(13L, "batch"), List.of(14L, "batch"), List.of(15L, "batch"),
          List.of(16L, "batch"), List.of(51L, "batch"));

      UpdateRule rule = UpdateRule.standard();
      SessionUpdate eight = rule.apply(null, answers(13, 8, "2026-11-20T11:00:00Z", new long[] {101, 109, 106},
          new boolean[] {true, true, false}, 0), params(), new double[61]);
      SessionUpdate eleven = rule.apply(null, answers(16, 11, "2026-11-20T14:00:00Z", new long[] {101, 102},
          new boolean[] {true, false}, 2), params(), new double[61]);
      List<List<Object>> rows = s.updates();
      assertRow(rows.get(1), 13, 8, "updated", eight.thetaAfter(), eight.seAfter(), 2, 1, 0);
      assertRow(rows.get(2), 14, 9, "covered_by_calibration", -0.5, 0.35, 0, 0, 0);
      assertRow(rows.get(3), 15, 10, "no_usable_answers", 0.0, 1.0, 0, 1, 0);
      assertRow(rows.get(4), 16, 11, "updated", eleven.thetaAfter(), eleven.seAfter(), 2, 0, 2);
      assertThat(s.query("SELECT theta_before FROM session_ability_updates WHERE session_id = 13").get(0).get(0))
          .as("no θ before: population prior").isNull();
      assertThat(s.query("SELECT split_part(reason, '(', 1) FROM quarantine ORDER BY reason"))
          .containsExactly(List.of("bad_response_time"), List.of("duplicate_answer"));
      assertThat(s.query("SELECT safe_result_id, seen_result_id FROM session_update_watermark"))
          .as("nothing safe yet: student 7's session 12 (id 1) waits for the next run").containsExactly(List.of(0L, 8L));
      assertThat(s.query("SELECT status, rows_written FROM job_runs WHERE status = 'succeeded'"))
          .containsExactly(List.of("succeeded", 7L));
      slow.commit();
    }
    s.session(17, 7, "2026-11-21T09:00:00Z", "106:1", "107:1");

    // ---- run 3: student 7 from the endpoint's θ, and the late-committed session 50 ----
    s.runJob(lake, new UpdateAbilitiesJob(noLag), RunContext.NONE);
    assertThat(s.query("SELECT session_id, applied_by FROM session_ability_updates WHERE session_id IN (12, 17, 50)"
        + " ORDER BY 1")).containsExactly(List.of(12L, "batch"), List.of(17L, "batch"), List.of(50L, "batch"));
    assertThat(s.query("SELECT session_id, count(*) FROM session_ability_updates GROUP BY 1 ORDER BY 1"))
        .extracting(r -> r.get(1)).hasSize(9).containsOnly(1L);
    assertThat(s.query("SELECT a.theta_before = b.theta_after, a.se_before = b.se_after FROM session_ability_updates a,"
        + " session_ability_updates b WHERE a.session_id = 12 AND b.session_id = 11")).as("12 continues from 11")
        .containsExactly(List.of(true, true));
    UpdateRule rule = UpdateRule.standard();
    List<SessionUpdate> chain = rule.applyInOrder(new AbilityState(0.2, 0.3, Instant.parse("2026-11-18T00:00:00Z"),
        AbilityState.SOURCE_CALIBRATION, SessionDb.CALIBRATION, 40), List.of(
        answers(11, 7, "2026-11-19T09:00:00Z", new long[] {104, 105}, new boolean[] {false, true}, 0),
        answers(12, 7, "2026-11-20T10:00:00Z", new long[] {101, 102, 103}, new boolean[] {true, true, false}, 0),
        answers(17, 7, "2026-11-21T09:00:00Z", new long[] {106, 107}, new boolean[] {true, true}, 0)), params());
    assertThat(s.query("SELECT theta, theta_se, answers_used, as_of = '2026-11-21T09:00:00Z', source FROM mirt_ability"
        + " WHERE user_id = 7")).containsExactly(List.of(chain.get(2).thetaAfter(), chain.get(2).seAfter(), 47, true,
        "session"));
    assertThat(s.count("SELECT count(*) FROM mirt_ability_history WHERE user_id = 7 AND source = 'session'"))
        .isEqualTo(3);
    assertThat(s.query("SELECT safe_result_id FROM session_update_watermark"))
        .as("with no lag, run 2's sighting (id 8) is safe once run 3 has read below it").containsExactly(List.of(8L));

    // ---- the endpoint asked for a session the batch applied: the stored result, nothing written ----
    try (Connection c = s.db.connect()) {
      long before = s.count("SELECT count(*) FROM mirt_ability_history");
      OnlineUpdater.Reply again = new OnlineUpdater(UpdateRule.standard()).update(c, 8, 13, params(),
          SessionTables.loadItemBank(c), Instant.now());
      assertThat(again).isEqualTo(new OnlineUpdater.Applied(8, 13, (Double) s.updates().get(2).get(3),
          (Double) s.updates().get(2).get(4), 2, 1, 0, "updated", true, 0));
      assertThat(s.count("SELECT count(*) FROM mirt_ability_history")).isEqualTo(before);
    }

    // ---- the endpoint alone, on the same data in another schema: the same θ, session by session ----
    SessionDb e = scenario("upd_life_e");
    e.session(50, 20, "2026-11-20T09:30:00Z", "101:1", "102:1").session(51, 21, "2026-11-20T09:40:00Z", "103:1")
        .session(17, 7, "2026-11-21T09:00:00Z", "106:1", "107:1");
    OnlineUpdater endpoint = new OnlineUpdater(UpdateRule.standard());
    try (Connection c = e.db.connect()) {
      ItemParamsSnapshot p = SessionTables.loadItemParams(c);
      SessionTables.ItemBankSnapshot bank = SessionTables.loadItemBank(c);
      // student 7's session 17 first: the endpoint catches up 11 and 12 in finish order
      for (long[] us : new long[][] {{7, 17}, {8, 13}, {9, 14}, {10, 15}, {11, 16}, {20, 50}, {21, 51}}) {
        endpoint.update(c, us[0], us[1], p, bank, Instant.now());
      }
    }
    String sql = "SELECT session_id, outcome, theta_before, se_before, prior_sd, theta_after, se_after, answers_used,"
        + " skipped, invalid FROM session_ability_updates ORDER BY session_id";
    assertThat(e.query(sql)).isEqualTo(s.query(sql));
    String state = "SELECT user_id, theta, theta_se, answers_used, as_of, source FROM mirt_ability ORDER BY user_id";
    assertThat(e.query(state)).isEqualTo(s.query(state));
  }

  static void assertRow(List<Object> r, long session, long user, String outcome, double theta, double se, int used,
      int skipped, int invalid) {
    assertThat(r.get(0)).isEqualTo(session);
    assertThat(r.get(1)).isEqualTo(user);
    assertThat(r.get(2)).isEqualTo(outcome);
    assertThat((Double) r.get(3)).as("theta_after of %s", session).isCloseTo(theta, within(1e-12));
    assertThat((Double) r.get(4)).as("se_after of %s", session).isCloseTo(se, within(1e-12));
    assertThat(r.subList(5, 9)).as("used, skipped, invalid, applied_by of %s", session)
        .containsExactly(used, skipped, invalid, "batch");
  }

  static long countIn(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
