package io.seedtest.analytics.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The endpoint's metrics and JSON on their libraries, without a server. */
class ServeMetricsTest {
  private final AtomicInteger inUse = new AtomicInteger(3);
  private final ServeMetrics metrics = new ServeMetrics(new ServeMetrics.Gauges(inUse::get, 8, () -> 5, 128, () -> -1));

  @Test
  void theTextFormatKeepsTheNamesDashboardsAndAlertsUseAndAddsTheJvm() {
    metrics.record(200, 3_000_000);
    metrics.record(503, 40_000_000);
    metrics.connectionClosed("request_timeout");
    inUse.set(6);
    String text = metrics.render();
    assertThat(text).contains("seedtest_irt_update_requests_total{code=\"200\"} 1",
        "seedtest_irt_update_requests_total{code=\"503\"} 1",
        "# TYPE seedtest_irt_update_request_seconds histogram",
        "seedtest_irt_update_request_seconds_bucket{le=\"0.005\"} 1",
        "seedtest_irt_update_request_seconds_bucket{le=\"0.05\"} 2",
        "seedtest_irt_update_request_seconds_bucket{le=\"+Inf\"} 2",
        "seedtest_irt_update_request_seconds_count 2",
        "seedtest_irt_http_connections_closed_total{reason=\"request_timeout\"} 1",
        "seedtest_irt_db_connections{state=\"in_use\"} 6", "seedtest_irt_db_connections{state=\"max\"} 8",
        "seedtest_irt_update_queue{state=\"waiting\"} 5", "seedtest_irt_update_queue{state=\"max\"} 128",
        "seedtest_irt_calibrated_items -1",
        "jvm_memory_used_bytes{area=\"heap\"}", "jvm_threads_current");
    assertThat(ServeMetrics.contentType()).startsWith("text/plain; version=0.0.4");
  }

  @Test
  void theSummaryCountsOnlyTheRequestsSinceTheLastOne() {
    for (int i = 0; i < 98; i++) {
      metrics.record(200, 2_000_000); // 2 ms: the 2.5 ms bucket
    }
    metrics.record(404, 2_000_000);
    metrics.record(503, 300_000_000); // 300 ms: the 0.5 s bucket
    ServeMetrics.Summary first = metrics.sinceLastSummary();
    assertThat(first.count()).isEqualTo(100);
    assertThat(first.byStatus()).isEqualTo("2xx 98, 4xx 1, 5xx 1");
    assertThat(first.p50Millis()).isEqualTo(2.5);
    assertThat(first.p99Millis()).isEqualTo(2.5);
    metrics.record(200, 7_000_000_000L); // beyond the last bound
    ServeMetrics.Summary second = metrics.sinceLastSummary();
    assertThat(second.count()).isEqualTo(1);
    assertThat(second.byStatus()).isEqualTo("2xx 1");
    assertThat(second.p50Millis()).isInfinite();
    assertThat(metrics.sinceLastSummary().count()).isZero();
  }

  @Test
  void jsonIsFlatAndANonFiniteNumberIsNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user_id", 9_223_372_036_854_775_807L);
    m.put("theta", 0.25);
    m.put("se", Double.NaN);
    m.put("outcome", "updated \"q\" <b>");
    m.put("already_applied", false);
    m.put("calibrated_items", null);
    assertThat(IrtUpdateServer.json(m)).isEqualTo("{\"user_id\":9223372036854775807,\"theta\":0.25,\"se\":null,"
        + "\"outcome\":\"updated \\\"q\\\" <b>\",\"already_applied\":false,\"calibrated_items\":null}");
  }

  @Test
  void theAuthenticatorWantsExactlyTheBearerToken() {
    BearerAuthenticator a = BearerAuthenticator.forToken("s3cret");
    assertThat(a.authenticate("Bearer s3cret")).isTrue();
    assertThat(a.authenticate("bearer  s3cret ")).isTrue();
    assertThat(a.authenticate("Bearer s3cre")).isFalse();
    assertThat(a.authenticate("Basic s3cret")).isFalse();
    assertThat(a.authenticate(null)).isFalse();
    assertThat(BearerAuthenticator.forToken(null)).isNull();
  }
}
