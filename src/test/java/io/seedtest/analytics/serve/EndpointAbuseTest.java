package io.seedtest.analytics.serve;

import io.seedtest.analytics.SeedtestException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtest.analytics.bench.AbusiveClients;
import io.seedtest.analytics.bench.RawHttp;
import io.seedtest.analytics.ability.SessionDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 6: clients that do not play by the rules, against {@code seedtest serve} over
 * real loopback sockets and a real PostgreSQL. Before the fix, 16 half-sent requests froze the
 * server and its health checks for as long as the clients liked.
 */
@Tag("spark")
@Tag("postgres")
class EndpointAbuseTest {
  static SessionDb s;
  static IrtUpdateServer server;
  static final int REQUEST_TIMEOUT_MS = 1_000;

  @BeforeAll
  static void start() throws Exception {
    s = new SessionDb("irt_abuse")
        .session(21, 70, "2026-11-20T10:00:00Z", "101:1", "102:0")
        .session(22, 71, "2026-11-20T10:00:00Z", "103:1")
        .session(23, 72, "2026-11-20T10:00:00Z", "104:0");
    server = new IrtUpdateServer(ServeSettings.loopback(null, 4, 8, false).withTimeouts(REQUEST_TIMEOUT_MS, 30), s.db)
        .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    s.drop();
  }

  @Test
  void stalledAndTricklingClientsAreCutAndNeverStarveHealthChecksOrUpdates() throws Exception {
    // more stalled clients than request threads (8) and database connections (4)
    try (AbusiveClients stalled = AbusiveClients.start(AbusiveClients.Kind.STALLED, 64, server.port());
         AbusiveClients trickling = AbusiveClients.start(AbusiveClients.Kind.TRICKLING, 16, server.port());
         AbusiveClients body = AbusiveClients.start(AbusiveClients.Kind.TRICKLING_BODY, 16, server.port())) {
      Thread.sleep(300);
      for (int i = 0; i < 10; i++) {
        for (int port : new int[] {server.managementPort(), server.port()}) {
          RawHttp.Reply live = RawHttp.exchange(port, RawHttp.get(IrtUpdateServer.LIVE), 2_000);
          assertThat(live.status()).isEqualTo(200);
          assertThat(live.millis()).as("health answered while 96 clients hold connections").isLessThan(1_000);
        }
      }
      RawHttp.Reply update = RawHttp.exchange(server.port(), "POST " + IrtUpdateServer.PATH
          + "?user_id=70&session_id=21 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5_000);
      assertThat(update.status()).as(update.body()).isEqualTo(200);
      Thread.sleep(REQUEST_TIMEOUT_MS * 2 + 600L);
      assertThat(stalled.connectionsCut()).as("each stalled connection closed after the request timeout")
          .isGreaterThanOrEqualTo(64);
      assertThat(trickling.connectionsCut()).as("a byte per second does not keep a request alive")
          .isGreaterThanOrEqualTo(16);
      assertThat(body.connectionsCut()).isGreaterThanOrEqualTo(16);
      long[] lived = stalled.cutAfterMillis();
      assertThat(lived[0]).isGreaterThanOrEqualTo(REQUEST_TIMEOUT_MS - 50);
      assertThat(lived[lived.length / 2]).isLessThan(REQUEST_TIMEOUT_MS + 1_000);
    }
    assertThat(IrtUpdateServerTest.getManagement(server, IrtUpdateServer.METRICS).body())
        .contains("seedtest_irt_http_connections_closed_total{reason=\"request_timeout\"}");
  }

  @Test
  void everyErrorIsJsonEvenForRequestsTheHttpLayerRefuses() throws Exception {
    Map<String, Integer> requests = Map.of(
        "POST " + IrtUpdateServer.PATH + "%zz?user_id=1&session_id=1 HTTP/1.1\r\nHost: x\r\n\r\n", 400,
        "POST " + IrtUpdateServer.PATH + "?user_id=%E0%A4%A&session_id=1 HTTP/1.1\r\nHost: x\r\n\r\n", 400,
        "GET /<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n", 404,
        "GET /%3Cb%3Ehi HTTP/1.1\r\nHost: x\r\n\r\n", 404,
        "HELLO\r\n\r\n", 400,
        "GET /healthz HTTP/1.1\r\nBad Header Name: 1\r\n\r\n", 400,
        "POST " + IrtUpdateServer.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 413,
        "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    for (Map.Entry<String, Integer> e : requests.entrySet()) {
      String shown = e.getKey().length() > 60 ? e.getKey().substring(0, 60) : e.getKey();
      RawHttp.Reply r = RawHttp.exchange(server.port(), e.getKey(), 5_000);
      assertThat(r.status()).as(shown).isEqualTo(e.getValue());
      assertThat(r.contentType()).as(shown).startsWith("application/json");
      assertThat(r.body()).as(shown).startsWith("{\"error\":\"").endsWith("\"}").doesNotContain("<script>", "<h1>");
    }
  }

  @Test
  void aFullQueueIsShedWith503AtOnce() throws Exception {
    // one request thread, no queue; a session whose student another transaction keeps locked
    try (IrtUpdateServer tight = new IrtUpdateServer(ServeSettings.loopback(null, 2, 1, false).withQueue(0), s.db)
        .start(); Connection lock = s.db.connect(); Statement st = lock.createStatement()) {
      st.execute(SessionDb.userLockSql(71, true));
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> held = client.sendAsync(post(tight, 71, 22),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(500);
      long t0 = System.nanoTime();
      HttpResponse<String> shed = client.send(post(tight, 72, 23), HttpResponse.BodyHandlers.ofString());
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat((System.nanoTime() - t0) / 1e6).as("shed without waiting").isLessThan(1_000);
      assertThat(shed.headers().firstValue("Retry-After")).contains("1");
      assertThat(shed.body()).startsWith("{\"error\":\"the server is busy");
      st.execute(SessionDb.userLockSql(71, false));
      assertThat(held.get().statusCode()).isEqualTo(200);
      assertThat(client.send(post(tight, 72, 23), HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("the retry is served").isEqualTo(200);
    }
    assertThat(s.count("SELECT count(*) FROM session_ability_updates WHERE session_id IN (22, 23)")).isEqualTo(2);
  }

  @Test
  void aBurstThatIsShedAndRetriedAppliesEverySessionOnceAsASingleThreadWould() throws Exception {
    // 400 requests at once on 40 sessions of 12 students, against 2 threads and a queue of 4
    SessionDb burst = new SessionDb("irt_burst");
    SessionDb serial = new SessionDb("irt_serial");
    java.util.Random r = new java.util.Random(12);
    List<String> lines = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      long user = 1_000_000_000_000_000_000L + k % 12;
      long session = 2_000_000_000_000_000_000L + k;
      String finished = java.time.Instant.parse("2026-11-20T08:00:00Z").plusSeconds(600L * k).toString();
      String[] answers = {(101 + r.nextInt(4)) + ":" + r.nextInt(2), (105 + r.nextInt(4)) + ":" + r.nextInt(2)};
      burst.session(session, user, finished, answers);
      serial.session(session, user, finished, answers);
      lines.add(user + " " + session);
    }
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.addAll(lines);
    }
    java.util.Collections.shuffle(requests, r);
    java.nio.file.Path file = java.nio.file.Files.createTempFile("burst", ".txt");
    java.nio.file.Files.write(file, requests);
    Map<String, String> result;
    try (IrtUpdateServer tight = new IrtUpdateServer(ServeSettings.loopback("t0ken", 2, 2, false).withQueue(4),
        burst.db).start()) {
      result = io.seedtest.analytics.bench.SeparateJvm.run(io.seedtest.analytics.bench.EndpointBurst.class, "256m",
          Map.of("SEEDTEST_HTTP_TOKEN", "t0ken"), "http://127.0.0.1:" + tight.port() + IrtUpdateServer.PATH,
          file.toString());
    } finally {
      java.nio.file.Files.delete(file);
    }
    assertThat(result.get("final")).isEqualTo("200:400");
    assertThat(result.get("first")).as("the queue of 4 shed some at once").contains("503:");
    try (IrtUpdateServer one = new IrtUpdateServer(ServeSettings.loopback(null, 1, 1, false), serial.db).start()) {
      HttpClient client = HttpClient.newHttpClient();
      for (String line : lines) {
        String[] us = line.split(" ");
        assertThat(client.send(post(one, Long.parseLong(us[0]), Long.parseLong(us[1])),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      }
    }
    String rows = "SELECT session_id, user_id, outcome, theta_after, se_after, answers_used FROM session_ability_updates"
        + " ORDER BY session_id";
    assertThat(burst.count("SELECT count(*) FROM session_ability_updates")).isEqualTo(40);
    assertThat(burst.query(rows)).isEqualTo(serial.query(rows));
    assertThat(burst.query("SELECT user_id, theta, theta_se FROM mirt_ability ORDER BY user_id"))
        .isEqualTo(serial.query("SELECT user_id, theta, theta_se FROM mirt_ability ORDER BY user_id"));
    burst.drop();
    serial.drop();
  }

  @Test
  void serveRefusesToStartWithoutATokenUnlessToldItIsInsecure() {
    ServeSettings none = ServeSettings.fromEnvironment(Map.of());
    assertThatThrownBy(() -> none.requireToken(false)).isInstanceOf(SeedtestException.class)
        .hasMessageContaining("SEEDTEST_HTTP_TOKEN").hasMessageContaining("--insecure-no-token")
        .satisfies(e -> assertThat(((SeedtestException) e).exitCode()).isEqualTo(2));
    assertThat(none.requireToken(true).token()).isNull();
    ServeSettings set = ServeSettings.fromEnvironment(Map.of(ServeSettings.TOKEN, "abc123"));
    assertThat(set.requireToken(false).toString()).doesNotContain("abc123");
    assertThatThrownBy(() -> ServeSettings.fromEnvironment(Map.of(ServeSettings.PORT, "9000",
        ServeSettings.MANAGEMENT_PORT, "9000"))).isInstanceOf(SeedtestException.class);
  }

  static HttpRequest post(IrtUpdateServer server, long user, long session) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + IrtUpdateServer.PATH + "?user_id="
        + user + "&session_id=" + session)).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20))
        .build();
  }
}
