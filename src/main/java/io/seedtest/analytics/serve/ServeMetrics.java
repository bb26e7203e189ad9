package io.seedtest.analytics.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The endpoint's Prometheus metrics on client_java, in a registry of the server's own: requests by
 * status code, the latency histogram, connections the server cut, the pool, the queue and the item
 * parameters as gauges read when scraped, and the JVM's metrics (memory, GC, threads, CPU). The
 * names and labels are the ones the PodMonitor, the alerts and docs/irt-online.md know.
 *
 * <p>The once-a-minute summary line is computed from the same counters (differences of two
 * snapshots), so a request is recorded once; client_java's snapshots are consistent with request
 * threads still writing, which a swapped-out histogram was not.
 */
final class ServeMetrics {
  /** The latency histogram's bounds in seconds, unchanged so that dashboards keep their buckets. */
  private static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram latency;
  private final Counter closed;
  private Window last = new Window(System.nanoTime(), Map.of(), new long[BOUNDS.length + 1]);

  /** The gauges read at each scrape. */
  record Gauges(IntSupplier connectionsInUse, int poolSize, IntSupplier queued, int queueCapacity,
      IntSupplier calibratedItems) {}

  ServeMetrics(Gauges g) {
    requests = Counter.builder().name("seedtest_irt_update_requests_total")
        .help("Requests to POST " + IrtUpdateServer.PATH + " by status code.").labelNames("code").register(registry);
    latency = Histogram.builder().name("seedtest_irt_update_request_seconds")
        .help("Latency of update requests (server side).").classicOnly().classicUpperBounds(BOUNDS).withoutExemplars()
        .register(registry);
    closed = Counter.builder().name("seedtest_irt_http_connections_closed_total")
        .help("Connections the server closed, by reason.").labelNames("reason").register(registry);
    GaugeWithCallback.builder().name("seedtest_irt_db_connections")
        .help("Database connections in use and the pool's size.").labelNames("state")
        .callback(cb -> {
          cb.call(g.connectionsInUse().getAsInt(), "in_use");
          cb.call(g.poolSize(), "max");
        }).register(registry);
    GaugeWithCallback.builder().name("seedtest_irt_update_queue")
        .help("Update requests waiting for a request thread, and the most that may.").labelNames("state")
        .callback(cb -> {
          cb.call(g.queued().getAsInt(), "waiting");
          cb.call(g.queueCapacity(), "max");
        }).register(registry);
    GaugeWithCallback.builder().name("seedtest_irt_calibrated_items")
        .help("Calibrated items loaded (-1: not loaded).")
        .callback(cb -> cb.call(g.calibratedItems().getAsInt())).register(registry);
    JvmMetrics.builder().register(registry);
  }

  void record(int status, long nanos) {
    requests.labelValues(Integer.toString(status)).inc();
    latency.observe(nanos / 1e9);
  }

  /** A connection the server closed: {@code request_timeout}, {@code response_timeout} or {@code idle}. */
  void connectionClosed(String reason) {
    closed.labelValues(reason).inc();
  }

  /** Everything in the Prometheus text format (0.0.4). */
  String render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** The counters at one moment: requests by status code and latency per bucket (not cumulative). */
  private record Window(long nanos, Map<Integer, Long> byCode, long[] buckets) {}

  /** What the requests since the last call looked like. */
  record Summary(long count, long seconds, String byStatus, double p50Millis, double p99Millis) {}

  /** The requests since the previous call (for the summary line); only the background thread and close call it. */
  synchronized Summary sinceLastSummary() {
    Window now = snapshot();
    long count = 0;
    long[] delta = new long[now.buckets().length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = now.buckets()[i] - last.buckets()[i];
      count += delta[i];
    }
    Map<Integer, Long> byClass = new TreeMap<>();
    now.byCode().forEach((code, n) -> byClass.merge(code / 100, n - last.byCode().getOrDefault(code, 0L), Long::sum));
    StringBuilder s = new StringBuilder();
    byClass.forEach((cls, n) -> {
      if (n > 0) {
        s.append(s.length() == 0 ? "" : ", ").append(cls).append("xx ").append(n);
      }
    });
    Summary out = new Summary(count, (now.nanos() - last.nanos()) / 1_000_000_000L, s.toString(),
        upperBoundMillis(delta, count, 0.50), upperBoundMillis(delta, count, 0.99));
    last = now;
    return out;
  }

  private Window snapshot() {
    Map<Integer, Long> byCode = new TreeMap<>();
    for (CounterSnapshot.CounterDataPointSnapshot p : requests.collect().getDataPoints()) {
      byCode.put(Integer.parseInt(p.getLabels().get("code")), (long) p.getValue());
    }
    long[] buckets = new long[BOUNDS.length + 1];
    for (HistogramSnapshot.HistogramDataPointSnapshot p : latency.collect().getDataPoints()) {
      ClassicHistogramBuckets b = p.getClassicBuckets();
      for (int i = 0; i < b.size() && i < buckets.length; i++) {
        buckets[i] += b.getCount(i);
      }
    }
    return new Window(System.nanoTime(), byCode, buckets);
  }

  /** The bound of the bucket that holds quantile {@code q}: "at most" this many ms (infinite past the last). */
  private static double upperBoundMillis(long[] buckets, long count, double q) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * count);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return i < BOUNDS.length ? BOUNDS[i] * 1000 : Double.POSITIVE_INFINITY;
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
