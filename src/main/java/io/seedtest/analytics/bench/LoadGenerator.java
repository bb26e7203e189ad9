package io.seedtest.analytics.bench;

import io.seedtest.analytics.session.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's client, run as its own JVM (so client and server do not share a heap, a JIT or
 * a GC): {@code concurrency} virtual users, each a thread sending one request at a time with the
 * JDK's {@link HttpClient} (HTTP/1.1, keep-alive) to a loopback URL, taking the next
 * {@code user_id session_id} line of the requests file until either the file, {@code maxRequests}
 * or {@code maxSeconds} runs out. The first {@code warmup} requests are sent the same way but not
 * measured. Prints one {@code RESULT key=value ...} line.
 *
 * <pre>java -cp … io.seedtest.analytics.bench.LoadGenerator URL REQUESTS_FILE CONCURRENCY MAX_REQUESTS MAX_SECONDS WARMUP [TOKEN]</pre>
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: LoadGenerator URL REQUESTS_FILE CONCURRENCY MAX_REQUESTS MAX_SECONDS WARMUP [TOKEN]");
      System.exit(2);
    }
    URI base = URI.create(args[0]);
    if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
      throw new IllegalArgumentException("the load generator only talks to loopback, not " + base.getHost());
    }
    List<String> lines = Files.readAllLines(Path.of(args[1]));
    int concurrency = Integer.parseInt(args[2]);
    int maxRequests = Integer.parseInt(args[3]);
    int maxSeconds = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    String token = args.length > 6 ? args[6] : null;
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    // warm-up: same path, not measured
    run(client, base, lines.subList(0, Math.min(warmup, lines.size())), concurrency, warmup, maxSeconds, token);
    List<String> measured = lines.subList(Math.min(warmup, lines.size()), lines.size());
    Outcome o = run(client, base, measured, concurrency, maxRequests, maxSeconds, token);
    long[] lat = o.latencies();
    Arrays.sort(lat);
    double seconds = o.nanos() / 1e9;
    StringBuilder statuses = new StringBuilder();
    o.byStatus().forEach((k, v) -> statuses.append(statuses.length() == 0 ? "" : ",").append(k).append(':').append(v));
    System.out.printf(java.util.Locale.ROOT,
        "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s"
            + " concurrency=%d stopped_by=%s%n",
        lat.length, seconds, lat.length / seconds, pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99),
        lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, statuses, concurrency, o.stoppedBy());
  }

  record Outcome(long[] latencies, long nanos, Map<Integer, Long> byStatus, String stoppedBy) {}

  static Outcome run(HttpClient client, URI base, List<String> lines, int concurrency, int maxRequests,
      int maxSeconds, String token) throws InterruptedException {
    int limit = Math.min(lines.size(), maxRequests);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + maxSeconds * 1_000_000_000L;
    long[] latencies = new long[limit];
    AtomicInteger done = new AtomicInteger();
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    CountDownLatch finished = new CountDownLatch(concurrency);
    List<Thread> users = new ArrayList<>();
    for (int u = 0; u < concurrency; u++) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < deadline) {
            int i = next.getAndIncrement();
            if (i >= limit) {
              break;
            }
            String[] us = lines.get(i).trim().split("\\s+");
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "?user_id=" + us[0] + "&session_id="
                + us[1])).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
            if (token != null) {
              b.header("Authorization", "Bearer " + token);
            }
            long t0 = System.nanoTime();
            int status;
            try {
              HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
              status = r.statusCode();
            } catch (IOException e) {
              status = -1;
            }
            latencies[i] = System.nanoTime() - t0;
            done.incrementAndGet();
            statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          finished.countDown();
        }
      }, "vu-" + u);
      t.setDaemon(true);
      users.add(t);
    }
    users.forEach(Thread::start);
    finished.await();
    long nanos = System.nanoTime() - start;
    int n = Math.min(done.get(), limit);
    // requests are claimed in order; the first n slots are the ones that were sent
    long[] measured = Arrays.copyOf(latencies, Math.min(next.get(), limit));
    measured = Arrays.stream(measured).filter(v -> v > 0).toArray();
    Map<Integer, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
    String stoppedBy = n >= limit ? (limit == maxRequests ? "max_requests" : "requests_file") : "max_seconds";
    return new Outcome(measured, nanos, byStatus, stoppedBy);
  }

  private static double pct(long[] sorted, double q) {
    return io.seedtest.analytics.bench.EndpointBurst.pct(sorted, q);
  }
}
