package io.seedtest.analytics.serve;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.ability.AbilityState;
import io.seedtest.analytics.ability.Outcome;
import io.seedtest.analytics.ability.SessionAnswers;
import io.seedtest.analytics.ability.SessionDb;
import io.seedtest.analytics.ability.SessionUpdate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.seedtest.analytics.ability.UpdateRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code seedtest serve} over real HTTP on loopback against a real PostgreSQL: every status code. */
@Tag("spark")
@Tag("postgres")
class IrtUpdateServerTest {
  static SessionDb s;
  static IrtUpdateServer open;
  static IrtUpdateServer guarded;
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ServeSettings settings(String token) {
    return ServeSettings.loopback(token, 4, 8, false);
  }

  @BeforeAll
  static void start() throws Exception {
    s = new SessionDb("irt_http")
        .ability(7, 0.2, 0.3, "2026-11-18T00:00:00Z", AbilityState.SOURCE_CALIBRATION)
        .session(11, 7, "2026-11-19T09:00:00Z", "104:0", "105:1")
        .session(12, 7, "2026-11-20T10:00:00Z", "101:1", "102:1", "103:0")
        .session(13, 8, "2026-11-20T11:00:00Z", "101:1", "109:1", "106:0")
        .session(14, 9, "2026-11-20T12:00:00Z", "107:1")
        .session(15, 10, "2026-11-20T12:00:00Z", "108:0");
    open = new IrtUpdateServer(settings(null), s.db).start();
    guarded = new IrtUpdateServer(settings("s3cret-token"), s.db).start();
  }

  @AfterAll
  static void stop() {
    open.close();
    guarded.close();
    s.drop();
  }

  static HttpResponse<String> post(IrtUpdateServer server, String query, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + IrtUpdateServer.PATH + query)).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(IrtUpdateServer server, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET()
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> getManagement(IrtUpdateServer server, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path)).GET()
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static double number(String json, String field) {
    var m = java.util.regex.Pattern.compile("\"" + field + "\":(-?[0-9.eE+-]+)").matcher(json);
    assertThat(m.find()).as("%s in %s", field, json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void appliesOnceAndAnswersTheStoredResultAfterwards() throws Exception {
    HttpResponse<String> first = post(open, "?user_id=7&session_id=12", null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    assertThat(first.body()).contains("\"user_id\":7", "\"session_id\":12", "\"answers_used\":3", "\"skipped\":0",
        "\"already_applied\":false", "\"outcome\":\"updated\"", "\"caught_up\":1");
    // session 11 finished earlier and was not applied: caught up first, as the batch would order them
    List<SessionUpdate> chain = UpdateRule.standard().applyInOrder(new AbilityState(0.2, 0.3,
        Instant.parse("2026-11-18T00:00:00Z"), AbilityState.SOURCE_CALIBRATION, SessionDb.CALIBRATION, 40), List.of(
        new SessionAnswers(0, 11, 7, Instant.parse("2026-11-19T09:00:00Z"), new long[] {104, 105},
            new boolean[] {false, true}, 0),
        new SessionAnswers(0, 12, 7, Instant.parse("2026-11-20T10:00:00Z"), new long[] {101, 102, 103},
            new boolean[] {true, true, false}, 0)), SessionDb.params());
    assertThat(number(first.body(), "theta")).isCloseTo(chain.get(1).thetaAfter(), within(1e-12));
    assertThat(number(first.body(), "se")).isCloseTo(chain.get(1).seAfter(), within(1e-12));

    HttpResponse<String> again = post(open, "?user_id=7&session_id=12", null);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("\"already_applied\":true");
    assertThat(number(again.body(), "theta")).isEqualTo(number(first.body(), "theta"));
    assertThat(s.count("SELECT count(*) FROM session_ability_updates WHERE user_id = 7")).isEqualTo(2);
    assertThat(s.count("SELECT count(*) FROM mirt_ability_history WHERE user_id = 7")).isEqualTo(2);
  }

  @Test
  void concurrentRequestsForOneSessionApplyItOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        calls.add(() -> post(open, "?user_id=8&session_id=13", null));
      }
      List<String> bodies = new ArrayList<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        assertThat(f.get().statusCode()).isEqualTo(200);
        bodies.add(f.get().body());
      }
      assertThat(bodies).filteredOn(b -> b.contains("\"already_applied\":false")).hasSize(1);
      assertThat(bodies.stream().map(b -> number(b, "theta")).distinct()).hasSize(1);
      assertThat(s.count("SELECT count(*) FROM session_ability_updates WHERE session_id = 13")).isEqualTo(1);
      assertThat(s.query("SELECT answers_used, skipped FROM session_ability_updates WHERE session_id = 13"))
          .as("a student without θ; one answer on an uncalibrated item").containsExactly(List.of(2, 1));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownUserOrSessionIs404() throws Exception {
    HttpResponse<String> noSession = post(open, "?user_id=7&session_id=999", null);
    assertThat(noSession.statusCode()).isEqualTo(404);
    assertThat(noSession.body()).isEqualTo("{\"error\":\"unknown session 999\"}");
    HttpResponse<String> noUser = post(open, "?user_id=4242&session_id=14", null);
    assertThat(noUser.statusCode()).isEqualTo(404);
    assertThat(noUser.body()).contains("unknown user 4242");
    HttpResponse<String> notHers = post(open, "?user_id=7&session_id=14", null);
    assertThat(notHers.statusCode()).isEqualTo(404);
    assertThat(notHers.body()).contains("session 14 does not belong to user 7");
    assertThat(s.count("SELECT count(*) FROM session_ability_updates WHERE session_id = 14")).isZero();
    assertThat(get(open, "/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void malformedParametersAre400AndOtherMethods405() throws Exception {
    for (String q : List.of("", "?user_id=7", "?session_id=12", "?user_id=abc&session_id=12", "?user_id=7&session_id=-3",
        "?user_id=0&session_id=12", "?user_id=7&session_id=1.5", "?user_id=7&user_id=8&session_id=12",
        "?user_id=99999999999999999999&session_id=12", "?user_id=9223372036854775808&session_id=12",
        "?user_id=7&session_id=0000000000000000000012")) {
      HttpResponse<String> r = post(open, q, null);
      assertThat(r.statusCode()).as("query '%s'", q).isEqualTo(400);
      assertThat(r.body()).as("query '%s'", q).startsWith("{\"error\":");
    }
    HttpResponse<String> viaGet = get(open, IrtUpdateServer.PATH + "?user_id=7&session_id=12");
    assertThat(viaGet.statusCode()).isEqualTo(405);
    assertThat(viaGet.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void everyBigintIdIsAccepted() throws Exception {
    // the simulator's ids have 19 digits; PostgreSQL's BIGINT goes up to 9223372036854775807
    long user = 9_123_456_789_012_345_678L;
    long session = Long.MAX_VALUE;
    s.session(session, user, "2026-11-20T12:00:00Z", "101:1", "102:0");
    HttpResponse<String> r = post(open, "?user_id=" + user + "&session_id=" + session, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"user_id\":" + user, "\"session_id\":" + session, "\"answers_used\":2");
    assertThat(s.count("SELECT count(*) FROM session_ability_updates WHERE session_id = " + session)).isEqualTo(1);
    HttpResponse<String> beyond = post(open, "?user_id=" + user + "&session_id=9223372036854775808", null);
    assertThat(beyond.statusCode()).isEqualTo(400);
    assertThat(beyond.body()).startsWith("{\"error\":").contains("BIGINT");
  }

  @Test
  void aConfiguredTokenIsRequired() throws Exception {
    assertThat(post(guarded, "?user_id=10&session_id=15", null).statusCode()).isEqualTo(401);
    assertThat(post(guarded, "?user_id=10&session_id=15", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(post(guarded, "?user_id=10&session_id=15", "Basic czNjcmV0LXRva2Vu").statusCode()).isEqualTo(401);
    HttpResponse<String> denied = post(guarded, "?user_id=x", null);
    assertThat(denied.statusCode()).as("authentication before anything else").isEqualTo(401);
    assertThat(denied.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(denied.body()).doesNotContain("s3cret");
    assertThat(get(guarded, IrtUpdateServer.PATH).statusCode()).as("the path's authenticator runs for any method")
        .isEqualTo(401);
    HttpResponse<String> ok = post(guarded, "?user_id=10&session_id=15", "Bearer s3cret-token");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(get(guarded, "/healthz").statusCode()).as("health checks need no token").isEqualTo(200);
    assertThat(settings("s3cret-token").toString()).doesNotContain("s3cret").contains("token=set");
  }

  @Test
  void theThetaIsOnlyWrittenOverTheStateTheUpdateStartedFrom() throws Exception {
    // what happens when the weekly calibration rewrites mirt_ability between the endpoint's read and write
    s.ability(30, 0.5, 0.3, "2026-11-18T00:00:00Z", AbilityState.SOURCE_CALIBRATION);
    AbilityState read = new AbilityState(0.4, 0.3, Instant.parse("2026-11-11T00:00:00Z"),
        AbilityState.SOURCE_CALIBRATION, "older", 40);
    AbilityState after = new AbilityState(0.45, 0.28, Instant.parse("2026-11-20T10:00:00Z"),
        AbilityState.SOURCE_SESSION, SessionDb.CALIBRATION, 42);
    SessionUpdate stale = new SessionUpdate(3001, 3001, 30, Instant.parse("2026-11-20T10:00:00Z"), Outcome.UPDATED,
        read, after, 0.4, 0.31, 9, 0.45, 0.28, 2, 0, 0, SessionDb.CALIBRATION);
    try (var c = s.db.connect()) {
      c.setAutoCommit(false);
      assertThat(SessionDb.writeAsEndpoint(c, stale)).as("the row moved on: nothing written, the caller starts over").isZero();
      c.rollback();
    }
    assertThat(s.query("SELECT theta FROM mirt_ability WHERE user_id = 30")).containsExactly(List.of(0.5));
    // a request for her starts from what is there now
    s.session(3002, 30, "2026-11-20T11:00:00Z", "101:1");
    HttpResponse<String> r = post(open, "?user_id=30&session_id=3002", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(s.query("SELECT theta_before FROM session_ability_updates WHERE session_id = 3002"))
        .containsExactly(List.of(0.5));
  }

  @Test
  void healthChecks() throws Exception {
    HttpResponse<String> ready = getManagement(open, "/healthz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"ok\"", "\"calibrated_items\":8");
    assertThat(getManagement(open, "/healthz/live").statusCode()).isEqualTo(200);
    assertThat(get(open, "/healthz/live").statusCode()).as("health on the API port too").isEqualTo(200);
    HttpResponse<String> onApiPort = get(open, "/metrics");
    assertThat(onApiPort.statusCode()).as("no metrics on the API port").isEqualTo(404);
    assertThat(onApiPort.body()).contains("management port");
    HttpResponse<String> metrics = getManagement(open, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("# TYPE seedtest_irt_update_request_seconds histogram",
        "seedtest_irt_update_request_seconds_bucket{le=\"+Inf\"}", "seedtest_irt_db_connections{state=\"max\"} 4",
        "seedtest_irt_calibrated_items 8");
  }

  @Test
  void aDatabaseThatIsDownIs503() throws Exception {
    DatabaseUrl down = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:1/nothing");
    try (IrtUpdateServer server = new IrtUpdateServer(settings(null), down).start()) {
      HttpResponse<String> r = post(server, "?user_id=7&session_id=12", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(r.body()).startsWith("{\"error\":");
      assertThat(getManagement(server, "/healthz").statusCode()).isEqualTo(503);
      assertThat(getManagement(server, "/healthz/live").statusCode()).isEqualTo(200);
      assertThat(post(server, "?user_id=oops", null).statusCode()).as("validation needs no database").isEqualTo(400);
    }
  }
}
