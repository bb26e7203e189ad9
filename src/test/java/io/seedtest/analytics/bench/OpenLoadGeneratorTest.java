package io.seedtest.analytics.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The open-model generator counts latency from each request's intended start: a 100 ms stall is
 * in the latency of every request due during it, not only in the one request a closed loop would
 * have been waiting on.
 */
class OpenLoadGeneratorTest {
  private static final long MS = 1_000_000L;

  @Test
  void aServerStallIsInTheLatencyOfEveryRequestQueuedBehindIt() throws Exception {
    // one worker thread: the first request holds it for 100 ms, the others queue behind it
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    AtomicBoolean stalled = new AtomicBoolean();
    server.createContext("/update", ex -> {
      if (stalled.compareAndSet(false, true)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.setExecutor(worker);
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/update");
      List<String> lines = IntStream.range(0, 200).mapToObj(i -> i + " " + i).toList();
      OpenLoadGenerator.Sender http = OpenLoadGenerator.httpSender(HttpClient.newHttpClient(), new LoadTarget(url, lines, null));

      // 200 req/s: requests 0..19 are due during the stall; request k waits at least 100 - 5k ms
      OpenLoadGenerator.Step s = OpenLoadGenerator.run(http, 0, 200, 200);

      assertThat(s.errors()).isZero();
      assertThat(s.latency().getTotalCount()).isEqualTo(200);
      assertThat(s.latency().getMaxValue()).isGreaterThanOrEqualTo(100 * MS);
      // requests 0..10 are due in the first 50 ms and answered after 100 ms
      assertThat(s.latency().getCountBetweenValues(50 * MS, OpenLoadGenerator.HIGHEST_NANOS)).isGreaterThanOrEqualTo(11);
      assertThat(s.latency().getCountBetweenValues(25 * MS, OpenLoadGenerator.HIGHEST_NANOS)).isGreaterThanOrEqualTo(16);
    } finally {
      server.stop(0);
      worker.shutdownNow();
    }
  }

  @Test
  void aGeneratorThatFallsBehindStillCountsFromTheIntendedStart() throws Exception {
    // the sender blocks the schedule for 100 ms on the first request (as a synchronous client or a
    // GC pause in the generator would); the answers themselves are instant
    OpenLoadGenerator.Sender blocking = i -> {
      if (i == 0) {
        try {
          TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return CompletableFuture.completedFuture(i % 50 == 49 ? 503 : 200);
    };

    OpenLoadGenerator.Step s = OpenLoadGenerator.run(blocking, 0, 100, 100);

    // requests 1..9 (due at 10..90 ms) left late; each latency includes its wait for the schedule
    assertThat(s.latency().getCountBetweenValues(10 * MS, OpenLoadGenerator.HIGHEST_NANOS)).isGreaterThanOrEqualTo(5);
    assertThat(s.latency().getMaxValue()).isGreaterThanOrEqualTo(90 * MS);
    assertThat(s.maxLagNanos()).isGreaterThanOrEqualTo(90 * MS);
    assertThat(s.errors()).isEqualTo(2);
    assertThat(s.statuses()).containsExactly(Map.entry(200, 98L), Map.entry(503, 2L));
    assertThat(s.requests()).isEqualTo(100);
  }
}
