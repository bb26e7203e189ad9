package io.seedtest.analytics.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The exporter's queries (k8s/job-runs-exporter.yaml) run against a real, migrated job_runs: each
 * returns the columns its metric declares (labels and value), with the values the alerts expect.
 */
@Tag("postgres")
class JobRunsExporterQueriesTest {
  static DatabaseUrl db;

  @BeforeAll
  static void ledger() {
    db = TestDatabase.fresh("exporter");
    TestDatabase.execute(db, """
        INSERT INTO job_runs (run_id, job, args, started_at, finished_at, status, rows_read, rows_written,
                              rows_quarantined, message) VALUES
          (gen_random_uuid(), 'compute-daily-kpis', '', now() - interval '3 days 1 minute', now() - interval '3 days',
           'succeeded', 1000, 900, 10, 'ok'),
          (gen_random_uuid(), 'compute-daily-kpis', '', now() - interval '2 hours 1 minute', now() - interval '2 hours',
           'succeeded', 100, 90, 1, 'ok'),
          (gen_random_uuid(), 'compute-daily-kpis', '', now() - interval '1 hour 1 minute', now() - interval '1 hour',
           'failed', 100, 0, 10, 'boom'),
          (gen_random_uuid(), 'detect-inactivity', '', now() - interval '20 minutes', now() - interval '19 minutes',
           'succeeded', 50, 5, 0, 'ok'),
          (gen_random_uuid(), 'detect-inactivity', '', now() - interval '1 minute', NULL, 'running', 0, 0, 0, NULL)
        """);
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(db);
  }

  /** metric name -> rows as {column -> value}, from the collector's own queries. */
  static Map<String, List<Map<String, Object>>> scrape() throws SQLException {
    JsonNode map = KubernetesManifestsTest.doc("k8s/job-runs-exporter.yaml", "ConfigMap");
    JsonNode collector = SparkOperatorManifestsTest.single(map.path("data").path("job_runs.collector.yml").asText());
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      for (JsonNode metric : collector.path("metrics")) {
        List<String> columns = new ArrayList<>();
        metric.path("key_labels").forEach(l -> columns.add(l.asText()));
        metric.path("values").forEach(v -> columns.add(v.asText()));
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(metric.path("query").asText())) {
          while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String col : columns) {
              row.put(col, rs.getObject(col));
            }
            rows.add(row);
          }
        }
        out.put(metric.path("metric_name").asText(), rows);
      }
    }
    return out;
  }

  static Map<String, Object> row(List<Map<String, Object>> rows, String job, String period) {
    return rows.stream().filter(r -> r.get("job_name").equals(job) && (period == null || period.equals(r.get("period"))))
        .findFirst().orElseThrow(() -> new AssertionError("no row for " + job + " " + period + " in " + rows));
  }

  @Test
  void theQueriesGiveTheFiguresTheAlertsRead() throws SQLException {
    Map<String, List<Map<String, Object>>> m = scrape();

    assertThat(m).containsOnlyKeys("seedtest_job_last_success_timestamp_seconds", "seedtest_job_last_run_failed",
        "seedtest_job_quarantine_share");
    List<Map<String, Object>> failed = m.get("seedtest_job_last_run_failed");
    assertThat(((Number) row(failed, "compute-daily-kpis", null).get("failed")).intValue()).isEqualTo(1);
    assertThat(((Number) row(failed, "detect-inactivity", null).get("failed")).intValue()).isZero();

    double lastSuccess = ((Number) row(m.get("seedtest_job_last_success_timestamp_seconds"), "compute-daily-kpis",
        null).get("finished")).doubleValue();
    assertThat(System.currentTimeMillis() / 1000.0 - lastSuccess).isCloseTo(2 * 3600, within(120.0));

    List<Map<String, Object>> share = m.get("seedtest_job_quarantine_share");
    assertThat(((Number) row(share, "compute-daily-kpis", "1d").get("share")).doubleValue()).isCloseTo(11 / 200.0,
        within(1e-12));
    assertThat(((Number) row(share, "compute-daily-kpis", "7d_before").get("share")).doubleValue()).isCloseTo(0.01,
        within(1e-12));
  }
}
