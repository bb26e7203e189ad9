package io.seedtest.analytics.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.bench.PoisonAnswers;
import io.seedtest.analytics.bench.PoisonSessions;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.io.JdbcAttemptSource;
import io.seedtest.analytics.testing.SparkTestSession;
import io.seedtest.analytics.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Generated input against the real {@code attempt} view: thousands of random and adversarial JSON
 * values per field (seeded, so a failure replays), each the only fault of its answer. The view
 * must never raise; a value it converts must be the value that was written (nothing is silently
 * turned into something else); a value it cannot convert must carry a problem naming its field,
 * and validation must quarantine that answer with a reason naming the field and rule.
 */
@Tag("spark")
@Tag("postgres")
class AttemptViewPoisonTest {
  static final long SEED = 20261202L;
  static final int PER_FIELD = 1500;
  static final Instant FINISHED = Instant.parse("2026-11-20T12:00:00Z");
  static final Instant ANSWERED = Instant.parse("2026-11-20T11:00:00Z");

  static DatabaseUrl db;
  /** session id → (field under test, JSON value written) */
  static final Map<Long, String[]> written = new HashMap<>();

  @BeforeAll
  static void writeGeneratedSessions() {
    db = TestDatabase.fresh("poison_view");
    Random r = new Random(SEED);
    List<PoisonSessions.Session> sessions = new ArrayList<>();
    long id = 1;
    for (String field : PoisonAnswers.FIELDS) {
      int n = field.equals("responses") ? PER_FIELD / 5 : PER_FIELD;
      for (int i = 0; i < n; i++, id++) {
        // one in eight is a value of the right kind, so both sides of every conversion are exercised
        String json = r.nextInt(8) == 0 ? plausible(field, r) : PoisonAnswers.randomJson(r);
        written.put(id, new String[] {field, json});
        sessions.add(new PoisonSessions.Session(id, 1 + id % 97, FINISHED,
            PoisonAnswers.session(field, json, 1000 + id, "algebra", ANSWERED)));
      }
    }
    PoisonSessions.insert(db, sessions);
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(db);
  }

  @Test
  void theViewNeverRaisesAndConvertsOnlyWhatWasWritten() throws SQLException {
    Map<String, int[]> convertedAndNot = new TreeMap<>();
    int rows = 0;
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT session_id, seq, item_id, topic, correct, response_time_ms,"
             + " hints_used, answered_at, problem FROM attempt")) {
      while (rs.next()) {
        rows++;
        String[] w = written.get(rs.getLong(1));
        String field = w[0];
        String problem = rs.getString("problem");
        int[] counts = convertedAndNot.computeIfAbsent(field, f -> new int[2]);
        if (field.equals("responses")) {
          counts[problem == null ? 0 : 1]++;
          continue;
        }
        Object value = rs.getObject(field);
        if (problem != null) {
          assertThat(problem).as("%s = %s", field, abbreviate(w[1])).startsWith(field + ": ");
          assertThat(value).as("%s = %s is unreadable, so NULL", field, abbreviate(w[1])).isNull();
          counts[1]++;
        } else {
          assertFaithful(field, w[1], value);
          counts[0]++;
        }
      }
    }
    assertThat(rows).as("one row per generated answer at least (an empty array has none)")
        .isGreaterThanOrEqualTo(written.size() - (int) written.values().stream().filter(w -> w[1].equals("[]")).count());
    for (String field : PoisonAnswers.FIELDS) {
      int[] counts = convertedAndNot.get(field);
      assertThat(counts[1]).as("%s: values the view refused", field).isGreaterThan(100);
      if (!field.equals("responses")) {
        assertThat(counts[0]).as("%s: values the view converted", field).isGreaterThan(100);
      }
    }
  }

  @Test
  void everyAnswerTheViewCouldNotReadIsQuarantinedWithFieldAndRule() throws SQLException {
    Map<String, String> problems = new HashMap<>();
    try (Connection c = db.connect(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT result_id || ':' || seq, problem FROM attempt WHERE problem IS NOT NULL")) {
      while (rs.next()) {
        problems.put(rs.getString(1), rs.getString(2));
      }
    }
    var spark = SparkTestSession.get();
    Dataset<Row> attempts = new JdbcAttemptSource(db, 2).finishedBetween(spark, FINISHED.minusSeconds(86_400),
        FINISHED.plusSeconds(86_400));
    AttemptValidation.Split split = AttemptValidation.split(attempts, spark.emptyDataFrame()
        .selectExpr("CAST(NULL AS BIGINT) AS item_id", "CAST(NULL AS STRING) AS topic").limit(0), false,
        FINISHED.plusSeconds(3600));
    Map<String, String> reasons = new HashMap<>();
    for (Row q : split.quarantined().select(AttemptValidation.SOURCE_KEY, AttemptValidation.REASON).collectAsList()) {
      reasons.put(q.getString(0), q.getString(1));
    }
    split.verdicts().unpersist();

    assertThat(problems).hasSizeGreaterThan(3000);
    problems.forEach((key, problem) -> assertThat(reasons.get(key)).as("answer %s (%s)", key, problem)
        .isNotNull().endsWith("(" + problem + ")"));
    assertThat(reasons.values()).as("every reason names code, field and rule")
        .allMatch(reason -> reason.matches("[a-z_]+\\([a-z_]+: [^()]+\\)"));
  }

  /** A value of the field's kind, near and beyond its limits. */
  private static String plausible(String field, Random r) {
    return switch (field) {
      case "item_id" -> Long.toString(r.nextBoolean() ? r.nextLong() : r.nextInt(100_000));
      case "topic" -> "\"topic " + r.nextInt(1000) + "\"";
      case "correct" -> Boolean.toString(r.nextBoolean());
      case "response_time_ms" -> r.nextBoolean() ? Integer.toString(r.nextInt(10_000_000)) : Double.toString(r.nextDouble() * 1e7);
      case "hints_used" -> Integer.toString(r.nextInt(40) - 5);
      case "answered_at" -> "\"" + Instant.ofEpochSecond(1_700_000_000L + r.nextInt(200_000_000))
          .atOffset(java.time.ZoneOffset.ofTotalSeconds(60 * (r.nextInt(2 * 15 * 60) - 15 * 60))) + "\"";
      default -> "[" + PoisonAnswers.answer("none", null, r.nextInt(100), "algebra", true, ANSWERED) + "]";
    };
  }

  /** A converted value must be exactly what the JSON said. */
  private static void assertFaithful(String field, String json, Object value) {
    String text = json.startsWith("\"") ? jsonText(json) : json;
    String as = field + " = " + abbreviate(json);
    switch (field) {
      case "item_id", "hints_used" -> assertThat(new BigDecimal(text.trim()).compareTo(new BigDecimal(value.toString())))
          .as(as).isZero();
      case "response_time_ms" -> assertThat((Double) value).as(as).isEqualTo(new BigDecimal(text.trim()).doubleValue());
      case "correct" -> assertThat(value.toString()).as(as).isEqualTo(json);
      case "topic" -> {
        if (value == null) {
          assertThat(json).as("%s: only an empty or null topic counts as absent (the bank may fill it)", as)
              .isIn("null", "\"\"");
        } else {
          assertThat(text).as(as).startsWith((String) value);
        }
      }
      case "answered_at" -> {
        Instant got = ((java.sql.Timestamp) value).toInstant();
        assertThat(got).as(as).isBetween(Instant.parse("0999-12-31T00:00:00Z"), Instant.parse("3000-01-02T00:00:00Z"));
        try {
          Instant expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
          assertThat(Math.abs(got.toEpochMilli() - expected.toEpochMilli())).as(as).isLessThanOrEqualTo(1);
        } catch (DateTimeParseException notStrictIso) {
          // a form PostgreSQL reads and java.time does not (e.g. +0530): the bounds above still hold
        }
      }
      default -> throw new IllegalArgumentException(field);
    }
  }

  private static String jsonText(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).textValue();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "… (" + s.length() + " chars)";
  }
}
