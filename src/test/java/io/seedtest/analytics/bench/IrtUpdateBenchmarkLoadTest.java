package io.seedtest.analytics.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The endpoint benchmark's data set goes in through PgCopy: every table, every column, valid JSON. */
@Tag("postgres")
class IrtUpdateBenchmarkLoadTest {
  @Test
  void loadsItemsAbilitiesAndSessionsByCopy() throws Exception {
    DatabaseUrl db = TestDatabase.fresh("benchload");
    Instant now = Instant.parse("2026-11-20T12:00:00Z");
    IrtUpdateBenchmark.load(db, 50, 40, 7L, now, 1_000L);

    assertThat(TestDatabase.count(db, "SELECT count(*) FROM item_bank")).isEqualTo(IrtUpdateBenchmark.ITEMS);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM mirt_item_params WHERE calibrated AND a > 0 AND flag IS NULL"))
        .isEqualTo(IrtUpdateBenchmark.CALIBRATED);
    assertThat(TestDatabase.count(db,
        "SELECT count(*) FROM mirt_item_params WHERE NOT calibrated AND a IS NULL AND flag = 'too_few_answers'"))
        .isEqualTo(IrtUpdateBenchmark.ITEMS - IrtUpdateBenchmark.CALIBRATED);
    assertThat(TestDatabase.query(db, "SELECT min(user_id), max(user_id), count(*), min(answers_used),"
        + " bool_and(theta_se BETWEEN 0.2 AND 0.4), bool_and(as_of < '" + now + "') FROM mirt_ability"))
        .containsExactly(List.of(1_001L, 1_050L, 50L, 60, true, true));
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM exam_results WHERE session_id BETWEEN 1001 AND 1040"
        + " AND user_id BETWEEN 1001 AND 1050 AND finished_at > started_at AND jsonb_array_length(responses) BETWEEN 5 AND 15"))
        .isEqualTo(40);
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM attempt WHERE problem IS NOT NULL")).isZero();
    assertThat(TestDatabase.count(db, "SELECT count(*) FROM attempt"))
        .isEqualTo(TestDatabase.count(db, "SELECT sum(jsonb_array_length(responses)) FROM exam_results"));
  }
}
