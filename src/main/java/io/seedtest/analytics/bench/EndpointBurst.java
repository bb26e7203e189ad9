package io.seedtest.analytics.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The burst of {@code bench-endpoint-abuse}, run as its own JVM (its 10,000 sockets and threads are
 * not the server's): every {@code user_id session_id} line of the file sent at once as a POST, each
 * on its own connection (HTTP/1.1, the JDK's client), a 503 or a dropped connection retried after
 * Retry-After (1 s, jittered ±50 %) as a well-behaved client does, until every request has its
 * answer. The token comes from SEEDTEST_HTTP_TOKEN in the environment, never from argv. Prints one
 * {@code RESULT key=value ...} line.
 *
 * <pre>java -cp … io.seedtest.analytics.bench.EndpointBurst URL REQUESTS_FILE</pre>
 */
public final class EndpointBurst {
  private EndpointBurst() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    if (!"127.0.0.1".equals(base.getHost())) {
      throw new IllegalArgumentException("the burst only talks to loopback, not " + base.getHost());
    }
    List<String> lines = Files.readAllLines(Path.of(args[1]));
    String token = System.getenv("SEEDTEST_HTTP_TOKEN");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(60)).build();
    ScheduledExecutorService retries = Executors.newScheduledThreadPool(2);
    Map<Integer, LongAdder> first = new ConcurrentHashMap<>();
    Map<Integer, LongAdder> last = new ConcurrentHashMap<>();
    LongAdder attempts = new LongAdder();
    long[] latency = new long[lines.size()];
    long start = System.nanoTime();
    CompletableFuture<?>[] all = new CompletableFuture<?>[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] us = lines.get(i).trim().split("\\s+");
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "?user_id=" + us[0] + "&session_id=" + us[1]))
          .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(120));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpRequest request = b.build();
      int slot = i;
      long t0 = System.nanoTime();
      all[i] = send(client, retries, request, attempts, first, true).thenAccept(status -> {
        latency[slot] = System.nanoTime() - t0;
        last.computeIfAbsent(status, k -> new LongAdder()).increment();
      });
    }
    CompletableFuture.allOf(all).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latency);
    System.out.printf(Locale.ROOT, "RESULT requests=%d seconds=%.2f attempts=%d first=%s final=%s p50_ms=%.1f"
            + " p99_ms=%.1f max_ms=%.1f%n", lines.size(), seconds, attempts.sum(), counts(first), counts(last),
        pct(latency, 0.50), pct(latency, 0.99), latency[latency.length - 1] / 1e6);
    retries.shutdownNow();
    System.exit(0);
  }

  /** The final status of {@code request}: retried on 503 and on a dropped connection (-1 in the counts). */
  private static CompletableFuture<Integer> send(HttpClient client, ScheduledExecutorService retries,
      HttpRequest request, LongAdder attempts, Map<Integer, LongAdder> first, boolean isFirst) {
    attempts.increment();
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((r, e) -> r == null ? -1 : r.statusCode())
        .thenCompose(status -> {
          if (isFirst) {
            first.computeIfAbsent(status, k -> new LongAdder()).increment();
          }
          if (status != 503 && status != -1) {
            return CompletableFuture.completedFuture(status);
          }
          long delay = 500 + ThreadLocalRandom.current().nextLong(1_000);
          CompletableFuture<Integer> later = new CompletableFuture<>();
          retries.schedule(() -> send(client, retries, request, attempts, first, false).whenComplete((s, x) -> {
            if (x != null) {
              later.completeExceptionally(x);
            } else {
              later.complete(s);
            }
          }), delay, TimeUnit.MILLISECONDS);
          return later;
        });
  }

  private static String counts(Map<Integer, LongAdder> byStatus) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(byStatus).forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append(':').append(v.sum()));
    return b.toString();
  }

  /** The {@code q} quantile of sorted nanoseconds, in milliseconds (nearest rank; 0 when empty). */
  public static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
