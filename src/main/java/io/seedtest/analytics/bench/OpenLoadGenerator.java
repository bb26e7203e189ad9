package io.seedtest.analytics.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's open-model client (issue 16, item 7), run as its own JVM like {@link LoadGenerator}:
 * requests leave at a fixed offered rate whatever the server does, request {@code i} is due at
 * {@code t0 + i / rate}, and its latency is its completion minus that intended start. A closed loop
 * (one request per client at a time) sends less while the server stalls and so leaves the stall out
 * of every request it did not send (coordinated omission); here a stall shows up in the latency of
 * every request due during it, and if this generator itself falls behind (its own GC, a busy core)
 * the delay still counts, and is reported as {@code max_lag_ms}.
 *
 * <p>Requests go out with {@link HttpClient#sendAsync}, so sending never waits for an answer (the
 * JDK client opens as many HTTP/1.1 connections as there are requests in flight). The first
 * {@code WARMUP_SECONDS} run at the same rate and are not measured. Prints one
 * {@code RESULT key=value ...} line.
 *
 * <pre>java -cp … io.seedtest.analytics.bench.OpenLoadGenerator URL REQUESTS_FILE RATE SECONDS WARMUP_SECONDS [TOKEN]</pre>
 */
public final class OpenLoadGenerator {
  /** Latencies above this are recorded as this (the histogram's range). */
  static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);
  /** How long to wait for the last answers after the last request was due. */
  static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private OpenLoadGenerator() {}

  /** Sends request {@code i} without waiting for it; the future completes with the HTTP status. */
  @FunctionalInterface
  interface Sender {
    CompletableFuture<Integer> send(int i);
  }

  /**
   * One step at one offered rate.
   *
   * @param latency nanoseconds from intended start to completion, one value per request due
   * @param errors answers other than 200, failures and requests unanswered after {@link #DRAIN_NANOS}
   * @param statuses requests by HTTP status; -1 a failure (connection refused or reset, timeout), 0 unanswered
   * @param maxLagNanos how late this generator sent its latest request (its own saturation)
   */
  record Step(double offeredRate, int requests, double achievedRate, Histogram latency, long errors,
      Map<Integer, Long> statuses, long maxLagNanos) {
    double millisAt(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: OpenLoadGenerator URL REQUESTS_FILE RATE SECONDS WARMUP_SECONDS [TOKEN]");
      System.exit(2);
    }
    LoadTarget target = LoadTarget.of(args[0], args[1], args.length > 5 ? args[5] : null);
    List<String> lines = target.lines();
    double rate = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmupSeconds = Integer.parseInt(args[4]);
    int warmup = (int) (rate * warmupSeconds);
    int measured = (int) (rate * seconds);
    if (lines.size() < warmup + measured) {
      throw new IllegalArgumentException("the requests file has " + lines.size() + " lines; " + rate + " req/s for "
          + warmupSeconds + " + " + seconds + " s needs " + (warmup + measured));
    }
    Sender http = httpSender(LoadTarget.client(), target);
    if (warmup > 0) {
      run(http, 0, warmup, rate);
    }
    Step s = run(http, warmup, measured, rate);
    System.out.printf(Locale.ROOT, "RESULT offered=%.0f achieved=%.1f requests=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f"
            + " p999_ms=%.2f max_ms=%.2f errors=%d statuses=%s max_lag_ms=%.2f%n", s.offeredRate(), s.achievedRate(), s.requests(),
        s.millisAt(50), s.millisAt(90), s.millisAt(99), s.millisAt(99.9), s.latency().getMaxValue() / 1e6, s.errors(),
        LoadTarget.statuses(s.statuses()), s.maxLagNanos() / 1e6);
  }

  /** POSTs line {@code i} of the target's requests. */
  static Sender httpSender(HttpClient client, LoadTarget target) {
    return i -> client.sendAsync(target.request(i, REQUEST_TIMEOUT), HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  /**
   * Sends requests {@code first .. first + count - 1} at {@code rate} per second, request {@code first + k}
   * due at {@code t0 + k / rate}, and waits for their answers (at most {@link #DRAIN_NANOS} after the last
   * was due).
   */
  static Step run(Sender sender, int first, int count, double rate) throws InterruptedException {
    Histogram latency = new ConcurrentHistogram(1, HIGHEST_NANOS, 3);
    LongAdder errors = new LongAdder();
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    AtomicLong lastCompletion = new AtomicLong();
    CountDownLatch answered = new CountDownLatch(count);
    long maxLag = 0;
    long t0 = System.nanoTime();
    for (int k = 0; k < count; k++) {
      long intended = t0 + Math.round(k * 1e9 / rate);
      long now;
      while ((now = System.nanoTime()) < intended) {
        LockSupport.parkNanos(intended - now);
      }
      maxLag = Math.max(maxLag, now - intended);
      CompletableFuture<Integer> f;
      try {
        f = sender.send(first + k);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((status, failure) -> {
        long end = System.nanoTime();
        latency.recordValue(Math.min(end - intended, HIGHEST_NANOS));
        int code = failure != null ? -1 : status;
        if (code != 200) {
          errors.increment();
        }
        statuses.computeIfAbsent(code, c -> new LongAdder()).increment();
        lastCompletion.accumulateAndGet(end, Math::max);
        answered.countDown();
      });
    }
    long lastDue = t0 + Math.round((count - 1) * 1e9 / rate);
    answered.await(Math.max(0, lastDue + DRAIN_NANOS - System.nanoTime()), TimeUnit.NANOSECONDS);
    long unanswered = answered.getCount();
    if (unanswered > 0) {
      // still in flight: their latency is at least the time since the last one was due
      latency.recordValueWithCount(Math.min(System.nanoTime() - lastDue, HIGHEST_NANOS), unanswered);
      errors.add(unanswered);
      statuses.computeIfAbsent(0, c -> new LongAdder()).add(unanswered);
    }
    long end = unanswered > 0 ? System.nanoTime() : lastCompletion.get();
    double achieved = (count - errors.sum()) / ((end - t0) / 1e9);
    Map<Integer, Long> byStatus = new TreeMap<>();
    statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
    return new Step(rate, count, achieved, latency.copy(), errors.sum(), byStatus, maxLag);
  }
}
