package io.seedtest.analytics.bench;

import io.seedtest.analytics.ability.Outcome;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: LoadGenerator URL REQUESTS_FILE CONCURRENCY MAX_REQUESTS MAX_SECONDS WARMUP [TOKEN]");
      System.exit(2);
    }
    LoadTarget all = LoadTarget.of(args[0], args[1], args.length > 6 ? args[6] : null);
    List<String> lines = all.lines();
    int concurrency = Integer.parseInt(args[2]);
    int maxRequests = Integer.parseInt(args[3]);
    int maxSeconds = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    HttpClient client = LoadTarget.client();

    // warm-up: same path, not measured
    int split = Math.min(warmup, lines.size());
    run(client, new LoadTarget(all.base(), lines.subList(0, split), all.token()), concurrency, warmup, maxSeconds);
    Outcome o = run(client, new LoadTarget(all.base(), lines.subList(split, lines.size()), all.token()), concurrency,
        maxRequests, maxSeconds);
    long[] lat = o.latencies();
    Arrays.sort(lat);
    double seconds = o.nanos() / 1e9;
    System.out.printf(java.util.Locale.ROOT,
        "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s"
            + " concurrency=%d stopped_by=%s%n",
        lat.length, seconds, lat.length / seconds, pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99),
        lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, LoadTarget.statuses(o.byStatus()), concurrency, o.stoppedBy());
  }

  record Outcome(long[] latencies, long nanos, Map<Integer, Long> byStatus, String stoppedBy) {}

  static Outcome run(HttpClient client, LoadTarget target, int concurrency, int maxRequests, int maxSeconds)
      throws InterruptedException {
    int limit = Math.min(target.lines().size(), maxRequests);
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
            HttpRequest request = target.request(i, REQUEST_TIMEOUT);
            long t0 = System.nanoTime();
            int status;
            try {
              HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
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
    return EndpointBurst.pct(sorted, q);
  }
}
