package io.seedtest.analytics.ability;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.attempts.AttemptValidation;
import io.seedtest.analytics.attempts.QuarantineReason;
import io.seedtest.analytics.io.Attempts;
import io.seedtest.analytics.testing.AttemptRows;
import io.seedtest.analytics.testing.SparkTestSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's plain-Java answer checks ({@link AnswerChecks}) and the batch's Spark validation
 * ({@link AttemptValidation#split}) give the same verdicts on the same answers, rule by rule, with
 * and without an item bank: the batch and the endpoint use the same answers.
 */
@Tag("spark")
class AnswerChecksParityTest {
  static final String F = "2026-11-20T10:00:00Z";
  static final Instant NOW = Instant.parse("2026-11-20T10:01:00Z");

  static Dataset<Row> answers() {
    return new AttemptRows()
        // session 100 of user 1: one answer per rule
        .raw(1L, 100L, 1L, 1, 101L, "algebra", true, 1000.0, 0, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 2, null, "algebra", true, 1000.0, 0, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 3, 103L, "algebra", null, 1000.0, 0, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 4, 104L, "algebra", true, -1.0, 0, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 5, 105L, "algebra", true, Double.NaN, 0, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 6, 106L, "algebra", true, 8.0e6, 0, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 7, 107L, "algebra", true, 1000.0, 21, "2026-11-20T09:50:00Z", F)
        .raw(1L, 100L, 1L, 8, 108L, "algebra", true, 1000.0, 0, "2026-11-20T10:06:00Z", F)
        .raw(1L, 100L, 1L, 9, 109L, "algebra", true, 1000.0, 0, "2026-11-19T08:59:00Z", F)
        .raw(1L, 100L, 1L, 10, 999L, "algebra", true, 1000.0, 0, "2026-11-20T09:51:00Z", F)
        .raw(1L, 100L, 1L, 11, 101L, "algebra", false, 1000.0, 0, "2026-11-20T09:52:00Z", F)
        .raw(1L, 100L, 1L, 12, 102L, null, false, 1000.0, 0, "2026-11-20T09:53:00Z", F)
        .raw(1L, 100L, 1L, 13, 110L, "algebra", true, 1000.0, 0, "2026-11-20T10:02:00Z", F)
        .raw(1L, 100L, 1L, 14, 111L, "algebra", true, 1000.0, null, "2026-11-20T09:54:00Z", F)
        .raw(1L, 100L, 1L, 15, 112L, "algebra", true, 1000.0, 0, null, F)
        .raw(1L, 100L, 1L, 16, 113L, "a".repeat(AttemptValidation.MAX_TOPIC_CHARS + 1), true, 1000.0, 0,
            "2026-11-20T09:55:00Z", F)
        // session 200 has no user
        .raw(2L, 200L, null, 1, 101L, "algebra", true, 1000.0, 0, "2026-11-20T09:50:00Z", F)
        // session 300: the earlier answer to item 103 sits at the later position
        .raw(3L, 300L, 3L, 1, 103L, "algebra", true, 1000.0, 0, "2026-11-20T09:58:00Z", F)
        .raw(3L, 300L, 3L, 2, 103L, "algebra", false, 1000.0, 0, "2026-11-20T09:40:00Z", F)
        .raw(3L, 300L, 3L, 3, 104L, "algebra", false, 1000.0, 2, "2026-11-20T09:41:00Z", F)
        .toDataset();
  }

  static final StructType BANK = new StructType().add("item_id", DataTypes.LongType, false)
      .add("topic", DataTypes.StringType, false);

  @Test
  void bothValidatorsAgreeWithAnItemBank() {
    Map<Long, String> bank = new HashMap<>();
    for (long id = 101; id <= 113; id++) {
      bank.put(id, "algebra");
    }
    compare(bank);
  }

  @Test
  void bothValidatorsAgreeWithoutAnItemBank() {
    compare(Map.of());
  }

  private static void compare(Map<Long, String> bankMap) {
    List<Row> bankRows = new ArrayList<>();
    bankMap.forEach((k, v) -> bankRows.add(RowFactory.create(k, v)));
    Dataset<Row> bank = SparkTestSession.get().createDataFrame(bankRows, BANK);
    Dataset<Row> raw = answers();
    AttemptValidation.Split split = AttemptValidation.split(raw, bank, !bankMap.isEmpty(), NOW);

    TreeSet<String> sparkValid = new TreeSet<>();
    for (Row r : split.valid().select(Attempts.RESULT_ID, Attempts.SEQ).collectAsList()) {
      sparkValid.add(r.getLong(0) + ":" + r.getInt(1));
    }
    Map<String, Integer> sparkReasons = new TreeMap<>();
    for (Row r : split.quarantined().select(AttemptValidation.REASON, "source_key").collectAsList()) {
      sparkReasons.merge(r.getString(1).split(":")[0] + "/" + QuarantineReason.codeOf(r.getString(0)), 1,
          Integer::sum);
    }

    TreeSet<String> javaValid = new TreeSet<>();
    Map<String, Integer> javaReasons = new TreeMap<>();
    Map<Long, List<Row>> bySession = new TreeMap<>();
    for (Row r : raw.collectAsList()) {
      bySession.computeIfAbsent(r.getLong(0), k -> new ArrayList<>()).add(r);
    }
    SessionTables.ItemBankSnapshot javaBank = new SessionTables.ItemBankSnapshot(bankMap);
    for (Map.Entry<Long, List<Row>> e : bySession.entrySet()) {
      Row first = e.getValue().get(0);
      List<AnswerChecks.RawAnswer> answers = new ArrayList<>();
      for (Row r : e.getValue()) {
        answers.add(new AnswerChecks.RawAnswer(r.getLong(0), r.getInt(3), (Long) r.get(4), (String) r.get(5),
            (Boolean) r.get(6), (Double) r.get(7), (Integer) r.get(8),
            r.isNullAt(9) ? null : ((Timestamp) r.get(9)).toInstant()));
      }
      AnswerChecks.Result result = AnswerChecks.check((Long) first.get(2), (Long) first.get(1),
          ((Timestamp) first.get(10)).toInstant(), answers, javaBank, NOW);
      result.valid().forEach(a -> javaValid.add(a.resultId() + ":" + a.seq()));
      for (Map.Entry<QuarantineReason, Integer> reason : result.reasons().entrySet()) {
        javaReasons.merge(e.getKey() + "/" + reason.getKey().code(), reason.getValue(), Integer::sum);
      }
    }
    assertThat(javaValid).as("valid answers").isEqualTo(sparkValid);
    assertThat(javaReasons).as("reasons per session").isEqualTo(sparkReasons);
    assertThat(sparkReasons.keySet()).as("every rule is exercised").hasSizeGreaterThanOrEqualTo(bankMap.isEmpty() ? 9 : 10);
  }
}
