package io.seedtest.analytics.attempts;

import static io.seedtest.analytics.testing.DatasetAssert.assertRows;
import static io.seedtest.analytics.testing.DatasetAssert.cols;
import static io.seedtest.analytics.testing.DatasetAssert.row;

import io.seedtest.analytics.testing.AttemptRows;
import io.seedtest.analytics.testing.SparkTestSession;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class AttemptValidationTest {
  private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");
  private static final String FIN = "2026-11-20T12:00:00Z";

  private static Dataset<Row> bank() {
    StructType s = new StructType().add("item_id", DataTypes.LongType).add("topic", DataTypes.StringType);
    return SparkTestSession.get().createDataFrame(List.of(
        RowFactory.create(100L, "algebra"), RowFactory.create(101L, "algebra"), RowFactory.create(102L, "geometry")), s);
  }

  @Test
  void eachKindOfBadRowGetsItsReasonAndGoodRowsPass() {
    Dataset<Row> attempts = new AttemptRows()
        .raw(1L, 1L, 7L, 1, 100L, "algebra", true, 900.0, 0, "2026-11-20T11:50:00Z", FIN)      // good
        .raw(1L, 1L, 7L, 2, 102L, null, false, 1200.0, 1, "2026-11-20T11:51:00Z", FIN)        // good, topic from bank
        .raw(1L, 1L, null, 3, 101L, "algebra", true, 900.0, 0, "2026-11-20T11:52:00Z", FIN)   // null_id
        .raw(1L, 1L, 7L, 4, 101L, "algebra", null, 900.0, 0, "2026-11-20T11:53:00Z", FIN)     // missing_value
        .raw(1L, 1L, 7L, 5, 101L, "algebra", true, -5.0, 0, "2026-11-20T11:54:00Z", FIN)      // bad_response_time
        .raw(1L, 1L, 7L, 6, 101L, "algebra", true, 9e9, 0, "2026-11-20T11:55:00Z", FIN)       // bad_response_time
        .raw(1L, 1L, 7L, 7, 101L, "algebra", true, 900.0, -1, "2026-11-20T11:56:00Z", FIN)    // bad_hints
        .raw(1L, 1L, 7L, 8, 101L, "algebra", true, 900.0, 0, "2026-11-20T13:00:00Z", FIN)     // future (after finish)
        .raw(2L, 2L, 7L, 1, 101L, "algebra", true, 900.0, 0, "2027-01-01T00:00:00Z", "2027-01-01T00:01:00Z") // future (after now)
        .raw(1L, 1L, 7L, 9, 101L, "algebra", true, 900.0, 0, "2026-11-18T08:00:00Z", FIN)     // session_too_long
        .raw(1L, 1L, 7L, 10, 999L, "algebra", true, 900.0, 0, "2026-11-20T11:57:00Z", FIN)    // unknown_item
        .raw(1L, 1L, 7L, 11, 100L, "algebra", false, 900.0, 0, "2026-11-20T11:58:00Z", FIN)   // duplicate of seq 1
        .raw(1L, 1L, 7L, 12, 101L, "algebra", false, 900.0, 0, "2026-11-20T11:59:00Z", FIN)   // good: 101's earlier rows were bad
        .raw(1L, 1L, 7L, 13, 102L, "x".repeat(201), true, 900.0, 0, "2026-11-20T11:59:30Z", FIN) // topic_too_long
        .toDataset();

    AttemptValidation.Split split = AttemptValidation.split(attempts, bank(), true, NOW);

    assertRows("valid rows", split.valid(), cols("seq", "item_id", "topic", "cast(event_day as string)"),
        row(1, 100L, "algebra", "2026-11-20"), row(2, 102L, "geometry", "2026-11-20"),
        row(12, 101L, "algebra", "2026-11-20"));
    assertRows("quarantined rows", split.quarantined(), cols("source_key", "reason", "cast(event_day as string)"),
        row("1:3", "null_id(user_id: missing)", "2026-11-20"),
        row("1:4", "missing_value(correct: missing)", "2026-11-20"),
        row("1:5", "bad_response_time(response_time_ms: negative)", "2026-11-20"),
        row("1:6", "bad_response_time(response_time_ms: above 2 hours)", "2026-11-20"),
        row("1:7", "bad_hints(hints_used: negative)", "2026-11-20"),
        row("1:8", "future_timestamp(answered_at: after its session finished)", "2026-11-20"),
        row("2:1", "future_timestamp(answered_at: after the run started)", "2027-01-01"),
        row("1:9", "session_too_long(answered_at: over 24 hours before its session finished)", "2026-11-20"),
        row("1:10", "unknown_item(item_id: not in item_bank)", "2026-11-20"),
        row("1:11", "duplicate_answer(item_id: answered again in the session)", "2026-11-20"),
        row("1:13", "topic_too_long(topic: longer than 200 characters)", "2026-11-20"));
  }

  @Test
  void theClockRulesHoldToTheSecondAtTheirBoundaries() {
    // finished 12:00:00: up to 5 minutes of device clock skew after it is fine, and answers up to
    // 24 hours before it; one second further is a future timestamp / a session too long
    Dataset<Row> attempts = new AttemptRows()
        .raw(1L, 1L, 7L, 1, 100L, "algebra", true, 900.0, 0, "2026-11-20T12:05:00Z", FIN)
        .raw(1L, 1L, 7L, 2, 101L, "algebra", true, 900.0, 0, "2026-11-20T12:05:01Z", FIN)
        .raw(1L, 1L, 7L, 3, 102L, "geometry", true, 900.0, 0, "2026-11-19T12:00:00Z", FIN)
        .raw(1L, 1L, 7L, 4, 100L, "algebra", true, 900.0, 0, "2026-11-19T11:59:59Z", FIN)
        .toDataset();

    AttemptValidation.Split split = AttemptValidation.split(attempts, bank(), true, NOW);

    assertRows("valid", split.valid(), cols("seq", "cast(event_day as string)"),
        row(1, "2026-11-20"), row(3, "2026-11-19"));
    assertRows("quarantined", split.quarantined(), cols("source_key", "reason", "cast(event_day as string)"),
        row("1:2", "future_timestamp(answered_at: after its session finished)", "2026-11-20"),
        row("1:4", "session_too_long(answered_at: over 24 hours before its session finished)", "2026-11-20"));
  }

  @Test
  void withoutItemBankTheUnknownItemRuleIsOffButTopicIsRequired() {
    Dataset<Row> attempts = new AttemptRows()
        .raw(1L, 1L, 7L, 1, 999L, "algebra", true, 900.0, 0, "2026-11-20T11:50:00Z", FIN)
        .raw(1L, 1L, 7L, 2, 998L, null, true, 900.0, 0, "2026-11-20T11:51:00Z", FIN)
        .toDataset();

    AttemptValidation.Split split = AttemptValidation.split(attempts, bank().limit(0), false, NOW);

    assertRows("valid", split.valid(), cols("seq"), row(1));
    assertRows("quarantined", split.quarantined(), cols("source_key", "reason"), row("1:2", "missing_value(topic: missing and no item bank)"));
  }
}
