package io.seedtest.analytics.serve;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The endpoint's counters for Prometheus ({@code GET /metrics}): requests by status code, a latency
 * histogram, and the gauges the server passes in when rendering.
 */
final class EndpointMetrics {
  private static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  private final ConcurrentHashMap<Integer, LongAdder> byCode = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
  private final LongAdder sumMicros = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> closedByReason = new ConcurrentHashMap<>();

  EndpointMetrics() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void record(int status, long micros) {
    byCode.computeIfAbsent(status, k -> new LongAdder()).increment();
    double seconds = micros / 1e6;
    int i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) {
      i++;
    }
    buckets[i].increment();
    sumMicros.add(micros);
  }

  /** A connection the server closed: {@code request_timeout} (a request too slow to arrive) or {@code idle}. */
  void connectionClosed(String reason) {
    closedByReason.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  String render(int connectionsInUse, int poolSize, int queued, int queueCapacity, int calibratedItems) {
    StringBuilder b = new StringBuilder(1024);
    b.append("# HELP seedtest_irt_update_requests_total Requests to POST ").append(IrtUpdateServer.PATH).append(" by status code.\n")
        .append("# TYPE seedtest_irt_update_requests_total counter\n");
    new TreeMap<>(byCode).forEach((code, n) -> b.append("seedtest_irt_update_requests_total{code=\"")
        .append(code).append("\"} ").append(n.sum()).append('\n'));
    b.append("# HELP seedtest_irt_update_request_seconds Latency of update requests (server side).\n")
        .append("# TYPE seedtest_irt_update_request_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < buckets.length; i++) {
      cumulative += buckets[i].sum();
      b.append("seedtest_irt_update_request_seconds_bucket{le=\"")
          .append(i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf").append("\"} ").append(cumulative)
          .append('\n');
    }
    b.append("seedtest_irt_update_request_seconds_sum ").append(sumMicros.sum() / 1e6).append('\n')
        .append("seedtest_irt_update_request_seconds_count ").append(cumulative).append('\n');
    b.append("# HELP seedtest_irt_db_connections Database connections in use and the pool's size.\n")
        .append("# TYPE seedtest_irt_db_connections gauge\n")
        .append("seedtest_irt_db_connections{state=\"in_use\"} ").append(connectionsInUse).append('\n')
        .append("seedtest_irt_db_connections{state=\"max\"} ").append(poolSize).append('\n');
    b.append("# HELP seedtest_irt_update_queue Update requests waiting for a request thread, and the most that may.\n")
        .append("# TYPE seedtest_irt_update_queue gauge\n")
        .append("seedtest_irt_update_queue{state=\"waiting\"} ").append(queued).append('\n')
        .append("seedtest_irt_update_queue{state=\"max\"} ").append(queueCapacity).append('\n');
    b.append("# HELP seedtest_irt_http_connections_closed_total Connections the server closed, by reason.\n")
        .append("# TYPE seedtest_irt_http_connections_closed_total counter\n");
    new TreeMap<>(closedByReason).forEach((reason, n) -> b.append("seedtest_irt_http_connections_closed_total{reason=\"")
        .append(reason).append("\"} ").append(n.sum()).append('\n'));
    b.append("# HELP seedtest_irt_calibrated_items Calibrated items loaded (-1: not loaded).\n")
        .append("# TYPE seedtest_irt_calibrated_items gauge\n")
        .append("seedtest_irt_calibrated_items ").append(calibratedItems).append('\n');
    return b.toString();
  }
}
