package io.seedtest.analytics.bench;

import io.seedtest.analytics.config.DatabaseUrl;
import io.seedtest.analytics.io.SchemaMigrator;
import io.seedtest.analytics.serve.IrtUpdateServer;
import io.seedtest.analytics.serve.ServeSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/bench-endpoint-abuse} (issue 12, item 6): {@code seedtest serve} as deployed (token on,
 * default pool, threads, queue and timeouts) against a real PostgreSQL, in two parts.
 *
 * <ol>
 *   <li><b>Burst.</b> {@code --sessions} finished sessions (19-digit ids) of {@code --students}
 *       students; every session requested {@code --repeats} times, all at once, in random order,
 *       from a separate JVM ({@link EndpointBurst}: one connection per request, 503s retried after
 *       Retry-After). The database must then hold exactly one update per session. The same sessions,
 *       loaded into a second schema, are sent one at a time, in finish order, to a second server:
 *       the single-threaded result; every θ, SE and outcome of the burst must equal it.
 *   <li><b>Abuse.</b> For each scenario, {@code --seconds} of stalled clients (a half-sent request),
 *       trickling clients (a byte per second, in the headers or the body), or none (the baseline),
 *       while a prober asks {@code /healthz} on the management port and {@code /healthz/live} on the
 *       API port every 50 ms over a new connection each (as the kubelet does) and one
 *       well-behaved client keeps sending updates. Health latency p50/p99/max, probes failed,
 *       connections the server cut and after how long, and the updates served.
 * </ol>
 */
public final class EndpointAbuseBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointAbuseBenchmark.class);
  static final String SCHEMA = "bench_abuse";
  static final String SERIAL_SCHEMA = "bench_abuse_serial";
  /** 19-digit ids, as the platform's simulator makes them. */
  static final long ID_BASE = 4_000_000_000_000_000_000L;
  private static final long PROBE_EVERY_MILLIS = 50;

  public record Options(String databaseUrl, int sessions, int students, int repeats, int seconds,
      List<Integer> stalled, List<Integer> trickling, long seed, Path report, boolean keep) {}

  private record Scenario(String name, AbusiveClients.Kind kind, int clients) {}

  public int run(Options o, String commandLine) throws Exception {
    DatabaseUrl admin = DatabaseUrl.parse(o.databaseUrl());
    BenchDatabase.ensureDatabase(admin);
    DatabaseUrl db = DatabaseUrl.parse(BenchDatabase.withSchema(o.databaseUrl(), SCHEMA));
    DatabaseUrl serialDb = DatabaseUrl.parse(BenchDatabase.withSchema(o.databaseUrl(), SERIAL_SCHEMA));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (String schema : List.of(SCHEMA, SERIAL_SCHEMA)) {
      BenchDatabase.execute(admin, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    }
    SchemaMigrator.migrate(db);
    SchemaMigrator.migrate(serialDb);
    IrtUpdateBenchmark.load(db, o.students(), o.sessions(), o.seed(), now, ID_BASE);
    IrtUpdateBenchmark.load(serialDb, o.students(), o.sessions(), o.seed(), now, ID_BASE);
    List<String> sessions = sessionsInFinishOrder(db);

    List<String> report = new ArrayList<>();
    report.add("## seedtest endpoint abuse benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    report.add("");
    report.add("command: `" + commandLine + "`; machine: " + Runtime.getRuntime().availableProcessors()
        + " cores; PostgreSQL " + BenchDatabase.queryString(db, "SHOW server_version") + " on the same machine");
    String token = UUID.randomUUID().toString();
    ServeSettings serve = ServeSettings.loopback(token, 8, 16, false);
    report.add("server: `seedtest serve` defaults: token required, pool " + serve.poolSize() + ", threads "
        + serve.threads() + ", queue " + serve.queue() + ", request timeout " + serve.requestTimeoutMillis()
        + " ms, idle timeout " + serve.idleTimeoutSeconds() + " s; sessions " + o.sessions() + " of " + o.students()
        + " students, ids from " + (ID_BASE + 1) + " (19 digits)");
    report.add("");

    try (IrtUpdateServer server = new IrtUpdateServer(serve, db).start()) {
      burst(o, server, token, sessions, db, serialDb, report);
      abuse(o, server, token, sessions, report);
    }
    ReportOutput.emit(report, o.report());
    if (!o.keep()) {
      BenchDatabase.execute(admin, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
          "DROP SCHEMA IF EXISTS " + SERIAL_SCHEMA + " CASCADE");
    }
    return 0;
  }

  private static List<String> sessionsInFinishOrder(DatabaseUrl db) throws Exception {
    List<String> out = new ArrayList<>();
    try (var c = db.connect(); var st = c.createStatement();
         var rs = st.executeQuery("SELECT user_id, session_id FROM exam_results ORDER BY finished_at, session_id")) {
      while (rs.next()) {
        out.add(rs.getLong(1) + " " + rs.getLong(2));
      }
    }
    return out;
  }

  // ---- burst: N concurrent requests, each session applied once, θ as single-threaded ---------------

  private void burst(Options o, IrtUpdateServer server, String token, List<String> sessions, DatabaseUrl db,
      DatabaseUrl serialDb, List<String> report) throws Exception {
    List<String> requests = new ArrayList<>();
    for (int k = 0; k < o.repeats(); k++) {
      requests.addAll(sessions);
    }
    Collections.shuffle(requests, new Random(o.seed()));
    long cutBefore = requestTimeouts(server);
    Map<String, String> r = runBurst("http://127.0.0.1:" + server.port() + IrtUpdateServer.PATH, token, requests);
    long cut = requestTimeouts(server) - cutBefore;

    long serialNanos;
    ServeSettings one = ServeSettings.loopback(token, 1, 1, false);
    try (IrtUpdateServer serial = new IrtUpdateServer(one, serialDb).start()) {
      HttpClient client = HttpClient.newHttpClient();
      long t0 = System.nanoTime();
      for (String line : sessions) {
        HttpResponse<String> res = client.send(update(serial.port(), token, line), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
          throw new IllegalStateException("the single-threaded pass got " + res.statusCode() + ": " + res.body());
        }
      }
      serialNanos = System.nanoTime() - t0;
    }
    long applied = BenchDatabase.queryLong(db, "SELECT count(*) FROM session_ability_updates");
    long distinct = BenchDatabase.queryLong(db, "SELECT count(DISTINCT session_id) FROM session_ability_updates");
    long history = BenchDatabase.queryLong(db, "SELECT count(*) FROM mirt_ability_history");
    long serialHistory = BenchDatabase.queryLong(serialDb, "SELECT count(*) FROM mirt_ability_history");
    long differentSessions = BenchDatabase.queryLong(db, "SELECT count(*) FROM " + SCHEMA + ".session_ability_updates a"
        + " FULL JOIN " + SERIAL_SCHEMA + ".session_ability_updates b USING (session_id)"
        + " WHERE a.theta_after IS DISTINCT FROM b.theta_after OR a.se_after IS DISTINCT FROM b.se_after"
        + " OR a.outcome IS DISTINCT FROM b.outcome OR a.answers_used IS DISTINCT FROM b.answers_used");
    long differentAbilities = BenchDatabase.queryLong(db, "SELECT count(*) FROM " + SCHEMA + ".mirt_ability a"
        + " FULL JOIN " + SERIAL_SCHEMA + ".mirt_ability b USING (user_id)"
        + " WHERE a.theta IS DISTINCT FROM b.theta OR a.theta_se IS DISTINCT FROM b.theta_se");
    boolean once = applied == sessions.size() && distinct == sessions.size();
    report.add("### " + requests.size() + " concurrent requests on " + sessions.size() + " sessions");
    report.add("");
    report.add("| measure | value |");
    report.add("|---|---|");
    report.add("| requests sent at once (separate JVM, one connection each) | " + r.get("requests") + " |");
    report.add("| first answers by status (-1: connection refused, reset or cut) | " + r.get("first") + " |");
    report.add("| of which connections the server cut: no request within the request timeout of the connect | " + cut
        + " |");
    report.add("| attempts in all (503 and dropped connections retried after Retry-After) | " + r.get("attempts") + " |");
    report.add("| final answers by status | " + r.get("final") + " |");
    report.add("| time until every request had its answer | " + r.get("seconds") + " s |");
    report.add("| per request, first send to final answer: p50 / p99 / max (ms) | " + r.get("p50_ms") + " / "
        + r.get("p99_ms") + " / " + r.get("max_ms") + " |");
    report.add("| session_ability_updates rows / distinct sessions / sessions | " + applied + " / " + distinct + " / "
        + sessions.size() + (once ? " (each applied exactly once)" : " (NOT exactly once)") + " |");
    report.add("| mirt_ability_history rows: burst / single-threaded | " + history + " / " + serialHistory + " |");
    report.add("| sessions whose θ, SE, outcome or answers differ from the single-threaded pass | " + differentSessions
        + " |");
    report.add("| students whose θ or SE differs from the single-threaded pass | " + differentAbilities + " |");
    report.add(String.format(Locale.ROOT, "| single-threaded pass (%d requests one at a time, pool 1, 1 thread) | %.1f s |",
        sessions.size(), serialNanos / 1e9));
    report.add("");
  }

  /** The server's count of connections cut for a request that did not arrive in time, from its /metrics. */
  private static long requestTimeouts(IrtUpdateServer server) throws IOException {
    String metrics = RawHttp.exchange(server.managementPort(), RawHttp.get(IrtUpdateServer.METRICS), 5_000).body();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "seedtest_irt_http_connections_closed_total\\{reason=\"request_timeout\"} (\\d+)").matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static HttpRequest update(int port, String token, String line) {
    String[] us = line.split(" ");
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + IrtUpdateServer.PATH + "?user_id=" + us[0]
            + "&session_id=" + us[1])).POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30)).build();
  }

  private static Map<String, String> runBurst(String url, String token, List<String> requests)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile("endpoint-burst", ".txt");
    try {
      Files.write(file, requests);
      LOG.info("bench-endpoint-abuse: {} requests at once from a separate JVM", requests.size());
      Map<String, String> result = SeparateJvm.run(EndpointBurst.class, "1g", Map.of("SEEDTEST_HTTP_TOKEN", token), url,
          file.toString());
      LOG.info("bench-endpoint-abuse: {}", result);
      return result;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  // ---- abuse: stalled and trickling clients while health checks and updates go on -------------------

  private void abuse(Options o, IrtUpdateServer server, String token, List<String> sessions, List<String> report)
      throws Exception {
    List<Scenario> scenarios = new ArrayList<>();
    scenarios.add(new Scenario("none (baseline)", null, 0));
    for (int n : o.stalled()) {
      scenarios.add(new Scenario("stalled: half-sent request", AbusiveClients.Kind.STALLED, n));
    }
    for (int n : o.trickling()) {
      scenarios.add(new Scenario("trickling: headers at 1 byte/s", AbusiveClients.Kind.TRICKLING, n));
      scenarios.add(new Scenario("trickling: body at 1 byte/s", AbusiveClients.Kind.TRICKLING_BODY, n));
    }
    report.add("### Stalled and slow clients, " + o.seconds() + " s each, while probes ask for health every "
        + PROBE_EVERY_MILLIS + " ms and one client keeps updating");
    report.add("");
    report.add("| abusive clients | health probes (failed) | health p50 / p99 / max (ms) | connections cut by the server"
        + " (after p50 / max s) | updates served (p50 / p99 ms) |");
    report.add("|---|---|---|---|---|");
    for (Scenario s : scenarios) {
      report.add(scenario(o, server, token, sessions, s));
    }
    report.add("");
  }

  private String scenario(Options o, IrtUpdateServer server, String token, List<String> sessions, Scenario s)
      throws Exception {
    LOG.info("bench-endpoint-abuse: {} × {} for {} s", s.clients(), s.name(), o.seconds());
    AbusiveClients abusers = s.kind() == null ? null : AbusiveClients.start(s.kind(), s.clients(), server.port());
    AtomicBoolean running = new AtomicBoolean(true);
    List<Long> health = Collections.synchronizedList(new ArrayList<>());
    List<Long> updates = Collections.synchronizedList(new ArrayList<>());
    int[] failed = new int[1];
    Map<Integer, Integer> updateStatuses = new HashMap<>();
    Thread prober = new Thread(() -> {
      int k = 0;
      while (running.get()) {
        int port = k++ % 2 == 0 ? server.managementPort() : server.port();
        String path = port == server.managementPort() ? IrtUpdateServer.HEALTH : IrtUpdateServer.LIVE;
        try {
          RawHttp.Reply r = RawHttp.exchange(port, RawHttp.get(path), 2_000);
          if (r.status() == 200) {
            health.add(r.nanos());
          } else {
            failed[0]++;
          }
        } catch (IOException | RuntimeException e) {
          failed[0]++;
        }
        sleep(PROBE_EVERY_MILLIS);
      }
    }, "health-prober");
    Thread client = new Thread(() -> {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      int k = 0;
      while (running.get()) {
        long t0 = System.nanoTime();
        int status;
        try {
          status = http.send(update(server.port(), token, sessions.get(k++ % sessions.size())),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
          status = -1;
        } catch (InterruptedException e) {
          return;
        }
        updateStatuses.merge(status, 1, Integer::sum);
        if (status == 200) {
          updates.add(System.nanoTime() - t0);
        }
        sleep(20);
      }
    }, "well-behaved-client");
    Thread.sleep(200);
    prober.start();
    client.start();
    Thread.sleep(o.seconds() * 1000L);
    running.set(false);
    prober.join();
    client.join();
    int cut = 0;
    long[] lived = new long[0];
    if (abusers != null) {
      abusers.close();
      cut = abusers.connectionsCut();
      lived = abusers.cutAfterMillis();
    }
    long[] h = health.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] u = updates.stream().mapToLong(Long::longValue).sorted().toArray();
    String who = s.kind() == null ? s.name() : s.clients() + " " + s.name();
    return String.format(Locale.ROOT, "| %s | %d (%d) | %.1f / %.1f / %.1f | %s | %s (%.1f / %.1f) |", who,
        h.length + failed[0], failed[0], EndpointBurst.pct(h, 0.5), EndpointBurst.pct(h, 0.99),
        EndpointBurst.pct(h, 1.0), s.kind() == null ? "–" : cut + " (" + (lived.length == 0 ? "–"
            : String.format(Locale.ROOT, "%.1f / %.1f", lived[lived.length / 2] / 1000.0, lived[lived.length - 1] / 1000.0))
            + ")", statuses(updateStatuses), EndpointBurst.pct(u, 0.5), EndpointBurst.pct(u, 0.99));
  }

  private static String statuses(Map<Integer, Integer> byStatus) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(byStatus).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(v).append(" × ")
        .append(k));
    return b.length() == 0 ? "none" : b.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
